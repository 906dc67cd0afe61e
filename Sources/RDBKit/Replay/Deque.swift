/// A double-ended queue on a ring buffer: O(1) pushes and pops at both ends and O(1) indexing,
/// for lists (LPUSH/RPOP) and stream entries (appended at the tail, trimmed from the head).
/// (swift-collections' `Deque` would do, but the build reaches no package registry for it.)
struct Deque<Element>: RandomAccessCollection {
    private var buffer: [Element?] = []
    private var head = 0
    private(set) var count = 0

    init() {}
    init<S: Sequence>(_ s: S) where S.Element == Element { for e in s { append(e) } }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    private func slot(_ i: Int) -> Int {
        let s = head + i
        return s >= buffer.count ? s - buffer.count : s
    }

    subscript(i: Int) -> Element {
        get { buffer[slot(i)].unsafelyUnwrapped }
        set { buffer[slot(i)] = newValue }
    }

    private mutating func grow() {
        let old = buffer.count
        var b = [Element?](repeating: nil, count: Swift.max(8, old * 2))
        for i in 0..<count { b[i] = buffer[slot(i)] }
        buffer = b
        head = 0
    }

    mutating func append(_ e: Element) {
        if count == buffer.count { grow() }
        buffer[slot(count)] = e
        count += 1
    }

    mutating func prepend(_ e: Element) {
        if count == buffer.count { grow() }
        head = head == 0 ? buffer.count - 1 : head - 1
        buffer[head] = e
        count += 1
    }

    @discardableResult mutating func removeFirst() -> Element {
        let e = buffer[head].unsafelyUnwrapped
        buffer[head] = nil
        head = slot(1)
        count -= 1
        if count == 0 { head = 0 }
        return e
    }

    @discardableResult mutating func removeLast() -> Element {
        let s = slot(count - 1)
        let e = buffer[s].unsafelyUnwrapped
        buffer[s] = nil
        count -= 1
        if count == 0 { head = 0 }
        return e
    }

    /// Removes the element at `i`, shifting the shorter side.
    mutating func remove(at i: Int) {
        if i < count / 2 {
            var j = i
            while j > 0 { self[j] = self[j - 1]; j -= 1 }
            removeFirst()
        } else {
            for j in i..<(count - 1) { self[j] = self[j + 1] }
            removeLast()
        }
    }

    mutating func insert(_ e: Element, at i: Int) {
        if i == 0 { prepend(e); return }
        append(e)
        var j = count - 1
        while j > i { self[j] = self[j - 1]; j -= 1 }
        self[i] = e
    }

    /// Keeps only the elements for which `keep` is true, in order.
    mutating func filter(keeping keep: (Element) throws -> Bool) rethrows {
        var kept = Deque()
        for e in self where try keep(e) { kept.append(e) }
        self = kept
    }

    mutating func removeAll() { self = Deque() }
}
