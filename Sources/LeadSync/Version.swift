public enum LeadSyncVersion { public static let string = "0.1.0" }
