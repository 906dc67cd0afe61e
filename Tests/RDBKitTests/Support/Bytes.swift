@testable import RDBKit

/// Bytes from a hex string with optional spaces: `hex("0a 0b")`.
func hex(_ s: String) -> [UInt8] {
    let digits = s.filter { !$0.isWhitespace }
    var out: [UInt8] = []
    var i = digits.startIndex
    while i < digits.endIndex {
        let j = digits.index(i, offsetBy: 2)
        out.append(UInt8(digits[i..<j], radix: 16)!)
        i = j
    }
    return out
}

func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A decoder over in-memory bytes.
func decoder(_ bytes: [UInt8], _ dialect: Dialect = Dialect(family: .redis, version: 10)) -> RDBDecoder {
    RDBDecoder(input: BufferedReader(MemorySource(bytes)), dialect: dialect)
}

func strings(_ l: ByteList) -> [String] { l.map { String(decoding: $0, as: UTF8.self) } }

/// Reads a whole RDB image and returns its events.
func events(_ bytes: [UInt8], options: RDBReader.Options = .init()) throws -> [RDBEvent] {
    var out: [RDBEvent] = []
    try RDBReader(input: BufferedReader(MemorySource(bytes)), options: options).read { out.append($0) }
    return out
}

func keys(_ evs: [RDBEvent]) -> [KeyRecord] {
    evs.compactMap { if case .key(let r) = $0 { r } else { nil } }
}

/// Builds a minimal RDB image: header, body records, EOF and a correct CRC.
func rdbImage(_ body: [UInt8], magic: String = "REDIS0010") -> [UInt8] {
    var b = ascii(magic) + body + [0xFF]
    let crc = CRC64.checksum(b)
    withUnsafeBytes(of: crc.littleEndian) { b.append(contentsOf: $0) }
    return b
}

/// The elements of a ziplist or listpack blob as text (integers in decimal).
func packedElements<I: PackedElementIterator>(_ bytes: [UInt8], kind: String,
                                              _ make: (UnsafeRawBufferPointer, BlobContext) throws -> I) throws -> [String] {
    try bytes.withUnsafeBytes { p in
        var it = try make(p, BlobContext(fileOffset: 100, compressed: false, kind: kind))
        var out: [String] = []
        try it.forEach { e in
            switch e {
            case .integer(let v): out.append("\(v)")
            case .bytes(let b): out.append(String(decoding: b, as: UTF8.self))
            }
        }
        return out
    }
}
