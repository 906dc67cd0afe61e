import Testing
@testable import RDBKit

@Suite struct TreemapTests {
    let bounds = Treemap.Rect(x: 0, y: 0, width: 600, height: 400)

    @Test func areasAreProportionalToValues() {
        let rects = Treemap.layout([6, 3, 2, 1], in: bounds)
        let areas = rects.map { ($0.area / bounds.area * 12 * 1000).rounded() / 1000 }
        #expect(areas == [6, 3, 2, 1])
    }

    @Test func rectanglesStayInsideTheBoundsWithoutOverlapping() {
        let rects = Treemap.layout([50, 20, 10, 10, 5, 3, 1, 1], in: bounds)
        for r in rects {
            #expect(r.x >= -1e-9 && r.y >= -1e-9 && r.x + r.width <= 600 + 1e-9 && r.y + r.height <= 400 + 1e-9)
        }
        for i in rects.indices {
            for j in rects.indices where j > i {
                let a = rects[i], b = rects[j]
                let overlap = max(0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x)) * max(0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
                #expect(overlap < 1e-6)
            }
        }
    }

    @Test func theFirstRowGoesAlongTheShorterSide() {
        let rects = Treemap.layout([1, 1], in: bounds)
        // Two equal halves of a wide rectangle: side by side, each 300 x 400.
        #expect(rects[0].height == 400 && abs(rects[0].width - 300) < 1e-9)
    }

    @Test func zeroValuesGetEmptyRectangles() {
        #expect(Treemap.layout([5, 0], in: bounds)[1].area == 0)
        #expect(Treemap.layout([0, 0], in: bounds).allSatisfy { $0.area == 0 })
    }
}
