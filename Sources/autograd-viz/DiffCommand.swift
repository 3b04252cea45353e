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
            tensor both runs bind to a name is compared after each backward call and at the \
            end, value and grad, as torch.allclose: \
            |a - b| <= atol + rtol * |b|. Exit status as diff(1): 0 same, 1 differs, \
            2 trouble (an unreadable or malformed file, an unknown format). Calls are \
            paired by index when both runs made the same calls, else by their source \
            line's text (the report says how); --at end compares only the end, so two \
            scripts that compute the same gradients in different calls compare the same.
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

        @Option(help: ArgumentHelp("What to compare: all (every call, then the end), end, or after-K (A's call K and its partner in B).",
                                   valueName: "moment"))
        var at: String = "all"

        @Flag(inversion: .prefixedNo, help: "Print only the rows that differ (default on a terminal when there are more than 20 rows).")
        var onlyDifferences: Bool?

        @Option(name: .shortAndLong, help: "Also draw B's graph after its last backward call, coloured by how much each gradient differs from A's (.svg, .png or .dot).")
        var output: String?

        @OptionGroup(title: "Picture options (with -o)") var pictures: PictureOptionGroup

        func validate() throws {
            guard rtol >= 0, rtol.isFinite else { throw ValidationError("--rtol must be a non-negative number (got \(rtol))") }
            guard atol >= 0, atol.isFinite else { throw ValidationError("--atol must be a non-negative number (got \(atol))") }
            guard DiffScope(at) != nil else { throw ValidationError("--at must be all, end or after-K with K ≥ 1 (got '\(at)')") }
            if let output, PictureFormat(path: output) == nil {
                throw ValidationError("cannot tell the format of '\(output)': use a .svg, .png or .dot file name")
            }
        }

        func run() throws {
            // validate() checked that the output's name has a picture format.
            let pictureFormat = output.flatMap(PictureFormat.init(path:))
            let diff: RunDiff
            let tolerance = DiffTolerance(rtol: rtol, atol: atol)
            do {
                let docA = try DiffInput.document(path: a)
                let docB = try DiffInput.document(path: b)
                diff = try RunDiff(a: docA, b: docB, tolerance: tolerance, scope: DiffScope(at) ?? .all)
                if let output, let pictureFormat {
                    try Terminal.exitingOnDebuggerError {
                        let bytes = try DiffPicture.bytes(a: docA, b: docB, tolerance: tolerance, title: docB["name"]?.stringValue,
                                                          format: pictureFormat, options: pictures.options)
                        try AtomicFile.write(bytes, to: output)
                    }
                }
            } catch let error as DiffError {
                if case .unreadable = error { Terminal.error("\(error)") } else { Terminal.error("autograd-viz: error: \(error)") }
                throw ExitCode(2)
            }
            let terse = onlyDifferences ?? (isatty(STDOUT_FILENO) == 1 && diff.rows.count > 20)
            Terminal.out(json ? diff.document.serialized() : diff.render(onlyDifferences: terse))
            if diff.differs { throw ExitCode(1) }
        }
    }
}
