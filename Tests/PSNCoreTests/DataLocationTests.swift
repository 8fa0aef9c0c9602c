import Testing

@testable import PSNCore

/// Where each source's files are looked for (docs/data.md, "Where files are found").
@Suite struct DataLocationTests {
  func places(_ d: IDXDataset, dir: String? = nil, _ env: [String: String]) -> [String] {
    d.location.candidates(directory: dir, environment: env).map { "\($0.0) (\($0.1))" }
  }

  @Test func sourceNamesAndKinds() {
    #expect(DataSource.emnist(split: .letters).name == "emnist-letters")
    #expect(DataSource.emnist(split: .letters).kind == .emnist)
    #expect(DataSource.synthetic(.init()).kind.rawValue == "synthetic")
    #expect(
      DataSourceKind.allCases.map(\.rawValue) == [
        "fashion", "mnist", "emnist", "covtype", "synthetic",
      ])
  }

  @Test func explicitDirectoryIsTheOnlyPlace() {
    #expect(places(.fashion, dir: "/x", ["PSN_DATA": "/d"]) == ["/x (dir=)"])
    #expect(places(.mnist, dir: "~/m", ["HOME": "/home/u"]) == ["/home/u/m (dir=)"])
  }

  @Test func dataRootThenSystem() {
    #expect(
      places(.fashion, ["PSN_DATA": "/d"]) == [
        "/d/fashion-mnist (PSN_DATA/fashion-mnist)",
        "/usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)",
      ])
    #expect(places(.mnist, ["PSN_DATA": "/d/"]) == ["/d/mnist (PSN_DATA/mnist)", "/d/ (PSN_DATA)"])
    #expect(
      places(.emnist(.letters), ["PSN_DATA": "/d"]) == [
        "/d/emnist (PSN_DATA/emnist)", "/d (PSN_DATA)",
      ])
    #expect(places(.mnist, [:]) == [])
    #expect(places(.mnist, ["PSN_DATA": ""]) == [])
  }

  @Test func findsTheFirstCompleteDirectory() throws {
    let root = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(root) }
    DataFixtures.writeSet(DataFixtures.lecunSet(), in: root)
    let flat = try IDXDataset.mnist.location.find(directory: nil, environment: ["PSN_DATA": root])
    #expect(flat.first == root + "/train-images-idx3-ubyte.gz")

    try DataFixtures.makeSubdirectory(root + "/mnist")
    DataFixtures.writeSet(DataFixtures.lecunSet(), in: root + "/mnist")
    let nested = try IDXDataset.mnist.location.find(directory: nil, environment: ["PSN_DATA": root])
    #expect(nested.first == root + "/mnist/train-images-idx3-ubyte.gz")
  }

  @Test func nothingFoundSaysWhereItLooked() {
    let root = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(root) }
    let env = ["PSN_DATA": root]
    let covtype = #expect(throws: DataError.self) {
      try DataLoader.load(DataRequest(.covtype), environment: env)
    }
    #expect(
      covtype?.description.replacingOccurrences(of: root, with: "ROOT") == """
        covtype: data files not found; expected covtype.data.gz
          searched ROOT/covtype (PSN_DATA/covtype): no such directory
          searched ROOT (PSN_DATA): none of the files
          (download covtype.data.gz (UCI Machine Learning Repository, dataset 31 "Covertype") \
        into $PSN_DATA/covtype (or $PSN_DATA) and set PSN_DATA, or pass dir=DIR)
        """)
    let emnist = #expect(throws: DataError.self) {
      try DataLoader.load(DataRequest(.emnist(split: .byclass)), environment: [:])
    }
    #expect(
      emnist?.description.split(separator: "\n")[1]
        == "  searched nowhere: no dir= given and PSN_DATA is not set")
  }
}
