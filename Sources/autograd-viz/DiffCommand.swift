import ArgumentParser
import Debugger
import Foundation
import ModelScript

extension AutogradViz {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the values and gradients of two runs, tensor by tensor.",
            discussion: """
            A and B are run documents (run --json output, or run.json from run --out) or \
            model scripts (.json with a "code" field, or .py), which are run first. Every \
            tensor both runs bind to a name is compared after each backward call (matched \
            by index) and at the end, value and grad, as torch.allclose: \
            |a - b| <= atol + rtol * |b|. Exit status as diff(1): 0 same, 1 differs, \
            2 trouble (an unreadable or malformed file, an unknown format).
            """)

        @Argument(help: "The first run: a run document or a model script.")
        var a: String

        @Argument(help: "The second run (the reference for relative differences).")
        var b: String

        @Option(help: "Relative tolerance (torch.allclose's rtol).")
        var rtol: Double = 1e-5

        @Option(help: "Absolute tolerance (torch.allclose's atol).")
        var atol: Double = 1e-8

        @Flag(help: "Print the comparison as JSON (format autograd-viz/diff-1).")
        var json = false

        @Option(name: .shortAndLong, help: "Also draw B's graph after its last backward call, coloured by how much each gradient differs from A's (.svg, .png or .dot).")
        var output: String?

        func validate() throws {
            guard rtol >= 0, rtol.isFinite else { throw ValidationError("--rtol must be a non-negative number (got \(rtol))") }
            guard atol >= 0, atol.isFinite else { throw ValidationError("--atol must be a non-negative number (got \(atol))") }
            if let output, PictureFormat(path: output) == nil {
                throw ValidationError("cannot tell the format of '\(output)': use a .svg, .png or .dot file name")
            }
        }

        /// The diff picture's budget is every picture's default; its layout
        /// runs in a child process, as theirs does.
        private var diffPictureOptions: PictureOptions {
            var options = PictureOptions()
            options.layoutProcess = GraphvizLayout.process
            return options
        }

        func run() throws {
            // validate() checked that the output's name has a picture format.
            let pictureFormat = output.flatMap(PictureFormat.init(path:))
            let diff: RunDiff
            let tolerance = DiffTolerance(rtol: rtol, atol: atol)
            do {
                let docA = try DiffInput.document(path: a)
                let docB = try DiffInput.document(path: b)
                diff = try RunDiff(a: docA, b: docB, tolerance: tolerance)
                if let output, let pictureFormat {
                    try Terminal.exitingOnDebuggerError {
                        let bytes = try DiffPicture.bytes(a: docA, b: docB, tolerance: tolerance, title: docB["name"]?.stringValue,
                                                          format: pictureFormat, options: diffPictureOptions)
                        try AtomicFile.write(bytes, to: output)
                    }
                }
            } catch let error as DiffError {
                if case .unreadable = error { Terminal.error("\(error)") } else { Terminal.error("autograd-viz: error: \(error)") }
                throw ExitCode(2)
            }
            Terminal.out(json ? diff.document.serialized() : diff.render())
            if diff.differs { throw ExitCode(1) }
        }
    }
}
