import Foundation
import Graphviz
import Testing

/// `GraphvizProcess` contains what Graphviz does wrong: a child that dies of
/// a signal, overruns its time or reports an error becomes a
/// `GraphvizError`, and this process carries on. The child here is a shell
/// standing in for autograd-viz's layout mode (its last argument is the
/// format name).
@Suite struct GraphvizProcessTests {
    func child(_ script: String, timeLimit: Double = 10) -> GraphvizProcess {
        GraphvizProcess(executable: "/bin/sh", arguments: ["-c", script, "sh"], timeLimit: timeLimit)
    }

    @Test func thePictureIsTheChildsOutput() throws {
        #expect(try child("cat; printf \" $1\"").render(dot: "digraph g {}", format: .svg) == Array("digraph g {} svg".utf8))
    }

    @Test func aCrashIsAnError() {
        #expect(throws: GraphvizError.crashed(signal: SIGSEGV)) {
            try child("kill -SEGV $$").render(dot: "digraph g {}", format: .png)
        }
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
        #expect(throws: GraphvizError.syntax("syntax error in line 1 near 'x'")) {
            try child("printf \"syntax\\nsyntax error in line 1 near 'x'\" >&2; exit 3").render(dot: "x", format: .svg)
        }
        #expect(throws: GraphvizError.render("the layout process exited with status 7: oops")) {
            try child("echo oops >&2; exit 7").render(dot: "x", format: .svg)
        }
    }
}
