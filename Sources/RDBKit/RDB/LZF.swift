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
        out.reserveCapacity(start + expected)
        let n = input.count
        var i = 0
        while i < n {
            let ctrl = Int(input[i])
            i += 1
            if ctrl < 32 {
                let len = ctrl + 1
                if i + len > n { throw .inputOverrun(at: i - 1) }
                if out.count - start + len > expected { throw .outputOverrun(at: i - 1) }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<i + len]))
                i += len
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
                let produced = out.count - start
                if distance > produced { throw .backReferenceBeforeStart(at: at, distance: distance, produced: produced) }
                if produced + len > expected { throw .outputOverrun(at: at) }
                var from = out.count - distance
                // Byte by byte: an overlapping reference repeats what it is producing.
                for _ in 0..<len {
                    out.append(out[from])
                    from += 1
                }
            }
        }
        if out.count - start != expected { throw .lengthMismatch(produced: out.count - start) }
    }
}
