/// Where the collection decoders put the elements they walk: `ByteList`s that keep them
/// (`readValue`), or an `ElementTally` that only counts and measures them (`readValueShape`,
/// what `verify` and `inspect` read). The walk and every check in it are the same code for
/// both; only what is kept differs.
protocol ElementSink {
    var count: Int { get }
    mutating func add(_ e: PackedElement)
    /// Bytes valid only during the call.
    mutating func add(_ p: UnsafeRawBufferPointer)
    /// Adds a member that must be unique (set member, zset member, hash field) from a ziplist
    /// or listpack blob; returns the index of an equal earlier one.
    mutating func addUnique(_ e: PackedElement, _ d: inout DuplicateFinder) -> Int?
    /// The same for a member read from the stream, valid only during the call.
    mutating func addUnique(_ p: UnsafeRawBufferPointer, _ d: inout DuplicateFinder) -> Int?
    mutating func reserveCapacity(forPacked p: UnsafeRawBufferPointer, listpack: Bool, share: Int)
}

extension ByteList: ElementSink {
    mutating func add(_ e: PackedElement) { e.append(to: &self) }

    mutating func add(_ p: UnsafeRawBufferPointer) { append(p) }

    mutating func addUnique(_ e: PackedElement, _ d: inout DuplicateFinder) -> Int? {
        e.append(to: &self)
        return d.insert(count - 1, of: self)
    }

    mutating func addUnique(_ p: UnsafeRawBufferPointer, _ d: inout DuplicateFinder) -> Int? {
        append(p)
        return d.insert(count - 1, of: self)
    }
}

/// The element count and longest element of a collection, its elements not kept: members
/// that must be unique are compared in place in their blob (or, read from the stream, as
/// copies the duplicate finder keeps).
struct ElementTally: ElementSink {
    private(set) var count = 0
    private(set) var longest = 0

    mutating func add(_ e: PackedElement) {
        count += 1
        longest = max(longest, e.length)
    }

    mutating func add(_ p: UnsafeRawBufferPointer) {
        count += 1
        longest = max(longest, p.count)
    }

    mutating func addUnique(_ e: PackedElement, _ d: inout DuplicateFinder) -> Int? {
        add(e)
        return d.insert(inPlace: e)
    }

    mutating func addUnique(_ p: UnsafeRawBufferPointer, _ d: inout DuplicateFinder) -> Int? {
        add(p)
        return d.insert(copying: p)
    }

    func reserveCapacity(forPacked p: UnsafeRawBufferPointer, listpack: Bool, share: Int) {}
}

/// Where the sorted-set walks put scores: kept (`[Double]`, `readValue`) or only checked
/// (`ScoreCheck`, `readValueShape`).
protocol ScoreSink {
    mutating func add(_ score: Double)
    /// A score stored as text; false when Redis would refuse it (not entirely a number, or NaN).
    mutating func add(text: UnsafeRawBufferPointer) -> Bool
}

extension Array: ScoreSink where Element == Double {
    mutating func add(_ score: Double) { append(score) }

    mutating func add(text: UnsafeRawBufferPointer) -> Bool {
        guard let d = parseDouble(text), !d.isNaN else { return false }
        append(d)
        return true
    }
}

struct ScoreCheck: ScoreSink {
    func add(_ score: Double) {}
    func add(text: UnsafeRawBufferPointer) -> Bool { isScore(text) }
}
