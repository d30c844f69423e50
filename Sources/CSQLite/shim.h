#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call. SQLite's process-wide set-up, which must
/// run before the first connection opens (sqlite3_config returns SQLITE_MISUSE after that);
/// returns the first result that is not SQLITE_OK, if any:
/// - no memory statistics, whose global mutex every allocation takes (contended once a run's two
///   connections work in parallel);
/// - statement journals kept in memory up to 64 MiB (the default spills them to a temporary file
///   past 64 KiB). The journal of a batch's outcome UPDATE, the original of every page it
///   changes, is about a megabyte per 5,000 rows: written to a file, it made that write about a
///   fifth slower.
static inline int leadsync_sqlite3_configure(void) {
    int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    int spill = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 64 << 20);
    return rc != SQLITE_OK ? rc : spill;
}
