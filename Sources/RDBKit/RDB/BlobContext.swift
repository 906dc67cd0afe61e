/// Where a serialized container (ziplist, listpack, intset, zipmap) sits in the file, so that a
/// fault found at byte `i` of the blob is reported at a file offset.
struct BlobContext {
    /// File offset of the blob's first byte when stored raw, of the LZF string when compressed.
    var fileOffset: Int64
    var compressed: Bool
    var kind: String

    func error(at i: Int, expected: String, found: String) -> RDBError {
        let where_ = compressed ? " (byte \(i) of the decompressed \(kind))" : ""
        return RDBError(.structural, at: compressed ? fileOffset : fileOffset + Int64(i),
                        expected: expected, found: found + where_)
    }
}

/// One decoded element of a ziplist or listpack: bytes in the blob, or an integer.
enum PackedElement {
    case bytes(UnsafeRawBufferPointer)
    case integer(Int64)

    func append(to list: inout ByteList) {
        switch self {
        case .bytes(let p): list.append(p)
        case .integer(let v): list.appendDecimal(v)
        }
    }

    var asInteger: Int64? {
        switch self {
        case .integer(let v): v
        case .bytes(let p): Decimal64.parseCanonical(p)
        }
    }
}

/// A ziplist or listpack walked element by element.
protocol PackedElementIterator {
    mutating func next() throws -> PackedElement?
}

extension PackedElementIterator {
    /// Every element; the iterator is consumed.
    mutating func forEach(_ body: (PackedElement) throws -> Void) throws {
        while let e = try next() { try body(e) }
    }
}
