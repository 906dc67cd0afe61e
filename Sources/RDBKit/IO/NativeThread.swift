#if canImport(Glibc)
import Glibc
#endif

/// A joinable POSIX thread for the pipelines here (checksum ring, blob checks, AOF read-ahead,
/// parallel maps): they block on condition variables, which Swift concurrency's cooperative
/// pool must never do.
enum NativeThread {
    /// Starts `body` on a thread of its own; nil when no thread can start (callers then do
    /// the work inline).
    static func start(_ body: @escaping () -> Void) -> pthread_t? {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { p in
            guard let p else { return nil }
            Unmanaged<Body>.fromOpaque(p).takeRetainedValue().run()
            return nil
        }, box) == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return nil
        }
        return thread
    }

    /// The closure, boxed: a C entry point takes one pointer.
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
}
