import Testing
@testable import PSNCore

@Suite struct ResultsShardingTests {
  static let grid = try! SweepGrid(
    axes: [SweepGrid.Axis("profile", ["lognormal", "random", "step"]), SweepGrid.Axis("cv", ["0.5", "1"])],
    seeds: [1, 2, 3])

  @Test func theGridRunsLikeNestedLoopsWithTheSeedInnermost() {
    let keys = Self.grid.cells.map(\.key)
    #expect(Self.grid.count == 18 && keys.count == 18)
    #expect(Array(keys.prefix(4)) == [
      "profile=lognormal cv=0.5 seed=1", "profile=lognormal cv=0.5 seed=2",
      "profile=lognormal cv=0.5 seed=3", "profile=lognormal cv=1 seed=1",
    ])
    #expect(keys.last == "profile=step cv=1 seed=3")
    #expect(Set(keys).count == 18)
    #expect(Self.grid.cells[4].tags == ["profile": "lognormal", "cv": "1", "seed": "2"])
  }

  @Test(arguments: 1...7)
  func shardsPartitionTheGridExactly(count: Int) throws {
    let cells = Self.grid.cells
    let shards = try (1...count).map { try SweepShard(index: $0, count: count).cells(of: cells) }
    // Every cell in exactly one shard, each shard in grid order, sizes within one of each other.
    let all = shards.flatMap { $0 }
    #expect(all.count == cells.count && Set(all) == Set(cells))
    for shard in shards {
      let positions = shard.map { cell in cells.firstIndex(of: cell)! }
      #expect(positions == positions.sorted())
    }
    let sizes = shards.map(\.count)
    #expect(sizes.max()! - sizes.min()! <= 1)
  }

  @Test func theAssignmentIsPinned() throws {
    // Cell k goes to shard (k mod N) + 1: a change here would scatter running sweeps.
    let shard = try SweepShard(parsing: "2/4")
    #expect(try shard.cells(of: Self.grid.cells).map(\.key) == [
      "profile=lognormal cv=0.5 seed=2", "profile=lognormal cv=1 seed=3", "profile=random cv=1 seed=1",
      "profile=step cv=0.5 seed=2", "profile=step cv=1 seed=3",
    ])
    #expect(shard.description == "2/4" && shard.contains(cellIndex: 5) && !shard.contains(cellIndex: 4))
    #expect(try SweepShard.all.cells(of: Self.grid.cells) == Self.grid.cells)
  }

  @Test(arguments: [
    ("0/4", "--shard 0/4: not a shard (I must be between 1 and 4; shards are numbered from 1)"),
    ("5/4", "--shard 5/4: not a shard (I must be between 1 and 4; shards are numbered from 1)"),
    ("1/0", "--shard 1/0: not a shard (N must be at least 1)"),
    ("2", "--shard 2: not a shard (write I/N, e.g. 2/4 for the second of four shards)"),
    ("a/b", "--shard a/b: not a shard (write I/N, e.g. 2/4 for the second of four shards)"),
    ("1/2/3", "--shard 1/2/3: not a shard (write I/N, e.g. 2/4 for the second of four shards)"),
  ])
  func badShardsSayHowToWriteOne(text: String, message: String) {
    do {
      _ = try SweepShard(parsing: text)
      Issue.record("\(text) was accepted")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func badGridsAreRefused() throws {
    #expect(throws: SweepError.repeatedKey("cv")) {
      try SweepGrid(axes: [SweepGrid.Axis("cv", ["1"]), SweepGrid.Axis("cv", ["2"])], seeds: [1])
    }
    #expect(throws: SweepError.repeatedKey("seed")) { try SweepGrid(axes: [SweepGrid.Axis("seed", ["1"])], seeds: [1]) }
    #expect(throws: SweepError.repeatedValue(key: "cv", value: "1")) {
      try SweepGrid(axes: [SweepGrid.Axis("cv", ["1", "2", "1"])], seeds: [1])
    }
    #expect(throws: SweepError.repeatedValue(key: "seed", value: "2")) { try SweepGrid(axes: [], seeds: [2, 2]) }
    #expect(throws: SweepError.emptyAxis("cv")) { try SweepGrid(axes: [SweepGrid.Axis("cv", [])], seeds: [1]) }
    #expect(throws: SweepError.emptyAxis("seed")) { try SweepGrid(axes: [], seeds: []) }
    let cell = SweepCell(settings: [.init("cv", "1")], seed: 1)
    #expect(throws: SweepError.repeatedCell("cv=1 seed=1")) { try SweepShard.all.cells(of: [cell, cell]) }
    #expect(try SweepGrid(axes: [], seeds: [4, 5]).cells.map(\.key) == ["seed=4", "seed=5"])
  }
}
