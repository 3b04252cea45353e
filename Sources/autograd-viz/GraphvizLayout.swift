import ArgumentParser
import Foundation
import Graphviz

extension AutogradViz {
    /// The hidden mode pictures are laid out in: DOT on standard input, the
    /// picture on standard output (`GraphvizProcess`). Every SVG and PNG is
    /// made by a child running this, so a Graphviz crash or an endless
    /// layout ends the child, and the command reports it.
    struct GraphvizLayout: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graphviz-layout",
            abstract: "Lay out DOT from standard input as FORMAT on standard output (used by autograd-viz itself).",
            shouldDisplay: false)

        @Argument(help: "svg or png")
        var format: GraphvizRenderer.Format

        func run() throws {
            let status = GraphvizProcess.serve(format: format)
            if status != 0 { throw ExitCode(status) }
        }

        /// This program in its layout mode.
        static var process: GraphvizProcess {
            GraphvizProcess(executable: Bundle.main.executablePath ?? "/proc/self/exe", arguments: ["graphviz-layout"])
        }
    }
}

extension GraphvizRenderer.Format: ExpressibleByArgument {}
