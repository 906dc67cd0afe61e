/// Hashes: a listpack of field/value pairs while small, else a dict of field and value sds.
extension MemoryModel {
    func hash(_ h: HashValue, stored: Encoding, layout: StoredLayout?) -> ValueCost {
        let n = h.fields.count
        switch stored {
        case .listpack, .ziplist, .listpackEx:
            // Packed in the file: only the count is checked on load.
            if n > limits.hashMaxEntries { return hashtable(h, presizedDict(n)) }
            if keepsPacked(stored), let blob = layout?.blobs.first {
                return ValueCost(bytes: structs.robj + Jemalloc.usableSize(blob.bytes), encoding: packedEncoding)
            }
            return packed(h)
        case .zipmap:
            let longest = max(h.fields.longestElement, h.values.longestElement)
            if n > limits.hashMaxEntries || longest > limits.hashMaxValue {
                return hashtable(h, presizedDict(n))
            }
            return packed(h)
        default:
            return loadedHash(h)
        }
    }

    /// `rdbLoadObject` for a hash stored pair by pair: a dict from the start when there are
    /// too many pairs, else a listpack until a field or value is too long for one.
    private func loadedHash(_ h: HashValue) -> ValueCost {
        let n = h.fields.count
        var d = DictModel()
        if n > limits.hashMaxEntries {
            // `hashTypeConvert` of the empty listpack, then `dictTryExpand(len)`.
            d.expand(0)
            d.expand(n)
            d.add(n)
            return hashtable(h, d)
        }
        for i in 0..<n where h.fields.length(of: i) > limits.hashMaxValue || h.values.length(of: i) > limits.hashMaxValue {
            // Converted holding the pairs so far, then presized for those still to come.
            d.expand(i)
            d.add(i + 1)
            let remaining = n - i - 1
            if remaining > 4 { d.expand(remaining) }
            d.add(remaining)
            return hashtable(h, d)
        }
        return packed(h)
    }

    private func packed(_ h: HashValue) -> ValueCost {
        var size = PackedSize(packedKind)
        for i in h.fields.indices {
            h.fields.withElement(i) { size.append($0) }
            h.values.withElement(i) { size.append($0) }
        }
        return ValueCost(bytes: structs.robj + Jemalloc.usableSize(size.bytes), encoding: packedEncoding)
    }

    private func hashtable(_ h: HashValue, _ d: DictModel) -> ValueCost {
        var bytes = structs.robj + dictBytes(d)
        for i in h.fields.indices {
            bytes += structs.dictEntry + sdsBytes(h.fields.length(of: i)) + sdsBytes(h.values.length(of: i))
        }
        return ValueCost(bytes: bytes, encoding: .hashtable)
    }
}
