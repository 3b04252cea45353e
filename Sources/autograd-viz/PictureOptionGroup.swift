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

    @Option(help: "With --focus: how many edges away from it to draw.")
    var depth: Int = PictureOptions().depth

    func validate() throws {
        guard maxNodes >= 10 else { throw ValidationError("--max-nodes must be at least 10 (got \(maxNodes))") }
        guard depth >= 0 else { throw ValidationError("--depth must not be negative (got \(depth))") }
    }

    var options: PictureOptions {
        var o = PictureOptions()
        o.legend = legend
        o.maxNodes = maxNodes
        o.focus = focus
        o.depth = depth
        return o
    }
}
