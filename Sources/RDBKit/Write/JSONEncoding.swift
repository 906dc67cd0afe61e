// Temporary stand-in until the writers land.
enum JSONEncoding {
    static func appendDouble(_ d: Double, to out: OutputBuffer) { out.append(d.description) }
    static func appendString(_ b: [UInt8], to out: OutputBuffer) {
        out.append(UInt8(ascii: "\""))
        for c in b {
            switch c {
            case 0x22: out.append("\\\"")
            case 0x5C: out.append("\\\\")
            case 0..<0x20: out.append("\\u00" + (c < 16 ? "0" : "") + String(c, radix: 16))
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
    static func appendBytes(_ p: UnsafeRawBufferPointer, to out: OutputBuffer) { appendString(Array(p), to: out) }
}
