/// Renders `rdbtool top`: a table for a person, or one JSON object.
public struct TopKeysReport {
    public var path: String
    public var ranking: TopKeys.Ranking
    /// The memory model's version, when memory was estimated.
    public var modelVersion: MemoryModel.Version?
    public var entries: [TopKeys.Entry]

    public init(path: String, ranking: TopKeys.Ranking, modelVersion: MemoryModel.Version?, entries: [TopKeys.Entry]) {
        self.path = path; self.ranking = ranking; self.modelVersion = modelVersion; self.entries = entries
    }

    private var title: String {
        let measure = switch ranking {
        case .memory: "estimated memory"
        case .serialized: "serialized bytes"
        case .elements: "element count"
        }
        return "\(path): \(entries.count) biggest keys by \(measure)" + (modelVersion.map { " (Redis \($0.rawValue) memory model)" } ?? "")
    }

    public func text() -> String {
        var out = [title]
        let showMemory = entries.contains { $0.memoryBytes != nil }
        var header = showMemory ? TextLayout.padLeft("memory", 12) : ""
        header += TextLayout.padLeft("serialized", 12) + "  " + TextLayout.pad("type", 8) + TextLayout.pad("encoding", 11)
        header += TextLayout.padLeft("elements", 10) + TextLayout.padLeft("db", 4) + "  key"
        out.append(header)
        for e in entries {
            var line = showMemory ? TextLayout.padLeft(e.memoryBytes.map { "\($0)" } ?? "", 12) : ""
            line += TextLayout.padLeft("\(e.serializedBytes)", 12) + "  " + TextLayout.pad(e.type.rawValue, 8)
            line += TextLayout.pad(e.encoding, 11) + TextLayout.padLeft("\(e.elements)", 10) + TextLayout.padLeft("\(e.db)", 4)
            out.append(line + "  " + Quoting.redisCLI(e.key, limit: 80))
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let keys: [JSONValue] = entries.map { e in
            .object([
                ("db", .int(Int64(e.db))), ("key", .bytes(e.key)), ("type", .string(e.type.rawValue)),
                ("encoding", .string(e.encoding)), ("elements", .int(Int64(e.elements))),
                ("memory_bytes", e.memoryBytes.map { .int($0) } ?? .null),
                ("serialized_bytes", .int(e.serializedBytes)),
                ("expire_ms", e.expireAtMs.map { .int($0) } ?? .null),
            ])
        }
        return JSONValue.object([
            ("file", .string(path)), ("by", .string(ranking.rawValue)),
            ("model", modelVersion.map { .string($0.rawValue) } ?? .null), ("keys", .array(keys)),
        ]).serialized() + "\n"
    }
}
