#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call. SQLite's process-wide set-up, which must
/// run before the first connection opens (sqlite3_config returns SQLITE_MISUSE after that);
/// returns the first result that is not SQLITE_OK, if any:
/// - no memory statistics, whose global mutex every allocation takes (contended once a run's two
///   connections work in parallel);
/// - statement journals kept in memory up to 4 MiB (the default spills them to a temporary file
///   past 64 KiB). SQLite allocates an in-memory journal in chunks of that size, once per
///   statement that needs one: a multi-row INSERT into a table with CHECK constraints (the
///   mirror's, see SQLiteConnection.bulkLoad) needs one, about 100 KB per 100 rows. At 64 MiB
///   each chunk was mapped and unmapped again by malloc (it never reuses a block past 32 MiB),
///   with page faults and TLB shootdowns on every statement; 4 MiB blocks it keeps and reuses.
///   (The outcome UPDATE, which had a journal of about a megabyte per 5,000 rows, runs OR FAIL
///   and needs none since.)
static inline int leadsync_sqlite3_configure(void) {
    int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    int spill = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20);
    return rc != SQLITE_OK ? rc : spill;
}
