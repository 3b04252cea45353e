import Foundation
import Testing
@testable import Debugger
@testable import ModelScript

/// The tables' `change` column, the summary lines' loss, and `--history`.
@Suite struct GradTimelineTests {
    static func run(_ code: String, tables: TablePolicy = .all, history: Bool = false) -> (ScriptRun, String) {
        let run = ScriptRun(model: ModelFile(path: "t.py", name: "t", code: code), tables: tables, history: history)
        var out: [String] = []
        run.onOutput = { out.append($0) }
        run.run()
        return (run, out.joined(separator: "\n"))
    }

    /// a: zero_grad between calls, so new each time; b: accumulates (+=);
    /// c: not reached by the second call (unchanged); d: set to None
    /// between the calls (cleared).
    static let script = """
    import torch
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    c = torch.ones(2, requires_grad=True)
    d = torch.ones(2, requires_grad=True)
    (a * b * c * d).sum().backward()
    a.grad = None
    d.grad = None
    loss = (a * b * 3).sum()
    loss.backward()
    """

    @Test func eachRowSaysWhatTheCallDidToItsGrad() {
        let (_, out) = Self.run(Self.script)
        let second = out.components(separatedBy: "── backward #2")[1]
        func row(_ name: String) -> String { second.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map(String.init) ?? "" }
        #expect(row("a").contains(" new "))
        #expect(row("b").contains(" += (was ‖1.4142‖) "))  // [1, 1] before, [4, 4] after
        #expect(row("c").contains(" unchanged "))
        #expect(row("d").contains(" cleared "))
        #expect(second.hasPrefix(" at line 10: loss.backward() · loss = 6\n"))
    }

    @Test func summaryLinesCarryTheLossAndTheAccumulations() {
        let (_, out) = Self.run(Self.script, tables: .firstLast)
        // Two calls: both get full tables; a loop's middle calls get summary lines.
        let (_, loop) = Self.run("""
        import torch
        w = torch.ones(2, requires_grad=True)
        for k in range(3):
            loss = (w * (k + 1)).sum()
            loss.backward()
        """, tables: .firstLast)
        #expect(out.contains("── backward #2 at line 10: loss.backward() · loss = 6"))
        #expect(loop.contains("── backward #2 at line 5: loss.backward() · loss = 4 · 1 tensor with a grad (1 +=)"))
    }

    @Test func historyIsASeriesPerParameterAndASparkline() {
        let (run, out) = Self.run("""
        import torch
        w = torch.ones(2, requires_grad=True)
        for k in range(4):
            w.grad = None
            loss = (w * (k + 1)).sum()
            loss.backward()
        """, tables: .none, history: true)
        #expect(out.contains("── over 4 backward calls: the loss, then each parameter's ‖grad‖ (--history)"))
        #expect(out.contains("loss  ▁▃▆█  2 … 8, last 8"))
        let history = ScriptRun(model: ModelFile(path: "t.py", name: "t", code: Self.script), tables: .none)
        history.run()
        let norms = history.document["history"]?["grad_norm"]
        #expect(norms?["c"]?.arrayValue?.count == 2)
        #expect(norms?["d"]?.arrayValue?[1] == .null)  // cleared, then not reached
        #expect(history.document["history"]?["loss"]?.arrayValue?[1].doubleValue == 6)
        _ = run
    }

    @Test func sparklinesBucketLongSeriesAndMarkGaps() {
        #expect(GradTimeline.sparkline([1, 2, nil, 4]) == "▁▃ █")
        #expect(GradTimeline.sparkline([3, 3]) == "▄▄")
        #expect(GradTimeline.sparkline([1, .nan, 2]) == "▁!█")
        #expect(GradTimeline.sparkline((0..<600).map { Double($0) }).count == 60)
    }
}
