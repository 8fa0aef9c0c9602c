// swift-tools-version: 6.0
import PackageDescription

import Foundation

/// Numeric code is built with AVX2+FMA enabled (x86-64-v3): without `-march`, Swift emits SSE2 only
/// and `addingProduct` becomes a libm call per lane (see ../shared/notes/swift-feasibility.md §2–3).
/// On a machine with AVX-512 (F, BW, VL, DQ: x86-64-v4) it is built for that instead, and
/// `PSN_AVX512` makes the sparse kernels use 16-float vectors (docs/performance.md: 2× their
/// FLOP rate). Binaries are built on the machine that runs them; `PSN_MARCH=x86-64-v3` (or any
/// -march value) overrides the choice, e.g. to build for another machine.
let march: String = {
  if let forced = ProcessInfo.processInfo.environment["PSN_MARCH"], !forced.isEmpty { return forced }
  let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
  let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
  return flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx2", "fma"]) ? "x86-64-v4" : "x86-64-v3"
}()
let marchFlags = ["-Xcc", "-march=\(march)", "-Xcc", "-fno-math-errno"] + (march == "x86-64-v4" ? ["-DPSN_AVX512"] : [])
/// `-fno-math-errno` lets `squareRoot()` of a SIMD vector compile to one vsqrtps instead of a
/// per-lane libm call kept for errno (it made the Adam step 3× slower).
let numericFlags: [SwiftSetting] = [
  .unsafeFlags(marchFlags),
  .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
  name: "psn",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "psn", targets: ["psn"]),
    .executable(name: "psn-bench", targets: ["psn-bench"]),
    .library(name: "PSNCore", targets: ["PSNCore"]),
    .library(name: "PSNShell", targets: ["PSNShell"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // The results database (Sources/PSNCore/Results, docs/results.md): SQLite through GRDB.
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // A header-only module (no library): prefetch and the floating-point control word.
    .systemLibrary(name: "CIntrinsics"),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    .target(
      name: "PSNCore",
      // OpenBLAS (libopenblas0, installed by scripts/setup) is opened at run time: Kernels/OpenBLAS.swift.
      dependencies: ["CZlib", "CIntrinsics", .product(name: "GRDB", package: "GRDB.swift")],
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
    .executableTarget(
      name: "psn-bench",
      dependencies: [
        "PSNCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: numericFlags),
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
