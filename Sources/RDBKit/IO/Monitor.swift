#if canImport(Glibc)
import Glibc
#endif

/// A mutex and one condition variable, for the hand-offs between the pipelines' threads
/// (`NativeThread`). The pthread objects live in memory of their own (they must not move),
/// and the monitor is a plain value of two pointers: copying it costs no reference counting.
/// Its owner calls `destroy()` once, in its deinit.
struct Monitor {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    func destroy() {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    @inline(__always) func lock() { pthread_mutex_lock(mutex) }
    @inline(__always) func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits, locked, until another thread broadcasts (or spuriously): callers loop on their condition.
    @inline(__always) func wait() { pthread_cond_wait(condition, mutex) }
    @inline(__always) func broadcast() { pthread_cond_broadcast(condition) }
}
