import ArgumentParser
import Debugger

/// The options every picture-writing command shares.
struct PictureOptionGroup: ParsableArguments {
    @Flag(help: "Add a legend explaining colours and shapes.")
    var legend = false

    @Option(help: "Collapse graphs with more nodes than this (keeps layout fast).")
    var maxNodes: Int = PictureOptions().maxNodes

    @Option(help: "Draw only the neighbourhood of the tensor bound to this name.")
    var focus: String?

    @Option(help: "What edges say about the gradient that flowed along them in a picture after a backward call.")
    var flow: FlowLabels = .values

    @Option(help: "With --focus: how many edges away from it to draw (default 2). Without --focus: how many levels of module calls to draw as clusters; deeper calls become one box each.")
    var depth: Int?

    func validate() throws {
        guard maxNodes >= 10 else { throw ValidationError("--max-nodes must be at least 10 (got \(maxNodes))") }
        if let depth, depth < 0 { throw ValidationError("--depth must not be negative (got \(depth))") }
    }

    var options: PictureOptions {
        var o = PictureOptions()
        o.legend = legend
        o.maxNodes = maxNodes
        o.focus = focus
        o.depth = depth
        o.flow = flow
        o.layoutProcess = AutogradViz.GraphvizLayout.process
        return o
    }
}
