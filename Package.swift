// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "rdbtool",
    products: [
        .executable(name: "rdbtool", targets: ["rdbtool"]),
        .library(name: "RDBKit", targets: ["RDBKit"]),
    ],
    dependencies: [
        // The CLI layer: one type per subcommand, plus generate-manual and completion scripts.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // zlib, for gzip input decoded on the fly (Debian: zlib1g-dev).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // CRC-64 by carry-less multiplication (PCLMULQDQ), checked for at run time.
        .target(name: "CCRC64"),
        .target(
            name: "RDBKit",
            dependencies: ["CZlib", "CCRC64"],
            // Dynamic exclusivity checks cost ~7% of a read in release builds (perf, BENCHMARKS.md);
            // debug builds and tests keep them.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "rdbtool",
            dependencies: [
                "RDBKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RDBKitTests",
            // The CLI tests run the built executable.
            dependencies: ["RDBKit", "rdbtool"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
