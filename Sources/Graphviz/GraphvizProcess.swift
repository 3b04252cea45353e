import Foundation

/// Lays out and renders DOT text in a child process, with a time limit.
///
/// Graphviz 2.42's `gvFreeLayout` can corrupt the heap on some DOT shapes,
/// and some layouts run for hours. In-process, either takes the whole run
/// down or hangs it; in a child, a crash or an overrun kills only the child
/// and becomes a `GraphvizError` here. The child is a program whose mode
/// runs `GraphvizProcess.serve(format:)` (autograd-viz runs itself in a
/// hidden mode): DOT on its standard input, the picture on its standard
/// output, and a Graphviz error as its kind and message on standard error.
///
/// Each call starts one child (~15 ms, docs/GRAPHVIZ.md), which a picture
/// bounded by `--max-nodes` does not notice beside its layout.
public struct GraphvizProcess: Sendable, Equatable {
    /// The program to run, and its arguments before the format name.
    public var executable: String
    public var arguments: [String]
    /// Seconds one picture may take, layout and rendering together.
    public var timeLimit: Double

    /// A picture of `--max-nodes` 400 lays out in about a second; a minute
    /// means Graphviz is lost (or the budget was raised a long way).
    public static let defaultTimeLimit = 60.0

    public init(executable: String, arguments: [String], timeLimit: Double = GraphvizProcess.defaultTimeLimit) {
        self.executable = executable
        self.arguments = arguments
        self.timeLimit = timeLimit
    }

    /// The status a child exits with after reporting a `GraphvizError`.
    static let reportedError: Int32 = 3

    /// `GraphvizRenderer.render(dot:format:layout:)`, in a child. The DOT text
    /// and the picture pass through temporary files, not pipes: a child that
    /// dies early cannot leave this process blocked on a pipe, or killed by
    /// SIGPIPE writing into one.
    public func render(dot: String, format: GraphvizRenderer.Format) throws -> [UInt8] {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("autograd-viz-graphviz-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let input = base.appendingPathExtension("dot"), output = base.appendingPathExtension("out"),
            errors = base.appendingPathExtension("err")
        defer { for file in [input, output, errors] { try? FileManager.default.removeItem(at: file) } }
        do {
            try Data(dot.utf8).write(to: input)
            try Data().write(to: output)
            try Data().write(to: errors)
        } catch {
            throw GraphvizError.render("could not write a temporary file for the layout process: \(error.localizedDescription)")
        }
        let stdin = try FileHandle(forReadingFrom: input), stdout = try FileHandle(forWritingTo: output),
            stderr = try FileHandle(forWritingTo: errors)
        defer { for handle in [stdin, stdout, stderr] { try? handle.close() } }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + [format.rawValue]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        var environment = ProcessInfo.processInfo.environment
        // A crash is reported here in one line; Swift's backtracer would spend
        // seconds writing a backtrace no one reads.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw GraphvizError.render("could not start the layout process \(executable): \(error.localizedDescription)")
        }
        if finished.wait(timeout: .now() + timeLimit) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            throw GraphvizError.timedOut(seconds: timeLimit)
        }
        if process.terminationReason == .uncaughtSignal {
            throw GraphvizError.crashed(signal: process.terminationStatus)
        }
        let report = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
        switch process.terminationStatus {
        case 0:
            return [UInt8]((try? Data(contentsOf: output)) ?? Data())
        case Self.reportedError:
            throw GraphvizError(report: report)
        default:
            throw GraphvizError.render("the layout process exited with status \(process.terminationStatus)"
                                       + (report.isEmpty ? "" : ": \(report.trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
    }

    /// The child's side: reads DOT from standard input, writes the picture
    /// to standard output. Returns the exit status: 0, or `reportedError`
    /// after writing the error's kind and message to standard error.
    public static func serve(format: GraphvizRenderer.Format) -> Int32 {
        let dot = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        do {
            let bytes = try GraphvizRenderer.shared.render(dot: dot, format: format)
            FileHandle.standardOutput.write(Data(bytes))
            return 0
        } catch let error as GraphvizError {
            FileHandle.standardError.write(Data(error.report.utf8))
            return reportedError
        } catch {
            FileHandle.standardError.write(Data("render\n\(error)".utf8))
            return reportedError
        }
    }
}

extension GraphvizError {
    /// The kind on the first line, the message after it: how a child
    /// reports an error, read back as the same error.
    var report: String {
        switch self {
        case .syntax(let message): return "syntax\n" + message
        case .noGraph: return "noGraph\n"
        case .layout(let message): return "layout\n" + message
        case .render(let message): return "render\n" + message
        case .crashed(let signal): return "crashed\n\(signal)"
        case .timedOut(let seconds): return "timedOut\n\(seconds)"
        }
    }

    init(report: String) {
        let kind = report.prefix { $0 != "\n" }
        let message = String(report.dropFirst(kind.count + 1))
        switch kind {
        case "syntax": self = .syntax(message)
        case "noGraph": self = .noGraph
        case "layout": self = .layout(message)
        case "crashed": self = .crashed(signal: Int32(message) ?? 0)
        case "timedOut": self = .timedOut(seconds: Double(message) ?? 0)
        default: self = .render(message)
        }
    }
}
