import Foundation

extension Array where Element: Sendable {
    /// `map` on every core for large arrays (key computation: mostly phone parsing), in order.
    /// `transform` must be thread-safe; small arrays are mapped on the calling thread.
    func parallelMap<T>(minimumChunk: Int = 1000, _ transform: (Element) -> T) -> [T] {
        let parts = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, count / minimumChunk))
        guard parts > 1 else { return map(transform) }
        var results = [[T]](repeating: [], count: parts)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own slot.
            nonisolated(unsafe) let slots = buffer
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let range = (count * part / parts)..<(count * (part + 1) / parts)
                    slots[part] = self[range].map(transform)
                }
            }
        }
        return results.flatMap { $0 }
    }
}
