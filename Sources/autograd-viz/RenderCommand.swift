import ArgumentParser
import Debugger
import Foundation
import ModelScript

extension AutogradViz {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw one picture of a script's autograd graph.",
            discussion: """
            The format comes from the output's extension (.svg, .png, .dot); -o - writes \
            DOT to standard output (or --format svg/png). The picture is written even when \
            the script raises (exit status 1 then); files are written whole or not at all.
            """)

        @Argument(help: "A model file (.json with a \"code\" field) or a .py file.")
        var model: String

        @Option(name: .shortAndLong, help: "Output file (.svg, .png or .dot), or - for standard output.")
        var output: String

        @Option(help: "Which graph: before-K or after-K (around the K-th backward call), or end.")
        var at: String = "end"

        @Option(help: "Format when writing to standard output (default: dot).")
        var format: PictureFormat?

        @OptionGroup var pictures: PictureOptionGroup

        @Flag(help: "Print in-process timings to standard error: `timing: execute S s, picture S s`.")
        var timing = false

        func validate() throws {
            if output != "-" && PictureFormat(path: output) == nil {
                throw ValidationError("cannot tell the format of '\(output)': use a .svg, .png or .dot file name")
            }
        }

        func run() throws {
            // validate() checked that a file name has a picture format.
            guard let pictureFormat = output == "-" ? format ?? .dot : PictureFormat(path: output) else { throw ExitCode(2) }
            let file = try Terminal.loadModel(model)
            // Only the call drawn is recorded in full.
            let run = ScriptRun(model: file, tables: .none, snapshots: .none, fullCall: Moment(at)?.callIndex)
            run.run()
            if !run.ran, let line = run.errorLine {
                Terminal.error(line)
                throw ExitCode(2)
            }
            let picture = Stopwatch()
            defer {
                if timing { Terminal.error(String(format: "timing: execute %.6f s, picture %.6f s", run.executionSeconds, picture.seconds)) }
            }
            try Terminal.exitingOnDebuggerError {
                let request = try run.pictureRequest(at: at, options: pictures.options)
                let bytes = try PictureRenderer.bytes(request, format: pictureFormat)
                if output == "-" {
                    FileHandle.standardOutput.write(Data(bytes))
                } else {
                    try AtomicFile.write(bytes, to: output)
                }
            }
            for line in run.errorReport { Terminal.error(line) }
            if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
        }
    }
}
