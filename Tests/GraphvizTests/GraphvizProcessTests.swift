import Foundation
import Graphviz
import Testing

/// `GraphvizProcess` contains what Graphviz does wrong: a child that dies of
/// a signal, overruns its time or reports an error becomes a
/// `GraphvizError`, and this process carries on. The children here are
/// shells standing in for autograd-viz's layout mode, answering in its
/// framing: a tag byte (0 picture, 1 error), a little-endian 64-bit length,
/// the bytes.
@Suite struct GraphvizProcessTests {
    func child(_ script: String, timeLimit: Double = 10) -> GraphvizProcess {
        GraphvizProcess(executable: "/bin/sh", arguments: ["-c", script, "sh", UUID().uuidString], timeLimit: timeLimit)
    }

    /// A shell command answering `payload` with `tag`, then waiting for the parent to close.
    func reply(_ tag: Int, _ payload: String) -> String {
        let header = ([tag, payload.utf8.count] + Array(repeating: 0, count: 7)).map { String(format: "\\%03o", $0) }.joined()
        return "printf '\(header)%s' '\(payload)'"
    }

    @Test func thePictureIsTheChildsAnswer() throws {
        let process = child(reply(0, "<svg/>") + "; cat > /dev/null")
        #expect(try process.render(dot: "digraph g {}", format: .svg) == Array("<svg/>".utf8))
    }

    @Test func aCrashIsAnErrorAndTheNextPictureGetsANewChild() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("agv-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let process = child("if [ -e \(marker) ]; then \(reply(0, "ok")); cat > /dev/null; else touch \(marker); kill -SEGV $$; fi")
        #expect(throws: GraphvizError.crashed(signal: SIGSEGV)) { try process.render(dot: "digraph g {}", format: .png) }
        #expect(try process.render(dot: "digraph g {}", format: .png) == Array("ok".utf8))
        #expect(GraphvizError.crashed(signal: SIGSEGV).description.hasPrefix("Graphviz crashed laying out the picture (Segmentation fault)"))
    }

    @Test func anOverrunIsStopped() {
        let start = Date()
        #expect(throws: GraphvizError.timedOut(seconds: 0.5)) {
            try child("exec sleep 30", timeLimit: 0.5).render(dot: "digraph g {}", format: .svg)
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aReportedErrorKeepsGraphvizsMessage() {
        #expect(throws: GraphvizError.syntax("syntax error in line 1 near x")) {
            try child(reply(1, "syntax\nsyntax error in line 1 near x") + "; cat > /dev/null").render(dot: "x", format: .svg)
        }
        #expect(throws: GraphvizError.render("the layout process exited with status 7")) {
            try child("exit 7").render(dot: "x", format: .svg)
        }
    }
}
