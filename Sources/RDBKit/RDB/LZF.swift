/// LZF decompression as Redis's embedded LibLZF writes it (format.md §4.3), checked so that a
/// damaged stream is an error, never an out-of-bounds read or write.
public enum LZF {
    public enum Failure: Error, Equatable {
        case outputOverrun(at: Int)
        case inputOverrun(at: Int)
        case backReferenceBeforeStart(at: Int, distance: Int, produced: Int)
        case lengthMismatch(produced: Int)
    }

    /// Decompresses `input` into `out` (appended), which must end exactly `expected` bytes longer.
    public static func decompress(_ input: UnsafeRawBufferPointer, expected: Int, into out: inout [UInt8]) throws(Failure) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: expected))
        let failure = out.withUnsafeMutableBytes { whole -> Failure? in
            do throws(Failure) {
                try decompress(input, into: UnsafeMutableRawBufferPointer(rebasing: whole[start...]))
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            out.removeLast(expected)
            throw failure
        }
    }

    /// Decompresses `input` into `dst`, which it must fill exactly.
    public static func decompress(_ input: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) throws(Failure) {
        let produced = try walk(input, expected: dst.count, into: dst.bindMemory(to: UInt8.self))
        if produced != dst.count { throw .lengthMismatch(produced: produced) }
    }

    /// Makes every check `decompress` makes without writing the output: a string that is
    /// only skipped needs its stream valid, not its bytes.
    public static func validate(_ input: UnsafeRawBufferPointer, expected: Int) throws(Failure) {
        let produced = try walk(input, expected: expected, into: nil)
        if produced != expected { throw .lengthMismatch(produced: produced) }
    }

    /// Runs the stream, writing into `dst` when there is one; returns the bytes produced.
    @inline(__always)
    private static func walk(_ input: UnsafeRawBufferPointer, expected: Int,
                             into dst: UnsafeMutableBufferPointer<UInt8>?) throws(Failure) -> Int {
        let n = input.count
        var i = 0
        var o = 0
        // Output is written through `out`; `expected` bounds it (the callers' `dst` holds that).
        let out = dst?.baseAddress.map(UnsafeMutableRawPointer.init)
        while i < n {
            let ctrl = Int(input[i])
            i += 1
            if ctrl < 32 {
                let len = ctrl + 1
                if i + len > n { throw .inputOverrun(at: i - 1) }
                if o + len > expected { throw .outputOverrun(at: i - 1) }
                if let out, let from = input.baseAddress {
                    if i + 32 <= n && o + 32 <= expected {
                        // A run is at most 32 bytes: two fixed 16-byte moves beat a call to
                        // memmove; the bytes past the run are written over by what follows.
                        (out + o).storeBytes(of: (from + i).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
                        (out + o + 16).storeBytes(of: (from + i + 16).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
                    } else {
                        (out + o).copyMemory(from: from + i, byteCount: len)
                    }
                }
                i += len
                o += len
            } else {
                var len = ctrl >> 5
                let at = i - 1
                if len == 7 {
                    if i >= n { throw .inputOverrun(at: at) }
                    len += Int(input[i])
                    i += 1
                }
                len += 2
                if i >= n { throw .inputOverrun(at: at) }
                let distance = ((ctrl & 0x1F) << 8) + Int(input[i]) + 1
                i += 1
                if distance > o { throw .backReferenceBeforeStart(at: at, distance: distance, produced: o) }
                if o + len > expected { throw .outputOverrun(at: at) }
                if let out {
                    let from = o - distance
                    if distance >= 8 && o + len + 8 <= expected {
                        // Eight bytes at a time: each word read was produced before it, even
                        // when the reference overlaps what it produces (distance >= 8).
                        var k = 0
                        while k < len {
                            (out + o + k).storeBytes(of: (out + from + k).loadUnaligned(as: UInt64.self), as: UInt64.self)
                            k += 8
                        }
                    } else {
                        // Byte by byte: an overlapping reference repeats what it produces.
                        for k in 0..<len { (out + o + k).storeBytes(of: out.load(fromByteOffset: from + k, as: UInt8.self), as: UInt8.self) }
                    }
                }
                o += len
            }
        }
        return o
    }
}
