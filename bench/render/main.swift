// Layout and render timings of autograd-like graphs by size, and resident
// memory over many small renders. Not a test: timings depend on the machine.
//
//   swift build -c release --product render-bench && .build/release/render-bench
//
// Prints markdown for docs/GRAPHVIZ.md. `render-bench chain 1000 dot` times one case.
import Foundation
@_spi(GraphvizNames) import Graphviz

/// Writes a line at once (unbuffered), so rows appear as they are measured.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Median wall time of `repetitions` renders, and the size of the last picture.
func measure(_ dot: String, format: String, layout: String, repetitions: Int) -> (seconds: Double, bytes: Int) {
    var times: [Double] = [], bytes = 0
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            bytes = try GraphvizRenderer.shared.render(dot: dot, formatName: format, layoutName: layout).count
        } catch {
            say("render failed: \(error)")
            exit(1)
        }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (median(times), bytes)
}

func seconds(_ s: Double) -> String { s < 0.1 ? String(format: "%.3f s", s) : String(format: "%.2f s", s) }

func size(_ bytes: Int) -> String { bytes < 1 << 20 ? "\(bytes >> 10) KiB" : String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

func residentMiB() -> Double {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = Int(statm.split(separator: " ")[1]) else { return 0 }
    return Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
}

func cpuModel() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
    return line.map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown"
}

struct Case {
    let shape: GraphShape
    let nodes: Int
    let layout: String
    var png = false
    var repetitions = 3
}

/// One table row: layout alone ("plain" is Graphviz's text dump of the
/// positions, so it costs the layout and almost nothing more), then SVG and PNG.
func row(_ c: Case) -> String {
    let (dot, edges) = c.shape.dot(nodes: c.nodes)
    let plain = measure(dot, format: "plain", layout: c.layout, repetitions: c.repetitions)
    let svg = measure(dot, format: "svg", layout: c.layout, repetitions: c.repetitions)
    let png = c.png ? measure(dot, format: "png", layout: c.layout, repetitions: c.repetitions) : nil
    return "| \(c.shape.rawValue) | \(c.nodes) | \(edges) | \(c.layout) | \(seconds(plain.seconds)) | \(seconds(svg.seconds)) | "
        + "\(png.map { seconds($0.seconds) } ?? "–") | \(size(svg.bytes)) | \(png.map { size($0.bytes) } ?? "–") |"
}

let header = """
    | graph | nodes | edges | layout | layout only | SVG | PNG | SVG size | PNG size |
    |-------|------:|------:|--------|------------:|----:|----:|---------:|---------:|
    """

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count == 3, let shape = GraphShape(rawValue: arguments[0]), let nodes = Int(arguments[1]) {
    say(header)
    say(row(Case(shape: shape, nodes: nodes, layout: arguments[2], png: true, repetitions: 1)))
    exit(0)
}

say("Machine: \(ProcessInfo.processInfo.activeProcessorCount) CPUs (nproc), \(cpuModel())\n")

let small = GraphShape.chain.dot(nodes: 10).text
let coldStart = DispatchTime.now().uptimeNanoseconds
_ = try GraphvizRenderer.shared.render(dot: small, format: .png)
say("First render in the process (loads plugins and fonts): \(seconds(Double(DispatchTime.now().uptimeNanoseconds - coldStart) / 1e9))\n")

// Memory: one context reused for many renders of a small graph must stay flat.
say("| renders of a 10-node graph (SVG and PNG alternately) | resident memory |")
say("|---:|---:|")
var resident: [Int: Double] = [:]
for i in 1...3_000 {
    _ = try GraphvizRenderer.shared.render(dot: small, format: i.isMultiple(of: 2) ? .svg : .png)
    if [100, 1_000, 2_000, 3_000].contains(i) {
        resident[i] = residentMiB()
        say("| \(i) | \(String(format: "%.1f MiB", resident[i]!)) |")
    }
}
let growth = resident[1_000]! - resident[100]!
say("\nGrowth from render 100 to 1,000: \(String(format: "%.1f MiB", growth)) (\(growth < 4 ? "flat" : "GROWING"))\n")

let cases: [Case] = [
    Case(shape: .chain, nodes: 100, layout: "dot", png: true, repetitions: 5),
    Case(shape: .chain, nodes: 1_000, layout: "dot", png: true),
    Case(shape: .chain, nodes: 2_500, layout: "dot"),
    Case(shape: .chain, nodes: 5_000, layout: "dot"),
    Case(shape: .chain, nodes: 1_000, layout: "sfdp", png: true),
    Case(shape: .chain, nodes: 2_500, layout: "sfdp"),
    Case(shape: .chain, nodes: 5_000, layout: "sfdp"),
    Case(shape: .chain, nodes: 10_000, layout: "sfdp"),
    Case(shape: .sharedWeights, nodes: 100, layout: "dot", png: true, repetitions: 5),
    Case(shape: .sharedWeights, nodes: 200, layout: "dot"),
    Case(shape: .sharedWeights, nodes: 300, layout: "dot"),
    Case(shape: .sharedWeights, nodes: 1_000, layout: "sfdp"),
    Case(shape: .sharedWeights, nodes: 5_000, layout: "sfdp"),
]
say(header)
for c in cases { say(row(c)) }
say("\nMedian of \(cases.map { "\($0.repetitions)" }.joined(separator: "/")) runs (row by row); each render parses, lays out and renders.")
