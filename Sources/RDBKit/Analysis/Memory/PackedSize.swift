/// The byte size of a listpack or ziplist a server builds by appending elements, computed
/// without building it: every entry's encoding follows from its bytes alone (listpack.c
/// `lpEncodeGetType`, ziplist.c `zipTryEncoding`), so the size is exact.
struct PackedSize {
    enum Kind { case listpack, ziplist }

    let kind: Kind
    /// Header and terminator so far, then every entry: the container's total bytes.
    private(set) var bytes: Int
    private(set) var count = 0
    /// The last entry's size: a ziplist entry's prevlen field depends on it.
    private var previousEntry = 0

    init(_ kind: Kind) {
        self.kind = kind
        bytes = kind == .listpack ? 7 : 11  // total-bytes + count (+ tail offset) + 0xFF
    }

    /// Appends an element given as the bytes a client sent; canonical integers are stored as
    /// integers, as the server does.
    mutating func append(_ p: UnsafeRawBufferPointer) {
        if let v = Decimal64.parseCanonical(p) { append(integer: v) } else { append(stringOfLength: p.count) }
    }

    mutating func append(integer v: Int64) {
        switch kind {
        case .listpack:
            // 7-bit uint, 13-bit, 16-bit, 24-bit, 32-bit or 64-bit int, then a 1-byte back-length.
            let size: Int
            switch v {
            case 0...127: size = 1
            case -4096...4095: size = 2
            case -32768...32767: size = 3
            case -8_388_608...8_388_607: size = 4
            case -2_147_483_648...2_147_483_647: size = 5
            default: size = 9
            }
            add(size + 1)
        case .ziplist:
            let data: Int
            switch v {
            case 0...12: data = 0  // immediate, in the encoding byte
            case -128...127: data = 1
            case -32768...32767: data = 2
            case -8_388_608...8_388_607: data = 3
            case -2_147_483_648...2_147_483_647: data = 4
            default: data = 8
            }
            add(prevlenSize + 1 + data)
        }
    }

    mutating func append(stringOfLength n: Int) {
        switch kind {
        case .listpack:
            let encoded = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n
            add(encoded + Self.backlenSize(encoded))
        case .ziplist:
            add(prevlenSize + (n <= 63 ? 1 : n <= 16383 ? 2 : 5) + n)
        }
    }

    /// Appends every element of `list` in `range`.
    mutating func append(_ list: ByteList, _ range: Range<Int>) {
        for i in range { list.withElement(i) { append($0) } }
    }

    private var prevlenSize: Int { previousEntry < 254 ? 1 : 5 }

    private mutating func add(_ entry: Int) {
        bytes += entry
        previousEntry = entry
        count += 1
    }

    /// Bytes of a listpack back-length field for an entry of `n` bytes.
    static func backlenSize(_ n: Int) -> Int {
        n <= 127 ? 1 : n < 16383 ? 2 : n < 2_097_151 ? 3 : n < 268_435_455 ? 4 : 5
    }

    /// An intset of `count` members whose widest needs `width` bytes: 8-byte header, then members.
    static func intset(count: Int, width: Int) -> Int { 8 + count * width }

    /// Bytes an intset needs per member for `v`.
    static func intsetWidth(_ v: Int64) -> Int {
        Int64(Int16.min)...Int64(Int16.max) ~= v ? 2 : Int64(Int32.min)...Int64(Int32.max) ~= v ? 4 : 8
    }
}
