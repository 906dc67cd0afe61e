#if canImport(Glibc)
import Glibc
#endif

/// glibc's `mallopt`, declared here: the Glibc module does not export malloc.h.
@_silgen_name("mallopt") private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32

enum Malloc {
    /// `M_ARENA_MAX` = 1 (malloc.h's -8): threads share the main arena, so memory one phase
    /// freed serves the threads of the next instead of each thread growing an arena of its own.
    static func useOneArena() {
        _ = glibcMallopt(-8, 1)
    }

    /// Makes glibc ask for transparent huge pages for the heap (`glibc.malloc.hugetlb=1`):
    /// building a dataset of hundreds of MB then takes 512 times fewer page faults (about a
    /// tenth of the run on a VM, where each fault is expensive). glibc reads the setting only
    /// at startup, so the process runs itself again with it set, once: the arguments are
    /// parsed again, nothing else has happened yet. Without /proc it goes on without.
    static func useHugePages() {
        let name = "GLIBC_TUNABLES", tunable = "glibc.malloc.hugetlb"
        let current = getenv(name).map { String(cString: $0) } ?? ""
        guard !current.contains(tunable) else { return }
        setenv(name, (current.isEmpty ? "" : current + ":") + tunable + "=1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
