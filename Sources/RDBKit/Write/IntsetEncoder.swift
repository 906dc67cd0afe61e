/// Builds an intset (format.md §5.9): the narrowest width holding every member, members in
/// increasing order, all little-endian.
enum IntsetEncoder {
    /// `members` must be distinct; they are sorted here.
    static func encode(_ members: [Int64]) -> [UInt8] {
        let sorted = members.sorted()
        let width: Int
        let low = sorted.first ?? 0, high = sorted.last ?? 0
        if low >= Int64(Int16.min) && high <= Int64(Int16.max) {
            width = 2
        } else if low >= Int64(Int32.min) && high <= Int64(Int32.max) {
            width = 4
        } else {
            width = 8
        }
        var out: [UInt8] = []
        out.reserveCapacity(8 + width * sorted.count)
        appendLittleEndian(UInt32(width), to: &out)
        appendLittleEndian(UInt32(sorted.count), to: &out)
        for v in sorted {
            switch width {
            case 2: appendLittleEndian(Int16(v), to: &out)
            case 4: appendLittleEndian(Int32(v), to: &out)
            default: appendLittleEndian(v, to: &out)
            }
        }
        return out
    }
}
