import Foundation

/// Wall-clock seconds spent per phase of a run (key refresh: read / key / write; batches: claim,
/// prepare, match, write; report), logged at `info` when the run ends. `make bench` prints them.
/// Phases measured on different threads (the claim ahead) overlap, so their sum
/// can exceed the run's time. Safe to use from several threads.
final class PhaseTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var totals: [String: Double] = [:]

    /// Seconds per phase so far.
    var seconds: [String: Double] { lock.withLock { totals } }

    /// Runs `body`, adding its duration to `phase`.
    func measure<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(phase, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        return try body()
    }

    /// Adds time measured elsewhere (on another queue) to `phase`.
    func add(_ phase: String, seconds: Double) {
        lock.withLock { totals[phase, default: 0] += seconds }
    }

    /// `phase=1.23s` pairs, slowest first.
    var description: String {
        seconds.sorted { $0.value > $1.value }.map { String(format: "%@=%.2fs", $0.key, $0.value) }.joined(separator: " ")
    }
}
