// swift-tools-version:6.0
// The libFuzzer target (fuzz/README.md), a package of its own so that the
// main package's `swift build` and `make test` never build it with the
// sanitizers. Build and run it with `make fuzz`.
import PackageDescription

let package = Package(
    name: "autograd-viz-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "autograd-viz", path: ".."),
    ],
    targets: [
        // Built with -sanitize=fuzzer,address (make fuzz); Driver.swift hands
        // the command line to libFuzzer's driver.
        .executableTarget(
            name: "autograd-viz-fuzz",
            dependencies: [.product(name: "ModelScript", package: "autograd-viz")],
            swiftSettings: [.swiftLanguageMode(.v5), .unsafeFlags(["-parse-as-library"])]),
    ]
)
