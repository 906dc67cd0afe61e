import Testing
@testable import RDBKit

@Suite struct ReplayGeoTests {
    @Test func geoaddStoresTheDocumentedGeohashScores() throws {
        let r = Replayer()
        try run(r, "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania")
        #expect(zsetValue(r, "Sicily") == ["Palermo": 3479099956230698, "Catania": 3479447370796909])
    }

    @Test func searchStoreKeepsMembersInsideTheShape() throws {
        let r = Replayer()
        try run(r, "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania")
        try run(r, "GEOSEARCHSTORE near Sicily FROMLONLAT 15 37 BYRADIUS 100 km STOREDIST")
        let d = try #require(zsetValue(r, "near")?["Catania"])
        #expect(zsetValue(r, "near")?.count == 1 && abs(d - 56.4413) < 0.001)
        try run(r, "GEORADIUS Sicily 15 37 200 km STORE all")
        #expect(zsetValue(r, "all") == ["Palermo": 3479099956230698, "Catania": 3479447370796909])
    }
}
