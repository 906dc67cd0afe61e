/// Sets: an intset while every member is an integer, a listpack (7.2+) while small, else a
/// hashtable of member sds.
extension MemoryModel {
    func set(_ l: ByteList, stored: Encoding, layout: StoredLayout?) -> ValueCost {
        let n = l.count
        if let blob = layout?.blobs.first {
            // Kept as loaded: an intset, or a 7.2 listpack, within the limits (only the count is checked).
            if stored == .intset && n <= limits.setMaxIntsetEntries {
                return ValueCost(bytes: structs.robj + Jemalloc.usableSize(blob.bytes), encoding: .intset)
            }
            if stored == .listpack && version == .redis72 && n <= limits.setMaxListpackEntries {
                return ValueCost(bytes: structs.robj + Jemalloc.usableSize(blob.bytes), encoding: .listpack)
            }
        }
        if (stored == .intset && n > limits.setMaxIntsetEntries)
            || (stored == .listpack && version == .redis72 && n > limits.setMaxListpackEntries) {
            // Too many members: `setTypeConvert` sizes the dict for all of them.
            return hashtableSet(l, presizedDict(n))
        }
        return loadedSet(l)
    }

    /// `rdbLoadObject` for a set stored member by member: a dict from the start when there are
    /// more members than an intset may hold, else an intset converted on the first
    /// non-integer (7.2: to a listpack while small enough).
    private func loadedSet(_ l: ByteList) -> ValueCost {
        let n = l.count
        if n > limits.setMaxIntsetEntries { return hashtableSet(l, presizedDict(n)) }
        var width = 2
        var longest = 0
        var listpack: PackedSize? = nil
        for i in l.indices {
            let len = l.length(of: i)
            longest = max(longest, len)
            if var lp = listpack {
                if i < limits.setMaxListpackEntries && len <= limits.setMaxListpackValue {
                    l.withElement(i) { lp.append($0) }
                    listpack = lp
                    continue
                }
                return hashtableSet(l, presizedDict(n))
            }
            if let v = l.withElement(i, { Decimal64.parseCanonical($0) }) {
                width = max(width, PackedSize.intsetWidth(v))
                continue
            }
            if version == .redis72 && i < limits.setMaxListpackEntries && longest <= limits.setMaxListpackValue {
                var lp = PackedSize(.listpack)
                lp.append(l, 0..<i + 1)
                listpack = lp
                continue
            }
            if version == .redis72 { return hashtableSet(l, presizedDict(n)) }
            // 7.0: `setTypeConvert` presizes for the members so far, then the loader for all.
            var d = DictModel()
            d.expand(i)
            d.add(i)
            d.expand(n)
            d.add(n - i)
            return hashtableSet(l, d)
        }
        if let lp = listpack {
            return ValueCost(bytes: structs.robj + Jemalloc.usableSize(lp.bytes), encoding: .listpack)
        }
        return ValueCost(bytes: structs.robj + Jemalloc.usableSize(PackedSize.intset(count: n, width: width)), encoding: .intset)
    }

    /// A new dict expanded for all `n` members before they are added (the loader's
    /// `dictTryExpand(len)`, `setTypeConvert`, 7.2's `setTypeConvertAndExpand`).
    func presizedDict(_ n: Int) -> DictModel {
        var d = DictModel()
        d.expand(n)
        d.add(n)
        return d
    }

    private func hashtableSet(_ l: ByteList, _ d: DictModel) -> ValueCost {
        var bytes = structs.robj + dictBytes(d)
        for i in l.indices { bytes += structs.dictEntry + sdsBytes(l.length(of: i)) }
        return ValueCost(bytes: bytes, encoding: .hashtable)
    }
}
