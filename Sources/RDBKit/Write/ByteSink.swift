/// Where rendered bytes go: a writer's `RecordBuffer`, the `OutputBuffer` itself (reports),
/// or a small array (text whose length must be known before it is written, and tests).
protocol ByteSink: ~Copyable {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeRawBufferPointer)
    mutating func appendDecimal(_ v: Int64)
    /// Lets `body` write up to `maxCount` bytes in place; `body` returns how many it wrote.
    mutating func appendInPlace(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int)
}

extension ByteSink where Self: ~Copyable {
    /// Literal text, copied without building a `String`.
    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    /// Text computed at run time.
    mutating func append(text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }
}

extension RecordBuffer: ByteSink {}

extension OutputBuffer: ByteSink {}

extension Array: ByteSink where Element == UInt8 {
    mutating func append(_ bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
    mutating func appendDecimal(_ v: Int64) { Decimal64.append(v, to: &self) }
    mutating func appendInPlace(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        Swift.withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxCount) { tmp in
            let n = body(tmp.baseAddress!)
            append(contentsOf: UnsafeBufferPointer(rebasing: tmp[0..<n]))
        }
    }
}
