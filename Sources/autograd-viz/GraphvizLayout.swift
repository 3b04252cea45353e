import ArgumentParser
import Foundation
import Graphviz

extension AutogradViz {
    /// The hidden mode pictures are laid out in (`GraphvizProcess`): DOT
    /// requests on standard input, pictures on standard output, until the
    /// parent closes them. Every SVG and PNG is made by a child running
    /// this, so a Graphviz crash or an endless layout ends the child, and
    /// the command reports it.
    struct GraphvizLayout: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graphviz-layout",
            abstract: "Lay out pictures for autograd-viz itself (DOT requests on standard input).",
            shouldDisplay: false)

        func run() throws {
            let status = GraphvizProcess.serve()
            if status != 0 { throw ExitCode(status) }
        }

        /// This program in its layout mode.
        static var process: GraphvizProcess {
            GraphvizProcess(executable: Bundle.main.executablePath ?? "/proc/self/exe", arguments: ["graphviz-layout"])
        }
    }
}
