import ArgumentParser
import RDBKit

/// The memory model of the keyspace analyses (`memory`, `top`, `prefixes`, `report`).
struct ModelOptions: ParsableArguments {
    @Option(help: "Estimate memory with this server version's layouts: 6.2, 7.0 or 7.2.")
    var modelVersion: MemoryModel.Version = .redis70

    var model: MemoryModel { MemoryModel(version: modelVersion) }
}

/// Runs a keyspace scan of one file with a progress meter; reader warnings go to stderr.
/// Returns the file's size (nil for a pipe).
@discardableResult
func scanKeyspace(_ file: String, _ scan: KeyspaceScan, reader: ReaderOptions,
                  events: (RDBEvent) throws -> Void = { _ in }, keys: (KeyStats) throws -> Void) throws -> Int64? {
    let opened = try Input.open(file)
    let rdb = RDBReader(opened: opened, path: file, options: scan.readerOptions(reader.readerOptions))
    let input = rdb.input
    let progress = Progress(total: opened.fileSize)
    defer { progress.finish() }
    try scan.run(rdb, events: { event in
        if case .warning(let w) = event { Console.error("\(file): warning: \(w)") }
        try events(event)
    }, keys: { k in
        try keys(k)
        progress.update(input.offset)
    })
    return opened.fileSize
}
