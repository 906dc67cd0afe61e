import Foundation
import Testing
@testable import RDBKit

/// Seeded random damage to real dumps: single-byte flips, truncations and insertions. For
/// every mutant verify must return (no trap) quickly with bounded memory, and whenever it
/// calls a mutant clean the file must really read whole; a sample of the clean RDB ≤ 10
/// mutants must load into redis-server 7.0.15.
@Suite struct VerifyMutationTests {
    /// Mutants per fixture image (`RDBTOOL_MUTANTS` raises it for a longer run).
    static let perImage = Int(ProcessInfo.processInfo.environment["RDBTOOL_MUTANTS"] ?? "") ?? 150

    struct Image: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var version: Int
        var testDescription: String { name }
    }

    /// A compact copy of each fixture dump: its header records, then the smallest key and the
    /// largest key under 2000 bytes of every encoding it holds, in file order, with the
    /// checksum recomputed, and the same with the checksum
    /// disabled (zero), so that flips reach the decoders instead of only the CRC.
    static let images: [Image] = {
        var out: [Image] = []
        for path in Paths.files(under: Paths.fixtures + "/corpus", where: { $0.hasSuffix("dump.rdb") }) {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = Array(data)
            var smallest: [Int: (offset: Int, size: Int)] = [:]
            var richest: [Int: (offset: Int, size: Int)] = [:]
            var firstKey = Int.max
            var version = 0
            try? RDBReader(input: BufferedReader(MemorySource(bytes))).read { e in
                if case .header(let d) = e { version = d.version }
                guard case .key(let r) = e, r.db == 0 else { return }
                let m = r.metadata
                firstKey = min(firstKey, Int(m.offset))
                let code = Int(m.encoding.rawValue) << 8 | Int(m.typeByte)
                let record = (offset: Int(m.offset), size: Int(m.serializedBytes))
                if smallest[code].map({ $0.size > record.size }) ?? true { smallest[code] = record }
                if record.size <= 2000, richest[code].map({ $0.size < record.size }) ?? true { richest[code] = record }
            }
            guard firstKey < bytes.count else { continue }
            var body = Array(bytes[0..<firstKey])
            var chosen: [Int: Int] = [:]
            for r in Array(smallest.values) + Array(richest.values) { chosen[r.offset] = r.size }
            for (offset, size) in chosen.sorted(by: { $0.key < $1.key }) { body += bytes[offset..<offset + size] }
            body.append(0xFF)
            let build = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
            if version >= 5 {
                var withCRC = body
                withUnsafeBytes(of: CRC64.checksum(body).littleEndian) { withCRC.append(contentsOf: $0) }
                out.append(Image(name: build, bytes: withCRC, version: version))
                out.append(Image(name: build + "-nochecksum", bytes: body + [UInt8](repeating: 0, count: 8), version: version))
            } else {
                out.append(Image(name: build, bytes: body, version: version))
            }
        }
        return out
    }()

    /// SplitMix64: the same mutants on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ b: [UInt8], _ rng: inout Seeded) -> [UInt8] {
        var m = b
        switch rng.next() % 3 {
        case 0:
            let i = Int.random(in: 0..<m.count, using: &rng)
            m[i] ^= UInt8.random(in: 1...255, using: &rng)
        case 1:
            m.removeLast(Int.random(in: 1...m.count, using: &rng))
        default:
            let i = Int.random(in: 0...m.count, using: &rng)
            m.insert(contentsOf: (0..<Int.random(in: 1...4, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: i)
        }
        return m
    }

    static func peakRSSKiB() -> Int {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return u.ru_maxrss
    }

    /// `RDBTOOL_EXPORT_SEEDS=DIR` writes the images there (Fuzz/seeds holds them).
    @Test func everyFixtureYieldsACompactImage() throws {
        if let dir = ProcessInfo.processInfo.environment["RDBTOOL_EXPORT_SEEDS"] {
            for image in Self.images { try Data(image.bytes).write(to: URL(fileURLWithPath: dir + "/" + image.name + ".rdb")) }
        }
        #expect(Self.images.count == 16)
        #expect(Self.images.allSatisfy { $0.bytes.count < 16_000 })
        for image in Self.images {
            #expect(Verifier().verify(bytes: image.bytes).failure == nil, "\(image.name)")
        }
    }

    @Test(arguments: images)
    func mutantsNeverTrapHangOrPassUnreadable(_ image: Image) throws {
        var rng = Seeded(state: 20_241_123 &+ UInt64(image.bytes.count))
        let rssBefore = Self.peakRSSKiB()
        var clean = 0
        for _ in 0..<Self.perImage {
            let m = Self.mutate(image.bytes, &rng)
            let started = monotonicSeconds()
            let r = Verifier().verify(bytes: m)
            #expect(monotonicSeconds() - started < 1, "a mutant of \(image.name) took too long")
            let readerError: Error?
            do { try RDBReader(input: BufferedReader(MemorySource(m))).read { _ in }; readerError = nil } catch { readerError = error }
            guard let f = r.failure else {
                // Clean means every record reads whole, values and all.
                #expect(readerError == nil, "\(image.name): verify said clean, the reader disagrees: \(readerError!)")
                clean += 1
                continue
            }
            // Damage verify alone sees: repeated keys, a header its producer does not write,
            // a function library without its #! line. Anything else the reader sees too.
            let verifyOnly = f.expected == "each key once per database" || f.kind == .unsupportedVersion
                || f.expected.hasPrefix("a function library")
            #expect(readerError != nil || verifyOnly, "\(image.name): the reader reads what verify calls \(f)")
        }
        // Memory: nothing a mutant claims (lengths, counts) may be allocated before its bytes
        // exist; the process's peak stays within a small bound of what the suite uses anyway.
        #expect(Self.peakRSSKiB() - rssBefore < 64 << 10)
        #expect(clean < Self.perImage)
    }

    /// Mutants verify finds no damage in (RDB ≤ 10, which redis-server 7.0.15 reads) load
    /// into a real server: a server refusing one would be damage verify missed.
    @Test(.enabled(if: RedisServer.available, "redis-server is not installed"),
          arguments: images.filter { $0.version <= 10 && $0.name.hasSuffix("nochecksum") })
    func cleanMutantsLoadIntoRedis(_ image: Image) throws {
        var rng = Seeded(state: 7 &+ UInt64(image.bytes.count))
        var loaded = 0
        for _ in 0..<400 where loaded < 3 {
            let m = Self.mutate(image.bytes, &rng)
            guard m != image.bytes, Verifier().verify(bytes: m).failure == nil else { continue }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-mutant-\(UUID().uuidString).rdb")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(m).write(to: file)
            do {
                _ = try RedisServer(loading: file.path)
            } catch {
                // Lua code is compiled by the server only: a flip inside a function library's
                // code is invisible without a checksum (verify checks its #! line).
                #expect("\(error)".contains("Error compiling function"), "\(image.name): verify said clean, redis-server refused it: \(error)")
            }
            loaded += 1
        }
        #expect(loaded == 3)
    }
}
