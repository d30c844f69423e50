import LeadSync
print(LeadSyncVersion.string)
