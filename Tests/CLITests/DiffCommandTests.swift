import Foundation
import Testing

/// `autograd-viz diff` as a user runs it: the fixture pairs in fixtures/diff/
/// differ by one bug each, and bad inputs exit with status 2.
@Suite struct DiffCommandTests {
    static func diff(_ arguments: [String]) throws -> RunCommandTests.Result {
        try RunCommandTests.autogradViz(["diff"] + arguments)
    }

    /// The lines of a report that are not `same` rows.
    static func differing(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { !$0.hasSuffix(" same") }
    }

    @Test func aScriptAgainstItselfIsSame() throws {
        let r = try Self.diff(["fixtures/diff/mlp-sgd.json", "fixtures/diff/mlp-sgd.json"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout.hasSuffix("same: 74 comparisons over 5 backward calls and the end, all within rtol 1e-05, atol 1e-08\n"))
        #expect(!r.stdout.contains("first divergence"))
    }

    @Test func aRunDocumentAgainstItsScriptIsSame() throws {
        let run = try RunCommandTests.autogradViz(["run", "fixtures/diff/loss.json", "--json"])
        let path = try RunCommandTests.modelFile(run.stdout)
        let r = try Self.diff([path, "fixtures/diff/loss.json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("same: 10 comparisons over 1 backward call and the end"))
    }

    @Test func ganWithoutDetach() throws {
        let r = try Self.diff(["fixtures/diff/gan-detach.json", "fixtures/diff/gan-no-detach.json"])
        #expect(r.status == 1)
        #expect(r.stderr == "")
        let lines = Self.differing(r.stdout)
        #expect(Array(lines.prefix(5)) == [
            "at           tensor      of     shape   max |Δ|  max rel Δ  status",
            "backward #1  G.0.bias    grad   [4]                         grad missing in A",
            "backward #1  G.0.weight  grad   [4, 2]                      grad missing in A",
            "backward #1  G.2.bias    grad   [2]                         grad missing in A",
            "backward #1  G.2.weight  grad   [2, 4]                      grad missing in A",
        ])
        #expect(lines.contains { $0.hasPrefix("error: A ran to its end; B raised RuntimeError at line 16: Trying to backward through the graph a second time") })
        #expect(lines.suffix(2) == [
            "differs: 16 of 62 comparisons in 4 tensors (4 differs, 4 grad missing in A, 8 grad missing in B, errors differ) over 2 backward calls and the end, rtol 1e-05, atol 1e-08",
            "first divergence: backward #1 (line 12: d_loss.backward()): G.0.bias grad missing in A",
        ])
    }

    @Test func forgottenRetainGrad() throws {
        let r = try Self.diff(["fixtures/diff/retain-grad.json", "fixtures/diff/retain-grad-forgotten.json"])
        #expect(r.status == 1)
        #expect(Self.differing(r.stdout) == [
            "at           tensor  of     shape  max |Δ|  max rel Δ  status",
            "backward #1  h       grad   [3]                        grad missing in B",
            "end          h       grad   [3]                        grad missing in B",
            "differs: 2 of 12 comparisons in 1 tensor (2 grad missing in B) over 1 backward call and the end, rtol 1e-05, atol 1e-08",
            // Each side's own line: A's call is on line 7 (after h.retain_grad()).
            "first divergence: backward #1 (A line 7: loss.backward(); B line 6: loss.backward()): h grad missing in B",
        ])
    }

    @Test func lossScaledByTwo() throws {
        let r = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/loss-scaled.json"])
        #expect(r.status == 1)
        #expect(Self.differing(r.stdout) == [
            "at           tensor  of     shape  max |Δ|  max rel Δ  status",
            "backward #1  loss    value  []     0.0172   0.5        differs",
            "backward #1  w       grad   [3]    0.197    0.5        differs",
            "end          loss    value  []     0.0172   0.5        differs",
            "end          w       grad   [3]    0.197    0.5        differs",
            "differs: 4 of 10 comparisons in 2 tensors (4 differs) over 1 backward call and the end, rtol 1e-05, atol 1e-08",
            "first divergence: backward #1 (line 6: loss.backward()): loss value differs (max |Δ| 0.0172)",
        ])
        // A loose enough tolerance accepts the factor of 2.
        let loose = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/loss-scaled.json", "--rtol", "0.5"])
        #expect(loose.status == 0)
    }

    @Test func firstDivergenceInATrainingLoop() throws {
        let r = try Self.diff(["fixtures/diff/mlp-sgd.json", "fixtures/diff/mlp-sgd-lr.json"])
        #expect(r.status == 1)
        let lines = Self.differing(r.stdout)
        // Backward #1 agrees (the learning rate acts in the first step); the runs part at #2.
        #expect(!lines.contains { $0.hasPrefix("backward #1 ") })
        #expect(lines[1] == "backward #2  logits          value  [6, 3]  0.113    2.91       differs")
        #expect(lines.suffix(1) == ["first divergence: backward #2 (line 13: loss.backward()): logits value differs (max |Δ| 0.113)"])
    }

    @Test func jsonReport() throws {
        let r = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/loss-scaled.json", "--json"])
        #expect(r.status == 1)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(doc?["format"] as? String == "autograd-viz/diff-1")
        #expect(doc?["status"] as? String == "differs")
        let first = doc?["first_divergence"] as? [String: Any]
        #expect(first?["at"] as? Int == 1)
        #expect(first?["name"] as? String == "loss")
        #expect((doc?["rows"] as? [Any])?.count == 10)
        let same = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/loss.json", "--json"])
        #expect(same.status == 0)
        #expect(same.stdout.contains("\"first_divergence\": null"))
    }

    @Test func badInputsExitWithStatus2() throws {
        let malformed = try RunCommandTests.modelFile("{\"format\": \"autograd-viz/run-1\",\n  \"tensors\": [1,")
        var r = try Self.diff([malformed, "fixtures/diff/loss.json"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "\(malformed):2:17: error: malformed JSON: unexpected end of file, expected a value\n")

        r = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/no-such-file.json"])
        #expect(r.status == 2)
        #expect(r.stderr == "fixtures/diff/no-such-file.json: error: no such file\n")

        let otherFormat = try RunCommandTests.modelFile("{\"format\": \"autograd-viz/diff-1\"}")
        r = try Self.diff(["fixtures/diff/loss.json", otherFormat])
        #expect(r.status == 2)
        #expect(r.stderr == "\(otherFormat): error: unknown format \"autograd-viz/diff-1\" (expected \"autograd-viz/run-1\")\n")

        let neither = try RunCommandTests.modelFile("{\"tensors\": {}}")
        r = try Self.diff([neither, "fixtures/diff/loss.json"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("neither a model file (missing \"code\", a string or an array of lines) nor a run document"))

        let syntax = try RunCommandTests.modelFile("x = (1 +\n", ext: "py")
        r = try Self.diff([syntax, "fixtures/diff/loss.json"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("\(syntax):1:"))
        #expect(!r.stderr.contains("Fatal error"))

        let notAnObject = try RunCommandTests.modelFile("{\"format\": \"autograd-viz/run-1\", \"tensors\": 3}")
        r = try Self.diff([notAnObject, "fixtures/diff/loss.json"])
        #expect(r.status == 2)
        #expect(r.stderr == "autograd-viz: error: A is not a run document (autograd-viz/run-1): \"tensors\" is not an object\n")

        r = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/loss.json", "--rtol=-1"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--rtol must be a non-negative number"))
    }

    @Test func pictureColoursTheGradientsOfB() throws {
        let dot = FileManager.default.temporaryDirectory.appendingPathComponent("agv-\(UUID().uuidString).dot").path
        let r = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/loss-scaled.json", "-o", dot])
        #expect(r.status == 1)
        let text = try String(contentsOfFile: dot, encoding: .utf8)
        // Drawn as every picture is (the same styles and labels), filled by band.
        #expect(text.contains("\"t2\" [style=\"rounded,filled\", fillcolor=\"#ff7b7b\", label=<<B>w</B><BR/><FONT POINT-SIZE=\"9\">[3] float32</FONT><BR/><FONT POINT-SIZE=\"9\"><I>max |Δ grad| 0.197</I></FONT>"))
        #expect(text.contains("max rel Δ ≥ 1e-1"))
        #expect(text.contains("diff_key [shape=\"plaintext\""))
        #expect(text.contains("<B>Compared with A</B> (rtol 1e-05, atol 1e-08)"))

        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("agv-\(UUID().uuidString).svg").path
        let g = try Self.diff(["fixtures/diff/gan-detach.json", "fixtures/diff/gan-no-detach.json", "-o", svg])
        #expect(g.status == 1)
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(svgText.contains("<svg"))
        #expect(svgText.contains("grad missing in B"))

        // The picture options of every picture: module clusters, --focus.
        let focused = try Self.diff(["fixtures/diff/gan-detach.json", "fixtures/diff/gan-no-detach.json", "-o", dot, "--focus", "fake"])
        #expect(focused.status == 1)
        let focusedText = try String(contentsOfFile: dot, encoding: .utf8)
        #expect(focusedText.contains("Focus: 'fake'"))
        #expect(focusedText.contains("subgraph \"cluster.module."))

        let noCalls = try RunCommandTests.modelFile("{\"code\": [\"x = torch.ones(2)\"]}")
        let n = try Self.diff([noCalls, noCalls, "-o", dot + ".dot"])
        #expect(n.status == 2)
        #expect(n.stderr == "autograd-viz: error: cannot draw the picture: B made no backward call, so it has no graph after one\n")
        #expect(!FileManager.default.fileExists(atPath: dot + ".dot"))

        // B written with --snapshots none made calls but kept no graph of them.
        let summaries = FileManager.default.temporaryDirectory.appendingPathComponent("agv-\(UUID().uuidString).json").path
        let written = try RunCommandTests.autogradViz(["run", "fixtures/seed/grad-accumulation.json", "--json", "--snapshots", "none"])
        try written.stdout.write(toFile: summaries, atomically: true, encoding: .utf8)
        let s = try Self.diff(["fixtures/seed/grad-accumulation.json", summaries, "-o", dot + ".dot"])
        #expect(s.status == 2)
        #expect(s.stderr.contains("B's document kept no graph of its last backward call (written with --snapshots none)"))
        #expect(!FileManager.default.fileExists(atPath: dot + ".dot"))

        let bad = try Self.diff(["fixtures/diff/loss.json", "fixtures/diff/loss.json", "-o", "diff.txt"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("cannot tell the format of 'diff.txt'"))
    }

    /// Two retain_graph backward calls against one backward of the sum:
    /// the same end gradients, computed in different calls.
    @Test func twoLossVariantsAreTheSameAtTheEnd() throws {
        let pair = ["fixtures/diff/two-losses-retain-graph.json", "fixtures/diff/two-losses-summed.json"]
        let end = try Self.diff(pair + ["--at", "end"])
        #expect(end.status == 0)
        #expect(end.stdout.contains("compared at the end only (A made 2 backward calls, B 1)"))
        #expect(end.stdout.hasSuffix("same: 6 comparisons over the end, all within rtol 1e-05, atol 1e-08\n"))
        let all = try Self.diff(pair)
        #expect(all.status == 1)
        #expect(all.stdout.contains("calls matched by index: no backward call of A has the source of one of B's"))
        #expect(all.stdout.contains("first divergence: backward #1 (A line 7: loss1.backward(retain_graph=True); B line 7: (loss1 + loss2).backward()): w grad differs"))
        let missing = try Self.diff(pair + ["--at", "after-3"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--at after-3: A made 2 backward calls and B 1"))
        let bad = try Self.diff(pair + ["--at", "later"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--at must be all, end or after-K"))
        let terse = try Self.diff(pair + ["--only-differences"])
        #expect(terse.stdout.contains("(11 same rows not shown; --no-only-differences shows every row)"))
    }
}
