/// The N largest items seen, by a key, in O(N) memory whatever the input size (a min-heap).
public struct TopN<Element> {
    public let capacity: Int
    private var heap: [(weight: Int64, order: Int, element: Element)] = []
    private var counter = 0

    public init(_ capacity: Int) { self.capacity = max(0, capacity) }

    /// True when an item of this weight would be kept; lets callers skip building the element.
    public func admits(_ weight: Int64) -> Bool {
        heap.count < capacity || (capacity > 0 && weight > heap[0].weight)
    }

    public mutating func insert(_ weight: Int64, _ element: @autoclosure () -> Element) {
        guard admits(weight) else { return }
        let item = (weight: weight, order: counter, element: element())
        counter += 1
        if heap.count < capacity {
            heap.append(item)
            siftUp(heap.count - 1)
        } else {
            heap[0] = item
            siftDown(0)
        }
    }

    /// Largest first; equal weights in the order they were seen.
    public var sorted: [Element] {
        heap.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order }.map(\.element)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].weight != heap[b].weight ? heap[a].weight < heap[b].weight : heap[a].order > heap[b].order
    }

    private mutating func siftUp(_ i: Int) {
        var c = i
        while c > 0 {
            let p = (c - 1) / 2
            guard less(c, p) else { break }
            heap.swapAt(c, p)
            c = p
        }
    }

    private mutating func siftDown(_ i: Int) {
        var p = i
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < heap.count && less(l, m) { m = l }
            if r < heap.count && less(r, m) { m = r }
            if m == p { return }
            heap.swapAt(p, m)
            p = m
        }
    }
}
