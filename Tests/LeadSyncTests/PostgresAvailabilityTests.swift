import Foundation
import Testing

/// PostgreSQL tests must run: without a server the suite fails loudly instead of passing on
/// SQLite alone. `LEADSYNC_SKIP_POSTGRES=1` is the explicit, visible way to run without one.
@Suite struct PostgresAvailabilityTests {
    @Test func postgresTestServerIsConfigured() {
        let skipAllowed = ProcessInfo.processInfo.environment["LEADSYNC_SKIP_POSTGRES"] == "1"
            && ProcessInfo.processInfo.environment["LEADSYNC_REQUIRE_POSTGRES"] != "1"
        if TestEngine.postgresURL == nil {
            print("WARNING: LEADSYNC_TEST_DATABASE_URL is not set: PostgreSQL tests did NOT run. Use `make test`.")
        }
        #expect(TestEngine.postgresURL != nil || skipAllowed,
                "LEADSYNC_TEST_DATABASE_URL is not set, so no PostgreSQL test ran. Run `make test`, which starts a server.")
    }
}
