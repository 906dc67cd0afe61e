#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RDBKit

@Suite struct ParallelMapTests {
    /// What the workers saw: for each index, how many results had been emitted when it started.
    private final class Log: @unchecked Sendable {
        private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private var emitted = 0
        private(set) var lead: [Int: Int] = [:]

        init() { pthread_mutex_init(lock, nil) }
        deinit { pthread_mutex_destroy(lock); lock.deallocate() }

        func started(_ i: Int) {
            pthread_mutex_lock(lock); lead[i] = i - emitted; pthread_mutex_unlock(lock)
        }

        func emit() {
            pthread_mutex_lock(lock); emitted += 1; pthread_mutex_unlock(lock)
        }
    }

    @Test func resultsComeInIndexOrderAndNoIndexStartsBeforeTheOneAWindowBackIsHandedOver() {
        let log = Log()
        var out: [Int] = []
        ParallelMap.run(count: 200, jobs: 3, window: 4, work: { i in
            log.started(i)
            return i * i
        }, emit: { i, v in
            #expect(v == i * i)
            out.append(i)
            log.emit()
        })
        #expect(out == Array(0..<200))
        // Index i may start once i - 4 is handed back, while `emit` for it still runs.
        #expect(log.lead.count == 200 && log.lead.values.allSatisfy { $0 <= 4 })
    }

    @Test func withoutAWindowEveryIndexRunsOnce() {
        var out: [Int] = []
        ParallelMap.run(count: 50, jobs: 2, work: { $0 + 1 }, emit: { _, v in out.append(v) })
        #expect(out == Array(1...50))
    }
}
