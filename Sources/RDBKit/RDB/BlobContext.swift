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

    /// Calls `body` with the element's bytes, an integer's as its decimal text.
    @inline(__always)
    func withText<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .bytes(let p): try body(p)
        case .integer(let v): try Decimal64.withText(v, body)
        }
    }

    /// The length in bytes, an integer's as its decimal text.
    var length: Int {
        switch self {
        case .bytes(let p): p.count
        case .integer(let v): Decimal64.withText(v) { $0.count }
        }
    }

    var asInteger: Int64? {
        switch self {
        case .integer(let v): v
        case .bytes(let p): Decimal64.parseCanonical(p)
        }
    }
}

extension ByteList {
    /// Sizes the list once for the elements of a ziplist or listpack blob, `share` of them
    /// (1 for a list or set, 2 for pairs), instead of growing it element by element: most
    /// collections are small blobs, where the growth steps cost more than the copying. The
    /// byte estimate is the blob's size (integers may expand to more as decimal text).
    mutating func reserveCapacity(forPacked p: UnsafeRawBufferPointer, listpack: Bool, share: Int) {
        // The header's element count; 65535 means "count them". Sizing only: the iterators
        // check it against the elements.
        let at = listpack ? 4 : 8
        var elements = 0
        if p.count >= at + 2 {
            let declared = Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            if declared != 65535 { elements = declared / share }
        }
        reserveCapacity(elements: elements, bytes: p.count)
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
