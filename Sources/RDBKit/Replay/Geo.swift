#if canImport(Glibc)
import Glibc
#endif

/// Geo commands (`geo.c`, `geohash.c`, `geohash_helper.c`). GEOADD is ZADD of 52-bit
/// interleaved geohash scores (servers propagate it as that ZADD); the STORE searches are
/// replayed by testing every member against the shape with Redis's distance formulas.
extension Replayer {
    static let geoCommands: [String: Handler] = [
        "GEOADD": { r, a in try r.geoadd(a) },
        "GEOSEARCHSTORE": { r, a in try r.geosearch(a, source: 2, store: a.count > 1 ? a[1] : nil, optionsFrom: 3, search: true) },
        "GEORADIUS": { r, a in try r.geosearch(a, source: 1, store: nil, optionsFrom: 6, search: false) },
        "GEORADIUSBYMEMBER": { r, a in try r.geosearch(a, source: 1, store: nil, optionsFrom: 5, search: false) },
    ]

    private func geoadd(_ a: Args) throws {
        var i = 2
        var flags: [[UInt8]] = []
        while i < a.count, a.isWord(i, "NX") || a.isWord(i, "XX") || a.isWord(i, "CH") { flags.append(a[i]); i += 1 }
        guard a.count - i >= 3, (a.count - i) % 3 == 0 else { throw a.error(.syntax, "syntax error") }
        var zadd: [[UInt8]] = [Array("ZADD".utf8), a[1]] + flags
        for j in stride(from: i, to: a.count, by: 3) {
            let lon = try a.double(j), lat = try a.double(j + 1)
            guard let bits = Geohash.encode(lon: lon, lat: lat) else {
                throw a.error(.outOfRange, "invalid longitude,latitude pair \(lon),\(lat)")
            }
            zadd.append(Decimal64.text(Int64(bits)))
            zadd.append(a[j + 2])
        }
        let command = ByteList(zadd)
        _ = try execute(command, command.indices)
    }

    private func longLat(_ a: Args, _ i: Int) throws -> (Double, Double) {
        let lon = try a.double(i), lat = try a.double(i + 1)
        guard lon >= Geohash.lonMin, lon <= Geohash.lonMax, lat >= Geohash.latMin, lat <= Geohash.latMax else {
            throw a.error(.outOfRange, "invalid longitude,latitude pair")
        }
        return (lon, lat)
    }

    private func unit(_ a: Args, _ i: Int) throws -> Double {
        if a.isWord(i, "M") { return 1 }
        if a.isWord(i, "KM") { return 1000 }
        if a.isWord(i, "FT") { return 0.3048 }
        if a.isWord(i, "MI") { return 1609.34 }
        throw a.error(.syntax, "unsupported unit provided. please use M, KM, FT, MI")
    }

    private enum Shape { case radius(Double), box(width: Double, height: Double) }

    /// GEOSEARCHSTORE, and GEORADIUS/GEORADIUSBYMEMBER with STORE/STOREDIST (without a store
    /// option they are reads and change nothing).
    private func geosearch(_ a: Args, source: Int, store storeKey0: [UInt8]?, optionsFrom base: Int, search: Bool) throws {
        try a.arity(atLeast: base)
        let src = try zset(a[source], a)
        var center: (Double, Double)?
        var shape: Shape?
        var conversion = 1.0
        if !search {
            if base == 6 { center = try longLat(a, 2) }
            else if let src {
                guard let score = src.score(of: a[2]) else { throw a.error(.noSuchKey, "could not decode requested zset member") }
                center = Geohash.decode(UInt64(score))
            }
            let r = try a.double(base - 2)
            guard r >= 0 else { throw a.error(.outOfRange, "radius cannot be negative") }
            conversion = try unit(a, base - 1)
            shape = .radius(r)
        }
        var storeKey = storeKey0, storeDist = false, count: Int64 = 0, any = false
        var descending: Bool?
        var i = base
        while i < a.count {
            let left = a.count - i - 1
            if a.isWord(i, "ASC") { descending = false }
            else if a.isWord(i, "DESC") { descending = true }
            else if a.isWord(i, "ANY") { any = true }
            else if a.isWord(i, "COUNT") && left >= 1 {
                count = try a.int(i + 1)
                guard count > 0 else { throw a.error(.outOfRange, "COUNT must be > 0") }
                i += 1
            } else if !search && (a.isWord(i, "STORE") || a.isWord(i, "STOREDIST")) && left >= 1 {
                storeKey = a[i + 1]; storeDist = a.isWord(i, "STOREDIST"); i += 1
            } else if search && a.isWord(i, "STOREDIST") { storeDist = true }
            else if a.isWord(i, "WITHDIST") || a.isWord(i, "WITHHASH") || a.isWord(i, "WITHCOORD") {
                throw a.error(.syntax, "STORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
            } else if search && a.isWord(i, "FROMMEMBER") && left >= 1 && center == nil {
                if let src {
                    guard let score = src.score(of: a[i + 1]) else { throw a.error(.noSuchKey, "could not decode requested zset member") }
                    center = Geohash.decode(UInt64(score))
                } else { center = (0, 0) }
                i += 1
            } else if search && a.isWord(i, "FROMLONLAT") && left >= 2 && center == nil {
                center = try longLat(a, i + 1); i += 2
            } else if search && a.isWord(i, "BYRADIUS") && left >= 2 && shape == nil {
                let r = try a.double(i + 1)
                guard r >= 0 else { throw a.error(.outOfRange, "radius cannot be negative") }
                conversion = try unit(a, i + 2); shape = .radius(r); i += 2
            } else if search && a.isWord(i, "BYBOX") && left >= 3 && shape == nil {
                let w = try a.double(i + 1), h = try a.double(i + 2)
                guard w >= 0, h >= 0 else { throw a.error(.outOfRange, "height or width cannot be negative") }
                conversion = try unit(a, i + 3); shape = .box(width: w, height: h); i += 3
            } else { throw a.error(.syntax, "syntax error") }
            i += 1
        }
        guard let dst = storeKey else { return }
        guard let center, let shape else { throw a.error(.syntax, "exactly one of FROMMEMBER or FROMLONLAT and of BYRADIUS and BYBOX is needed") }
        if any && count == 0 { throw a.error(.syntax, "the ANY argument requires COUNT argument") }
        guard let src else {
            if remove(dst) { touched(dst) }
            return
        }
        if any {
            throw a.error(.unsupported, "ANY keeps the first matches in the server's own search order")
        }
        var found: [(member: [UInt8], score: Double, dist: Double)] = []
        for item in src.ordered {
            let (lon, lat) = Geohash.decode(UInt64(item.score))
            let d: Double?
            switch shape {
            case .radius(let r): d = Geohash.distanceIfInRadius(center, (lon, lat), r * conversion)
            case .box(let w, let h): d = Geohash.distanceIfInBox(center, (lon, lat), w * conversion, h * conversion)
            }
            if let d { found.append((item.member, item.score, d)) }
        }
        if count > 0 && descending == nil { descending = false }
        if let descending { found.sort { descending ? $0.dist > $1.dist : $0.dist < $1.dist } }
        if count > 0 && Int64(found.count) > count { found = Array(found.prefix(Int(count))) }
        guard !found.isEmpty else {
            if remove(dst) { touched(dst) }
            return
        }
        let z = ZSetObj()
        for f in found { z.set(f.member, storeDist ? f.dist / conversion : f.score) }
        store(dst, .zset(z))
        touched(dst, by: found.count)
    }
}

/// WGS84 geohashes at 26 steps (52 bits), as `geohash.c` computes them.
enum Geohash {
    static let lonMin = -180.0, lonMax = 180.0
    static let latMin = -85.05112878, latMax = 85.05112878
    static let step: UInt64 = 26
    static let earthRadius = 6372797.560856

