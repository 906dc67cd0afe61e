// libFuzzer entry for the AOF tokenizer, compiled together with Sources/RDBKit by
// `scripts/fuzz aof` (not a SwiftPM target). Each input is tokenised as one AOF file, strictly
// and with tolerated line feeds, and parsed as a manifest: none may trap, hang, or allocate
// without bound, and every item and error must lie inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAOFReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var strictEnd: Int64? = nil
    for tolerant in [false, true] {
        let input = BufferedReader(MemorySource(bytes), checksum: false, bufferSize: 1 << 12)
        let reader = RESPCommandReader(input: input, file: "fuzz.aof", tolerateLineFeeds: tolerant)
        var previousEnd: Int64 = 0
        while true {
            do {
                let item = try reader.next()
                if item == .end { break }
                guard reader.itemOffset == previousEnd, reader.itemBytes > 0, input.offset <= Int64(size) else {
                    fatalError("item at \(reader.itemOffset) of \(reader.itemBytes) bytes after one ending at \(previousEnd)")
                }
                if item == .command, reader.arguments.isEmpty { fatalError("a command without arguments") }
                previousEnd = input.offset
            } catch {
                guard error.offset >= 0, error.offset <= Int64(size), (error.commandOffset ?? 0) <= error.offset else {
                    fatalError("error outside the input: \(error)")
                }
                _ = error.description
                break
            }
        }
        // Tolerating line feeds only ever reads further than strict reading.
        if tolerant, let strictEnd, previousEnd < strictEnd { fatalError("tolerant reading stopped before strict reading") }
        strictEnd = previousEnd
    }
    _ = try? AOFManifest.parse(bytes, file: "fuzz.manifest")
    return 0
}
