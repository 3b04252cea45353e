import Foundation
import Testing
@testable import Debugger
@testable import ModelScript

/// `run --explain` on every fixture against its golden text under
/// fixtures/explain/ (the tables of the first and last call, each followed by why every
/// `.grad` shown as None is None). Whether a grad is None is PyTorch's
/// (GoldenTests checks that every None has a reason and nothing else has);
/// the words are ours, so these goldens are written by autograd-viz itself
/// and read by a person: `UPDATE_GOLDENS=1 swift test --filter ExplainTests`,
/// then read the diff.
@Suite struct ExplainTests {
    static let fixtures = GoldenTests.seedFixtures + GoldenTests.factFixtures + GoldenTests.errorFixtures
        + GoldenTests.exampleFixtures + GoldenTests.modelFixtures + GoldenTests.languageFixtures

    static func output(_ fixture: String) throws -> String {
        let path = GoldenTests.root.appendingPathComponent("fixtures/\(fixture)").path
        let run = ScriptRun(model: try ModelFile.load(path: path), recordsCalls: false, explain: true)
        var lines: [String] = []
        run.onOutput = { lines.append($0) }
        run.onErrorOutput = { lines.append("stderr: " + $0) }
        run.run()
        lines += run.errorReport
        // Paths relative to the repository, wherever it is cloned.
        return lines.joined(separator: "\n").replacingOccurrences(of: GoldenTests.root.path + "/", with: "") + "\n"
    }

