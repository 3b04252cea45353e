// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "autograd-viz",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "autograd-viz", targets: ["autograd-viz"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "ModelScript", targets: ["ModelScript"]),
        .library(name: "Debugger", targets: ["Debugger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The only C in the engine: OpenBLAS's cblas_sgemm/cblas_dgemm.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // glibc's mallopt, for the executable's allocation policy.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // Graphviz's C libraries (libgvc, libcgraph, libcdt) for in-process layout and rendering.
        .systemLibrary(name: "CGraphviz", path: "Sources/CGraphviz", pkgConfig: "libgvc",
                       providers: [.apt(["libgraphviz-dev"])]),
        // DOT text to SVG/PNG bytes: the one Swift type that calls Graphviz.
        .target(name: "Graphviz", dependencies: ["CGraphviz"]),
        // Layout and render timings by graph size (not a test): swift build -c release --product render-bench
        .executableTarget(name: "render-bench", dependencies: ["Graphviz"], path: "bench/render"),
        // Parser verdicts on a JSON array of scripts, for tools/fuzz_parser.py (not a test).
        .executableTarget(name: "parse-check", dependencies: ["ModelScript"], path: "tools/parse-check"),
        // Tensors, ops with their gradients, and the backward engine.
        .target(name: "Autograd", dependencies: ["CBLAS"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // The model-script language: lexer, parser, interpreter, torch bindings.
        .target(name: "ModelScript", dependencies: ["Autograd"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // Runs a script and records what each backward did: run documents, tables.
        .target(name: "Debugger", dependencies: ["Autograd", "ModelScript", "Graphviz"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "autograd-viz", dependencies: [
            "Debugger", "ModelScript", "Graphviz", "CMalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "ModelScriptTests", dependencies: ["ModelScript"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "DebuggerTests", dependencies: ["Debugger"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "GraphvizTests", dependencies: ["Graphviz"]),
        .testTarget(name: "CLITests", dependencies: ["Debugger", "Graphviz", "autograd-viz"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
