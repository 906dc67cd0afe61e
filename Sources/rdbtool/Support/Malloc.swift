/// glibc's `mallopt`, declared here: the Glibc module does not export malloc.h.
@_silgen_name("mallopt") private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32

enum Malloc {
    /// `M_ARENA_MAX` = 1 (malloc.h's -8): threads share the main arena, so memory one phase
    /// freed serves the threads of the next instead of each thread growing an arena of its own.
    static func useOneArena() {
        _ = glibcMallopt(-8, 1)
    }
}