    /// `geohashEncodeWGS84` + `geohashAlign52Bits`; nil outside the supported range.
    static func encode(lon: Double, lat: Double) -> UInt64? {
        guard lon >= lonMin, lon <= lonMax, lat >= latMin, lat <= latMax else { return nil }
        let latOffset = (lat - latMin) / (latMax - latMin) * Double(UInt64(1) << step)
        let lonOffset = (lon - lonMin) / (lonMax - lonMin) * Double(UInt64(1) << step)
        return interleave(UInt32(latOffset), UInt32(lonOffset))
    }

    /// The centre of the cell a 52-bit score denotes, clamped to the valid range.
    static func decode(_ bits: UInt64) -> (Double, Double) {
        let (ilat, ilon) = deinterleave(bits)
        let scale = Double(UInt64(1) << step)
        let latLo = latMin + (Double(ilat) / scale) * (latMax - latMin)
        let latHi = latMin + (Double(ilat + 1) / scale) * (latMax - latMin)
        let lonLo = lonMin + (Double(ilon) / scale) * (lonMax - lonMin)
        let lonHi = lonMin + (Double(ilon + 1) / scale) * (lonMax - lonMin)
        let lon = min(max((lonLo + lonHi) / 2, lonMin), lonMax)
        let lat = min(max((latLo + latHi) / 2, latMin), latMax)
        return (lon, lat)
    }

    /// Latitude bits at even positions, longitude bits at odd ones.
    static func interleave(_ x: UInt32, _ y: UInt32) -> UInt64 {
        var r: UInt64 = 0
        for i in 0..<32 {
            r |= UInt64((x >> UInt32(i)) & 1) << UInt64(2 * i)
            r |= UInt64((y >> UInt32(i)) & 1) << UInt64(2 * i + 1)
        }
        return r
    }

    static func deinterleave(_ v: UInt64) -> (UInt32, UInt32) {
        var x: UInt32 = 0, y: UInt32 = 0
        for i in 0..<32 {
            x |= UInt32((v >> UInt64(2 * i)) & 1) << UInt32(i)
            y |= UInt32((v >> UInt64(2 * i + 1)) & 1) << UInt32(i)
        }
        return (x, y)
    }

    private static func rad(_ d: Double) -> Double { d * (Double.pi / 180.0) }

    static func latDistance(_ lat1: Double, _ lat2: Double) -> Double { earthRadius * fabs(rad(lat2) - rad(lat1)) }

    /// Haversine distance in metres (`geohashGetDistance`).
    static func distance(_ lon1: Double, _ lat1: Double, _ lon2: Double, _ lat2: Double) -> Double {
        let v = sin((rad(lon2) - rad(lon1)) / 2)
        if v == 0 { return latDistance(lat1, lat2) }
        let u = sin((rad(lat2) - rad(lat1)) / 2)
        let a = u * u + cos(rad(lat1)) * cos(rad(lat2)) * v * v
        return 2.0 * earthRadius * asin(sqrt(a))
    }

    static func distanceIfInRadius(_ c: (Double, Double), _ p: (Double, Double), _ radius: Double) -> Double? {
        let d = distance(c.0, c.1, p.0, p.1)
        return d > radius ? nil : d
    }

    static func distanceIfInBox(_ c: (Double, Double), _ p: (Double, Double), _ width: Double, _ height: Double) -> Double? {
        if latDistance(p.1, c.1) > height / 2 { return nil }
        if distance(p.0, p.1, c.0, p.1) > width / 2 { return nil }
        return distance(c.0, c.1, p.0, p.1)
    }
}
