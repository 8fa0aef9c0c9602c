// swift-tools-version: 6.0
import PackageDescription

/// Numeric code is built with AVX2+FMA enabled (x86-64-v3): without `-march`, Swift emits SSE2 only
/// and `addingProduct` becomes a libm call per lane (see ../shared/notes/swift-feasibility.md §2–3).
let numericFlags: [SwiftSetting] = [
  .unsafeFlags(["-Xcc", "-march=x86-64-v3"]),
  .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
  name: "psn",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "psn", targets: ["psn"]),
    .library(name: "PSNCore", targets: ["PSNCore"]),
    .library(name: "PSNShell", targets: ["PSNShell"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // The results database (Sources/PSNCore/Results, docs/results.md): SQLite through GRDB.
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    .target(
      name: "PSNCore",
      dependencies: ["CZlib", "COpenBLAS", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: numericFlags),
    .target(
      name: "PSNShell",
      dependencies: ["PSNCore"],
      swiftSettings: [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]),
    .executableTarget(
      name: "psn",
      dependencies: [
        "PSNCore", "PSNShell", "CEditLine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(
      name: "PSNCoreTests",
      dependencies: ["PSNCore", .product(name: "GRDB", package: "GRDB.swift")],
      resources: [.copy("Fixtures")],
      swiftSettings: numericFlags),
    .testTarget(
      name: "PSNShellTests",
      dependencies: ["PSNShell", "PSNCore"]),
  ]
)
