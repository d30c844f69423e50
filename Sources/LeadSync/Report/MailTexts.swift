/// The mails' words in English and German.
struct MailTexts {
    let language: String

    var isGerman: Bool { language == "de" }

    func userSubject(exported: Int, failed: Int) -> String {
        isGerman ? "\(exported) Kontakte nach Salesforce exportiert, \(failed) fehlgeschlagen"
                 : "\(exported) contacts exported to Salesforce, \(failed) failed"
    }

    func adminSubject(runID: Int64, exported: Int, failed: Int, alert: String?) -> String {
        let base = isGerman ? "leadsync Lauf #\(runID): \(exported) exportiert, \(failed) fehlgeschlagen"
                            : "leadsync run #\(runID): \(exported) exported, \(failed) failed"
        guard let alert else { return base }
        // ALERT in every language: mail filters and on-call rules key on it (SYNC_RULES.md §9).
        return "ALERT: " + base + " (" + alert + ")"
    }

    func greeting(_ name: String) -> String { isGerman ? "Hallo \(name)," : "Hello \(name)," }

    func userIntro(exported: Int, failed: Int) -> String {
        isGerman ? "von Ihren erfassten Kontakten wurden \(exported) nach Salesforce exportiert; \(failed) konnten nicht exportiert werden."
                 : "of the contacts you captured, \(exported) were exported to Salesforce and \(failed) could not be exported."
    }

    var failedHeading: String { isGerman ? "Nicht exportiert" : "Not exported" }
    var contactHeading: String { isGerman ? "Kontakt" : "Contact" }
    var reasonHeading: String { isGerman ? "Grund" : "Reason" }
    var recordHeading: String { isGerman ? "Salesforce-Datensatz" : "Salesforce record" }
    var adminIntro: String { isGerman ? "Zusammenfassung des Laufs:" : "Summary of the run:" }
    var footer: String { isGerman ? "Diese Nachricht wurde von leadsync erstellt." : "This message was written by leadsync." }

    func more(_ n: Int) -> String { isGerman ? "… und \(n) weitere (siehe failed.csv im Bericht)" : "… and \(n) more (see failed.csv in the report)" }

    /// A failure's reason: the stored English sentence, or the German one for its code.
    func reason(code: String, message: String) -> String {
        guard isGerman else { return message }
        switch code {
        case "duplicate_email": return "Dublette: gleiche E-Mail-Adresse wie ein vorhandener Datensatz."
        case "duplicate_phone": return "Dublette: gleiche Telefonnummer und gleicher Nachname wie ein vorhandener Datensatz."
        case "missing_name": return "Weder Vor- noch Nachname angegeben."
        case "missing_company": return "Ein Lead braucht eine Firma, die Firma ist leer."
        case "invalid_email": return "Die E-Mail-Adresse ist ungültig."
        case "field_too_long": return "Ein Feld ist länger als Salesforce erlaubt. (\(message))"
        case "crm_rejected": return "Salesforce hat den Datensatz abgelehnt. (\(message))"
        case "crm_row_missing": return "Der Datensatz wurde aus dem CRM entfernt, bevor Salesforce ihn bestätigt hat."
        default: return message
        }
    }
}
