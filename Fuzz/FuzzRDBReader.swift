// libFuzzer entry for the RDB reader, compiled together with Sources/RDBKit by scripts/fuzz
// (not a SwiftPM target). Each input is verified (structure level, duplicate keys) and read
// at the values level: neither may trap, hang, or allocate without bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRDBReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var options = VerifyOptions(nowMs: 0, hexdumpRadius: 16)
    options.duplicateKeyMemory = 1 << 16
    let result = Verifier(options: options).verify(bytes: bytes)
    _ = result.json()
    _ = result.text()
    var events = 0
    do {
        try RDBReader(input: BufferedReader(MemorySource(bytes))).read { _ in events += 1 }
        // What reads whole at the values level must verify without damage, and vice versa.
        if result.failure != nil, result.failure?.expected != "each key once per database",
           result.failure?.kind != .unsupportedVersion, !(result.failure?.expected.hasPrefix("a function library") ?? false) {
            fatalError("verify and the reader disagree: \(result.failure!)")
        }
    } catch {
        if result.failure == nil { fatalError("the reader failed where verify found no damage: \(error)") }
    }
    return 0
}