    @Test(arguments: fixtures)
    func explainMatchesGolden(_ fixture: String) throws {
        let name = fixture.replacingOccurrences(of: ".json", with: ".txt").replacingOccurrences(of: ".py", with: ".txt")
        let golden = GoldenTests.root.appendingPathComponent("fixtures/explain/\(name)")
        let text = try Self.output(fixture)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
            Issue.record("no golden fixtures/explain/\(name): run UPDATE_GOLDENS=1 swift test --filter ExplainTests")
            return
        }
        #expect(text == expected, "fixtures/explain/\(name) differs")
    }

    /// Every autograd error a fixture raises, caught or not, says where it
    /// began: the kinds the engine knows the provenance of, with the facts
    /// each note must state.
    @Test(arguments: fixtures)
    func autogradErrorsCarryProvenanceNotes(_ fixture: String) throws {
        let path = GoldenTests.root.appendingPathComponent("fixtures/\(fixture)").path
        let run = ScriptRun(model: try ModelFile.load(path: path), tables: .none)
        run.run()
        let document = run.document
        var raised: [(message: String, notes: [String])] = []
        if let message = document["error"]?["message"]?.stringValue {
            raised.append((message, document["error"]?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
        for call in document["backward"]?.arrayValue ?? [] where call["raised"] != .null {
            // A call that raised what the script then raised has the same notes.
            raised.append((document["error"]?["message"]?.stringValue ?? "", call["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
        for (message, notes) in raised {
            let text = notes.joined(separator: "\n")
            if message.hasPrefix("Trying to backward through the graph a second time") {
                #expect(text.contains("freed `"), "\(fixture): \(text)")
            } else if message.hasPrefix("one of the variables needed for gradient computation has been modified by an inplace operation") {
                #expect(text.contains(" at version ") && text.contains("now"), "\(fixture): \(text)")
            } else if message.hasSuffix("leaf Variable that requires grad is being used in an in-place operation.") {
                #expect(text.contains("leaf that requires grad") && text.contains("torch.no_grad()"), "\(fixture): \(text)")
            } else if message.contains("of tensors does not require grad and does not have a grad_fn") {
                #expect(text.contains("the root "), "\(fixture): \(text)")
            } else if message.hasPrefix("ZeroTensors are immutable") {
                #expect(text.contains("immutable ZeroTensor") && text.contains("made at line "), "\(fixture): \(text)")
            }
        }
    }

    @Test func provenanceNamesTheWriteTheFreeingCallAndTheRootsNoGradBlock() throws {
        func notes(_ code: String) -> [String] {
            let run = ScriptRun(model: ModelFile(path: "p.py", name: "p", code: code), tables: .none)
            run.run()
            return run.errorNotes
        }
        #expect(notes("""
        import torch
        x = torch.ones(3, requires_grad=True)
        s = torch.tanh(x * 2)
        s.mul_(2.0)
        s.sum().backward()
        """) == ["TanhBackward0 at line 3 (`s = torch.tanh(x * 2)`) saved s as `result` at version 0; it is at version 1 now",
               "it was modified in place at line 4 (`s.mul_(2.0)`)",
               "fix: use the out-of-place form (`y = y * 2` rather than `y.mul_(2)`), or write into a clone(), or modify it only after backward()"])
        #expect(notes("""
        import torch
        x = torch.ones(3, requires_grad=True)
        loss = torch.tanh(x).sum()
        loss.backward()
        loss.backward()
        """).first == "backward #1 at line 4 (`loss.backward()`) freed `result`, saved by TanhBackward0 at line 3 (`loss = torch.tanh(x).sum()`)")
        #expect(notes("""
        import torch
        x = torch.ones(3, requires_grad=True)
        with torch.no_grad():
            y = (x * 2).sum()
        y.backward()
        """) == ["the root y does not require grad: made under no_grad at line 4 (`y = (x * 2).sum()`)"])
        #expect(notes("""
        import torch
        w = torch.ones(3, requires_grad=True)
        w += 1
        """).first == "w is a leaf that requires grad; it was made at line 2 (`w = torch.ones(3, requires_grad=True)`)")
        #expect(notes("""
        import torch
        w = torch.ones(3, requires_grad=True)
        w[0] = 5.0
        """).first?.hasPrefix("the write goes through a view of w, a leaf that requires grad") == true)
        // Other errors get no notes.
        #expect(notes("import torch\ntorch.ones(2) @ torch.ones(3)").isEmpty)
    }

    /// The seed notes' confusion, in the terms of the issue that asked for it.
    @Test func aScaledLeafIsANonLeafWhoseGradientWentToTheRandnLeaf() throws {
        let model = ModelFile(path: "w.py", name: "w", code: """
        import torch
        w = torch.randn(3, requires_grad=True) * 0.1
        w.sum().backward()
        """)
        let run = ScriptRun(model: model, tables: .all, recordsCalls: true, explain: true)
        var out = ""
        run.onOutput = { out += $0 + "\\n" }
        run.run()
        #expect(out.contains("<torch.randn(3, …) @ line 2>"))
        #expect(out.contains("w  non-leaf, made by MulBackward0 at line 2 (`w = torch.randn(3, requires_grad=True) * 0.1`)"))
        #expect(out.contains("its gradient flowed on to torch.randn(3, …) @ line 2; call w.retain_grad() before backward() to keep it"))
        let why = run.call(1)["tensors_after"]?["w"]?["why"]?.stringValue
        #expect(why?.hasPrefix("non-leaf, made by MulBackward0 at line 2") == true)
    }

    @Test func reasonsForTensorsThatDoNotRequireGrad() throws {
        let model = ModelFile(path: "r.py", name: "r", code: """
        import torch
        a = torch.ones(2, requires_grad=True)
        with torch.no_grad():
            b = a * 2
        c = a.detach()
        n = torch.arange(2)
        p = torch.ones(2)
        unused = torch.zeros(2, requires_grad=True)
        (a * 3).sum().backward()
        """)
        let run = ScriptRun(model: model, tables: .none, recordsCalls: true)
        run.run()
        let after = run.call(1)["tensors_after"]
        #expect(after?["a"]?["why"] == .null)
        #expect(after?["b"]?["why"]?.stringValue == "does not require grad: made under no_grad at line 4 (`b = a * 2`)")
        #expect(after?["c"]?["why"]?.stringValue?.hasPrefix("does not require grad: detached from a at line 5") == true)
        #expect(after?["n"]?["why"]?.stringValue?.hasPrefix("does not require grad: its dtype int64 cannot") == true)
        #expect(after?["p"]?["why"]?.stringValue?.hasPrefix("does not require grad: made at line 7 (`p = torch.ones(2)`)") == true)
        #expect(after?["unused"]?["why"]?.stringValue?.hasPrefix("not reached by this backward") == true)
    }

    @Test func callTextStopsAtOperatorsAndFollowsChains() {
        #expect(CallText.expression(in: "w = torch.randn(3, requires_grad=True) * 0.1", column: 5) == "torch.randn(3, requires_grad=True)")
        #expect(CallText.expression(in: "x = torch.ones(3).requires_grad_()", column: 5) == "torch.ones(3).requires_grad_()")
        #expect(CallText.expression(in: "s = f(\")\", [1, (2)])[0] + 1", column: 5) == "f(\")\", [1, (2)])[0]")
        #expect(CallText.expression(in: "t = torch.tensor([1.0,", column: 5) == "torch.tensor([1.0,…")
        #expect(CallText.expression(in: "y = x + 1", column: 5) == nil)
        #expect(CallText.expression(in: "y = x", column: 40) == nil)
        #expect(Explainer.shortened("nn.Linear(784, 256, bias=False)") == "nn.Linear(784, …)")
        #expect(Explainer.shortened("torch.tensor([1.0, 2.0, 3.0, 4.0])") == "torch.tensor(…)")
        #expect(Explainer.shortened("torch.ones(3)") == "torch.ones(3)")
    }
}
