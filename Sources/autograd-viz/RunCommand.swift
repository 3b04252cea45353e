import ArgumentParser
import Autograd
import Debugger
import Foundation
import ModelScript

extension AutogradViz {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a model script and print the gradients of every tensor after each backward() call.",
            discussion: """
            Exit status: 0 when the script ran to its end, 1 when it raised \
            (printed as path:line:column: Type: message), 2 for usage errors and \
            unreadable or malformed model files.
            """)

        @Argument(help: "A model file (.json with a \"code\" field) or a .py file.")
        var model: String

        @Flag(help: "Print the run document (format autograd-viz/run-1) instead of tables.")
        var json = false

        @Option(help: "Which backward calls get a full table.")
        var tables: TablePolicy = .firstLast

        @Flag(help: "Never colour the output (colours are used only on a terminal, and NO_COLOR turns them off).")
        var noColor = false

        @Flag(help: "Limit the gradient tables to tensors bound to names and module parameters (model.0.weight).")
        var params = false

        @Option(help: ArgumentHelp(
            "Which gradients the tables show.",
            discussion: "stored: .grad as PyTorch keeps it (None for non-leaves); all: also the gradient that flowed into every other tensor the call reached, marked \"(flowed, not stored)\"."))
        var grads: GradColumn = .stored

        @Flag(help: ArgumentHelp(
            "After each table, say why every .grad shown as None is None.",
            discussion: "non-leaf (and which leaves its gradient went on to), does not require grad (made under no_grad, detached, an integer dtype), not reached by this backward, ... The run document has the same as `why` (docs/EXPLANATIONS.md)."))
        var explain = false

        @Flag(help: "After the tables, the loss and each parameter's gradient norm over the backward calls, as sparklines.")
        var history = false

        @Flag(help: ArgumentHelp(
            "Check the gradients of every backward call; exit 1 when something is flagged.",
            discussion: "NaN/Inf (the node that turned a finite gradient into one, with its line), exploding or vanishing gradients into leaves, dead ReLUs, and parameters that never got a gradient (docs/EXPLANATIONS.md)."))
        var check = false

        @Option(name: .customLong("explode-above"), help: "--check: a leaf's gradient with a larger L2 norm is exploding.")
        var explodeAbove: Double = CheckLimits().explodeAbove

        @Option(name: .customLong("vanish-below"), help: "--check: a leaf's gradient with a smaller L2 norm (or all zeros) is vanishing.")
        var vanishBelow: Double = CheckLimits().vanishBelow

        @Option(name: .customLong("dead-relu"), help: "--check: a ReLU passing a zero gradient for at least this fraction of its elements is dead.")
        var deadReLU: Double = CheckLimits().deadReLU

        @Option(help: ArgumentHelp(
            "Which backward calls keep full graphs and values in --json and --out.",
            discussion: "The calls in between keep summaries (counts of the graph, statistics of the values)."))
        var snapshots: SnapshotPolicy = .firstLast

        @Option(help: "Write backward-K-before/after pictures (calls kept in full), end.FMT and run.json into this directory.")
        var out: String?

        @Option(help: "Picture format for --out.")
        var format: PictureFormat = .svg

        @OptionGroup var pictures: PictureOptionGroup

        @Option(help: "Threads for matrix products (default: AUTOGRAD_VIZ_THREADS, else OpenBLAS's OPENBLAS_NUM_THREADS/OMP_NUM_THREADS, else every core). OpenBLAS's last bits can depend on the count.")
        var threads: Int?

        @Flag(help: ArgumentHelp(
            "Print in-process timings to standard error: `timing: execute S s, output S s`.",
            discussion: "execute: the script, its backward calls and their recording; output: the document and pictures."))
        var timing = false

        func validate() throws {
            if let threads { guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024 (got \(threads))") } }
            guard explodeAbove > 0, explodeAbove.isFinite else { throw ValidationError("--explode-above must be a positive number (got \(explodeAbove))") }
            guard vanishBelow >= 0, vanishBelow.isFinite else { throw ValidationError("--vanish-below must be a non-negative number (got \(vanishBelow))") }
            guard deadReLU > 0, deadReLU <= 1 else { throw ValidationError("--dead-relu must be a fraction in (0, 1] (got \(deadReLU))") }
        }

        func run() throws {
            if let threads { BLASThreads.set(threads) }
            let file = try Terminal.loadModel(model)
            let color = Terminal.useColor(disabled: noColor)
            // Snapshots serve the document and the pictures only: a plain run
            // records none.
            let run = ScriptRun(model: file, tables: json ? .none : tables,
                                snapshots: snapshots, recordsCalls: json || out != nil,
                                color: color, namedOnly: params, grads: grads, explain: explain,
                                check: check ? CheckLimits(explodeAbove: explodeAbove, vanishBelow: vanishBelow, deadReLU: deadReLU) : nil,
                                history: history)
            if !json { run.onOutput = { Terminal.out($0) } }
            run.onErrorOutput = { Terminal.error($0) }
            run.run()
            let output = Stopwatch()
            defer {
                if timing { Terminal.error(String(format: "timing: execute %.6f s, output %.6f s", run.executionSeconds, output.seconds)) }
            }
            if json {
                Terminal.out(run.document.bytes() + [UInt8(ascii: "\n")])
            } else {
                for warning in run.terminalWarnings { Terminal.error("\(file.path):\(warning.location): \(warning.message)") }
                for line in run.checkReport { Terminal.out(line) }
            }
            // A script that could not be read ran nothing: no pictures, and
            // an earlier run's files in the directory stay as they were.
            if let out, run.ran {
                _ = try Terminal.exitingOnDebuggerError {
                    try run.writePictures(to: out, format: format, options: pictures.options)
                }
                let summarized = stride(from: 1, through: run.callCount, by: 1).filter { !run.isRecordedInFull($0) }
                if let first = summarized.first, let last = summarized.last {
                    let calls = first == last ? "call #\(first)" : "calls #\(first)-#\(last)"
                    Terminal.error("note: pictures of backward \(calls) were not drawn (only summaries were kept); "
                                   + "--snapshots all draws every call, render --at after-K one of them")
                }
            }
            for line in run.errorReport { Terminal.error(line) }
            if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
        }
    }
}

/// Standard output and error, and whether colours are wanted.
enum Terminal {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func out(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Reads a model file, or says why not and exits with status 2.
    static func loadModel(_ path: String) throws -> ModelFile {
        do {
            return try ModelFile.load(path: path)
        } catch let error as ModelFileError {
            Terminal.error(error.description)
            throw ExitCode(2)
        }
    }

    /// Runs `body`; what the debugger refuses (a bad moment, an unwritable
    /// path) is printed and exits with status 2.
    static func exitingOnDebuggerError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DebuggerError {
            Terminal.error("autograd-viz: error: \(error)")
            throw ExitCode(2)
        }
    }

    /// Colours only on a terminal, and never with NO_COLOR set (no-color.org).
    static func useColor(disabled: Bool) -> Bool {
        !disabled && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }
}
