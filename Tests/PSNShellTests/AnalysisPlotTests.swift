import Testing
@testable import PSNShell

/// The terminal plots: where marks land, what the glyphs mean, and that nothing outgrows the
/// width it is given (80 columns and narrower).
@Suite struct AnalysisPlotTests {
  static func widest(_ text: String) -> Int { text.split(separator: "\n").map(\.count).max() ?? 0 }

  @Test func histogramBarsAreProportionalInEighths() {
    let plot = HistogramPlot([("1–4", 8), ("5–8", 4), ("9–12", 0), ("13–16", 1)], labelName: "fan-in", countName: "neurons")
    let lines = plot.render(width: 80).split(separator: "\n").map(String.init)
    #expect(lines.count == 5)
    #expect(lines[0] == "  fan-in │ neurons")
    // Bar width = 80 − indent 2 − label 6 − count 7 − 4 = 61: 8 → 61 full blocks, 4 → 30.5, 1 → 7.625.
    let bars = lines.dropFirst().map { $0.drop { $0 != "│" }.dropFirst().filter { "▏▎▍▌▋▊▉█".contains($0) } }
    #expect(bars.map(\.count) == [61, 31, 0, 8])
    #expect(bars[1].last == "▌", "half a block")
    #expect(bars[3].last == "▋", "⅝ of a block")
    #expect(lines[1].hasSuffix(" 8") && lines[3].hasSuffix(" 0"))
    #expect(Self.widest(plot.render(width: 80)) <= 80)
    #expect(HistogramPlot.bar(0.01) == "▏", "a non-zero count always shows")
    #expect(HistogramPlot.bar(0) == "")
  }

  /// A rising line goes from the bottom-left corner to the top-right one; two series keep their
  /// own glyphs, and the legend names them.
  @Test func lineChartPlacesSeriesByValue() {
    let rising = (0...10).map { (x: Double($0), y: Double($0) * 0.1) }
    let flat = (0...10).map { (x: Double($0), y: 0.5) }
    let chart = LineChart([.init("up", glyph: "●", points: rising), .init("flat", glyph: "○", points: flat)], xName: "update", yName: "CV", height: 9)
    let text = chart.render(width: 80)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(Self.widest(text) <= 80)
    let grid = Array(lines[1...9])  // after the y-axis name
    let body = grid.map { String($0.drop { $0 != "┤" && $0 != "│" }.dropFirst()) }
    #expect(body[8].first == "●", "y = 0 at x = 0: bottom left")
    #expect(body[0].last == "●", "y = 1 at x = 10: top right")
    #expect(body[4].filter { $0 == "○" }.count >= 30, "the flat series runs along the middle row")
    #expect(grid[0].hasPrefix("  1.00┤") && grid[4].hasPrefix("  0.50┤") && grid[8].hasPrefix("  0.00┤"))
    #expect(lines[11].contains("update") && lines[11].hasSuffix("10"))
    #expect(lines.last! == "    ● up   ○ flat")
  }

  @Test func lineChartMarkerAndNarrowWidths() {
    let points = (0...20).map { (x: Double($0), y: Double($0 % 5)) }
    let chart = LineChart([.init("cv", glyph: "●", points: points)], xName: "mask update", marker: 10)
    #expect(chart.render(width: 80).contains("┊"))
    for width in [40, 60, 80, 120] {
      #expect(Self.widest(chart.render(width: width)) <= max(width, 40), "width \(width)")
    }
    // One point, constant series: the range widens instead of dividing by zero.
    let single = LineChart([.init("k", glyph: "●", points: [(x: 3, y: 7)])], xName: "x")
    #expect(single.render(width: 80).contains("●"))
  }

  /// Cells count their points: · one, • two or three, ● four or more.
  @Test func scatterShowsDensity() {
    var points: [(x: Double, y: Double)] = [(0, 0), (10, 10)]
    points += Array(repeating: (x: 10.0, y: 0.0), count: 3)
    points += Array(repeating: (x: 0.0, y: 10.0), count: 5)
    let text = ScatterPlot(points, xName: "fan-in", yName: "G", height: 5).render(width: 80)
    let rows = text.split(separator: "\n").map(String.init)[1...5].map { String($0.drop { $0 != "┤" && $0 != "│" }.dropFirst()) }
    #expect(rows[0].first == "●" && rows[0].last == "·")
    #expect(rows[4].first == "·" && rows[4].last == "•")
    #expect(Self.widest(text) <= 80)
    #expect([0, 1, 2, 3, 4, 100].map { ScatterPlot.glyph($0) } == [" ", "·", "•", "•", "●", "●"])
  }

  /// A 28×28 field is 56 characters wide in 80 columns, 28 in 40, and downsampled by 2 in 20.
  @Test func heatMapShadesAndFits() {
    var values = [Double?](repeating: nil, count: 28 * 28)
    values[0] = 1
    values[1] = 0.1
    values[28] = 0.3
    values[29] = 0.6
    let map = HeatMap(rows: 28, cols: 28, values: values)
    let wide = map.render(width: 80).split(separator: "\n").map(String.init)
    #expect(wide.count == 30)
    #expect(wide.allSatisfy { $0.count == 2 + 2 + 56 })
    #expect(wide[1].hasPrefix("  │██░░····"))
    #expect(wide[2].hasPrefix("  │▒▒▓▓····"))
    let narrow = map.render(width: 40).split(separator: "\n").map(String.init)
    #expect(narrow.count == 30 && narrow.allSatisfy { $0.count == 2 + 2 + 28 })
    let tiny = map.render(width: 20).split(separator: "\n").map(String.init)
    #expect(tiny.count == 16, "14 rows of 2×2 blocks and the frame")
    #expect(tiny.allSatisfy { $0.count <= 20 })
    #expect(tiny[1].hasPrefix("  │█·"), "a block shows its largest value")
    #expect([nil, 0, 0.24, 0.25, 0.5, 0.74, 0.75, 1, .nan].map { HeatMap.shade($0) } == ["·", "░", "░", "▒", "▓", "▓", "█", "█", "·"])
    // Ten values on a 3×4 grid: the last two cells are outside the inputs, not unconnected.
    let partial = HeatMap(rows: 3, cols: 4, values: [1, nil, 1, nil, 1, nil, 1, nil, 1, nil, nil, nil], filled: 10)
    #expect(partial.render(width: 80).split(separator: "\n")[3] == "  │██··    │")
  }

  @Test func tickLabelsFollowTheSpan() {
    #expect(PlotCanvas.label(0.12345, PlotCanvas.Range([0, 0.5])) == "0.123")
    #expect(PlotCanvas.label(-0.00001, PlotCanvas.Range([-1, 1.5])) == "0.00", "no negative zero")
    #expect(PlotCanvas.label(37, PlotCanvas.Range([1, 37])) == "37")
    #expect(PlotCanvas.label(37.5, PlotCanvas.Range([1, 37.5])) == "37.5")
    #expect(PlotCanvas.label(1234.6, PlotCanvas.Range([0, 1234.6])) == "1235")
    let widened = PlotCanvas.Range([2, 2])
    #expect(widened.low < 2 && widened.high > 2)
  }
}
