#if canImport(Glibc)
import Glibc
#endif

/// Verifies many files on worker threads; results are handed back in argument order, each as
/// soon as it and every one before it are done.
public enum VerifyBatch {
    public static func run(_ paths: [String], jobs: Int, verifier: Verifier, emit: (Int, VerifyOutcome) -> Void) {
        let workers = max(1, min(jobs, paths.count))
        if workers == 1 {
            for (i, p) in paths.enumerated() { emit(i, verifier.verifyAny(path: p)) }
            return
        }
        let shared = Shared(paths: paths, verifier: verifier)
        var threads: [pthread_t] = []
        for _ in 0..<workers {
            var t = pthread_t()
            let box = Unmanaged.passRetained(shared).toOpaque()
            let rc = pthread_create(&t, nil, { p in
                Unmanaged<Shared>.fromOpaque(p!).takeRetainedValue().work()
                return nil
            }, box)
            if rc == 0 { threads.append(t) } else { Unmanaged<Shared>.fromOpaque(box).release() }
        }
        if threads.isEmpty { shared.work() }  // no thread could start: do it here
        for i in paths.indices { emit(i, shared.wait(for: i)) }
        for t in threads { pthread_join(t, nil) }
    }

    private final class Shared: @unchecked Sendable {
        let paths: [String]
        let verifier: Verifier
        private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var next = 0
        private var results: [VerifyOutcome?]

        init(paths: [String], verifier: Verifier) {
            self.paths = paths
            self.verifier = verifier
            results = Array(repeating: nil, count: paths.count)
            pthread_mutex_init(lock, nil)
            pthread_cond_init(done, nil)
        }

        deinit {
            pthread_cond_destroy(done); pthread_mutex_destroy(lock)
            done.deallocate(); lock.deallocate()
        }

        func work() {
            while true {
                pthread_mutex_lock(lock)
                let i = next
                next += 1
                pthread_mutex_unlock(lock)
                guard i < paths.count else { return }
                let r = verifier.verifyAny(path: paths[i])
                pthread_mutex_lock(lock)
                results[i] = r
                pthread_cond_broadcast(done)
                pthread_mutex_unlock(lock)
            }
        }

        func wait(for i: Int) -> VerifyOutcome {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            while true {
                if let r = results[i] { results[i] = nil; return r }
                pthread_cond_wait(done, lock)
            }
        }
    }
}
