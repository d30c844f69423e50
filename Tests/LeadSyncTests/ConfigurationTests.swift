import Foundation
import Testing
@testable import LeadSync

/// The configuration file, the database URL and the schema names.
@Suite struct ConfigurationTests {
    @Test func configDefaultsAndOverrides() throws {
        let c = try Configuration.parse("""
            fallback_owner = " Admin@Vertrieb.Example "
            default_region = "at"
            default_target = "contact"
            [postgres]
            job_schema = "ls"
            [mapping.lead]
            linkedin_url__c = "custom_fields.linkedin_url"
            website = ""
            [value_maps.leadsource]
            trade_fair = "Trade Show"
            """, file: "t.toml")
        #expect(c.fallbackOwner == "admin@vertrieb.example")
        #expect(c.defaultRegion == "AT")
        #expect(c.defaultTarget == .contact)
        #expect(c.connection.jobSchema == "ls")
        let lead = try #require(c.mapping[.lead])
        #expect(lead.contains(FieldMapping(column: "linkedin_url__c", source: .customField("linkedin_url"))))
        #expect(!lead.contains { $0.column == "website" })
        #expect(c.valueMaps["leadsource"]?["trade_fair"] == "Trade Show")
        #expect(Configuration().mapping[.contact]?.contains { $0.column == "mailingcity" } == true)
    }

    @Test func schemaNamesAreAllowListed() {
        #expect(throws: UsageError.self) { try quoteIdentifier("x\"; DROP SCHEMA y") }
        #expect(throws: UsageError.self) { try quoteIdentifier("Upper") }
        #expect((try? quoteIdentifier("salesforce")) == "\"salesforce\"")
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:x.sqlite") == .sqlite(path: "x.sqlite"))
        #expect(try DatabaseLocation(parsing: "postgresql://u@h/db") == .postgres(conninfo: "postgresql://u@h/db"))
        #expect(try DatabaseLocation(parsing: "host=h dbname=d") == .postgres(conninfo: "host=h dbname=d"))
        #expect(throws: UsageError.self) { try DatabaseLocation(parsing: "mysql://x") }
    }
}
