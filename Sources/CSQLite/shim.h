#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: this turns off SQLite's memory
/// statistics, whose global mutex every allocation takes (contended once a run's two
/// connections work in parallel). Must run before the first connection opens; returns
/// SQLITE_MISUSE after that.
static inline int leadsync_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
