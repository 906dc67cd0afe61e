#if canImport(Glibc)
import Glibc
#endif

/// Runs `work` for the indices `0..<count` on up to `jobs` threads; results are handed back in
/// index order, each as soon as it and every one before it are done, so output stays
/// deterministic whatever finishes first. With a `window`, no index starts before the one
/// `window` places back was emitted: results waiting for a slow one stay bounded, and the
/// threads never stop at a barrier.
public enum ParallelMap {
    public static func run<T>(count: Int, jobs: Int, window: Int = .max, work: @escaping (Int) -> T, emit: (Int, T) -> Void) {
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for i in 0..<count { emit(i, work(i)) }
            return
        }
        let shared = Shared(count: count, window: max(1, window), work: work)
        let threads = (0..<workers).compactMap { _ in NativeThread.start { shared.work() } }
        if threads.isEmpty { shared.work() }  // no thread could start: do it here
        for i in 0..<count { emit(i, shared.wait(for: i)) }
        for t in threads { pthread_join(t, nil) }
    }

    /// Results are handed over one by one, so at most the finished-but-not-yet-emitted ones
    /// are held.
    private final class Shared<T>: @unchecked Sendable {
        let count: Int
        let window: Int
        let body: (Int) -> T
        private let monitor = Monitor()
        private var next = 0
        /// How many results `wait(for:)` has handed back.
        private var emitted = 0
        private var results: [T?]

        init(count: Int, window: Int, work: @escaping (Int) -> T) {
            self.count = count
            self.window = window
            body = work
            results = Array(repeating: nil, count: count)
        }

        deinit {
            monitor.destroy()
        }

        func work() {
            while true {
                monitor.lock()
                while next < count && next - emitted >= window { monitor.wait() }
                let i = next
                next += 1
                monitor.unlock()
                guard i < count else { return }
                let r = body(i)
                monitor.lock()
                results[i] = r
                monitor.broadcast()
                monitor.unlock()
            }
        }

        func wait(for i: Int) -> T {
            monitor.lock()
            defer { monitor.unlock() }
            while true {
                if let r = results[i] {
                    results[i] = nil
                    emitted += 1
                    monitor.broadcast()
                    return r
                }
                monitor.wait()
            }
        }
    }
}
