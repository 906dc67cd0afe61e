import Foundation

/// A finished child process: its status and what it printed.
struct ProcessResult {
    var status: Int32
    var out: Data
    var err: Data
    var stdout: String { String(decoding: out, as: UTF8.self) }
    var stderr: String { String(decoding: err, as: UTF8.self) }
}

/// Runs `executable` with `arguments`, feeding `stdin` when given, and waits for it.
func runProcess(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try p.run()
    if let stdin {
        // Written from another thread so a child that fills its output pipe cannot deadlock us.
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
    }
    let errOut = StderrBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errOut.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, out: o, err: errOut.data)
}

/// Standard error as read on another thread: written once before `group.leave()`, read after `group.wait()`.
private final class StderrBox: @unchecked Sendable {
    var data = Data()
}
