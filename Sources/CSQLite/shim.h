#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call. SQLite's process-wide set-up, which must
/// run before the first connection opens (sqlite3_config returns SQLITE_MISUSE after that);
/// returns the first result that is not SQLITE_OK, if any:
/// - no memory statistics, whose global mutex every allocation takes (contended once a run's two
///   connections work in parallel);
/// - statement journals left at SQLite's default: in memory up to 64 KiB, then spilled to a
///   temporary file. From 2026-12-01 they were kept in memory up to 64 MiB, then 4 MiB (in chunks
///   of that size, for the outcome UPDATE's journal of about a megabyte per 5,000 rows, which
///   runs OR FAIL without one since). With SQLite 3.40.1 (Debian 12's), a spill limit above
///   128 KiB breaks the spill itself: a statement whose journal outgrows it fails with
///   SQLITE_FULL, "database or disk is full", on a disk with room to spare. Re-importing 40,000
///   changed pending rows failed that way, as did migration 010 on the bench's 1M database
///   (ImportTests.aLargeReimportInOneTransactionWorks). At the default, the 1M warm SQLite run
///   measured no slower (`write.mirror` 5.8–6.4 s against 5.8–5.9 s, `write.keys` 3.7–4.0
///   against 3.5–3.6 s, on a slow day).
static inline int leadsync_sqlite3_configure(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
