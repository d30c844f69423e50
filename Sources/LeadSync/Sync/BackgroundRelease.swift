import Foundation

/// Frees `value` on a background thread instead of the caller's. A written batch's rows and the
/// arrays built to write them are millions of small allocations over a run; freeing them took
/// the thread writing the batches about 2 s of a million-row SQLite run, while a core sat idle.
/// The caller must hold no other reference (pass it with `consume`), else the last release, and
/// the freeing, still happens wherever that reference ends.
func releaseInBackground<Value>(_ value: consuming Value) {
    let box = Unchecked(value)
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(box) {} }
}
