/// Squarified treemap layout (Bruls, Huizing, van Wijk 2000): rectangles whose areas are
/// proportional to the values, laid in rows along the shorter side so they stay close to square.
enum Treemap {
    struct Rect: Equatable {
        var x, y, width, height: Double
        var area: Double { width * height }
    }

    /// One rectangle per value, in the order given; values must be sorted largest first.
    /// Zero and negative values get empty rectangles.
    static func layout(_ values: [Double], in bounds: Rect) -> [Rect] {
        var out = [Rect](repeating: Rect(x: bounds.x, y: bounds.y, width: 0, height: 0), count: values.count)
        let positive = values.indices.filter { values[$0] > 0 }
        let sum = positive.reduce(0.0) { $0 + values[$1] }
        guard sum > 0, bounds.area > 0 else { return out }
        let scale = bounds.area / sum
        var free = bounds
        var row: [Int] = []
        var i = 0
        while i < positive.count {
            let candidate = row + [positive[i]]
            let side = min(free.width, free.height)
            if row.isEmpty || worst(candidate.map { values[$0] * scale }, side) <= worst(row.map { values[$0] * scale }, side) {
                row = candidate
                i += 1
            } else {
                free = place(row, values, scale, in: free, into: &out)
                row = []
            }
        }
        if !row.isEmpty { _ = place(row, values, scale, in: free, into: &out) }
        return out
    }

    /// The worst aspect ratio of a row of areas laid along a side of length `side`.
    private static func worst(_ areas: [Double], _ side: Double) -> Double {
        let s = areas.reduce(0, +)
        guard s > 0, side > 0, let mx = areas.max(), let mn = areas.min() else { return .infinity }
        return max(side * side * mx / (s * s), s * s / (side * side * mn))
    }

    /// Lays a row along the shorter side of `free`; returns what is left.
    private static func place(_ row: [Int], _ values: [Double], _ scale: Double, in free: Rect, into out: inout [Rect]) -> Rect {
        let s = row.reduce(0.0) { $0 + values[$1] * scale }
        if free.width >= free.height {
            // A column on the left, as wide as the row's area needs.
            let w = free.height > 0 ? s / free.height : 0
            var y = free.y
            for i in row {
                let h = w > 0 ? values[i] * scale / w : 0
                out[i] = Rect(x: free.x, y: y, width: w, height: h)
                y += h
            }
            return Rect(x: free.x + w, y: free.y, width: max(0, free.width - w), height: free.height)
        } else {
            let h = free.width > 0 ? s / free.width : 0
            var x = free.x
            for i in row {
                let w = h > 0 ? values[i] * scale / h : 0
                out[i] = Rect(x: x, y: free.y, width: w, height: h)
                x += w
            }
            return Rect(x: free.x, y: free.y + h, width: free.width, height: max(0, free.height - h))
        }
    }
}
