import Foundation
import Testing
@testable import Debugger
import ModelScript

/// `--snapshots first-last|all|none`: which backward calls keep their graphs
/// and values, and what the others keep instead.
@Suite struct SnapshotPolicyTests {
    /// Four SGD steps of a 3→40→1 model: four backward calls, a weight of 120
    /// elements (over the 100 a snapshot writes out), a bias of 40 and a
    /// one-element loss.
    static let training = ModelFile(path: "train.json", name: "train", seed: 0, code: """
        model = nn.Sequential(nn.Linear(3, 40), nn.Tanh(), nn.Linear(40, 1))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x = torch.randn(8, 3)
        y = torch.randn(8, 1)
        for step in range(4):
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            opt.step()
        """)

    static func document(_ policy: SnapshotPolicy, recordsCalls: Bool = true, fullCall: Int? = nil) -> (ScriptRun, [JSON]) {
        let run = ScriptRun(model: training, tables: .none, snapshots: policy, recordsCalls: recordsCalls, fullCall: fullCall)
        run.run()
        #expect(run.error == nil)
        return (run, run.document["backward"]?.arrayValue ?? [])
    }

    static func functionNodes(_ graph: JSON?) -> [JSON] {
        (graph?["nodes"]?.arrayValue ?? []).filter { $0["kind"]?.stringValue == "function" }
    }

    @Test func firstLastKeepsTheFirstAndLastGraphsAndCountsTheOthers() throws {
        let (_, all) = Self.document(.all)
        let (_, firstLast) = Self.document(.firstLast)
        #expect(all.count == 4 && firstLast.count == 4)
        // The first and last calls are exactly what `all` records.
        for k in [0, 3] {
            #expect(firstLast[k]["before"] == all[k]["before"])
            #expect(firstLast[k]["after"] == all[k]["after"])
        }
        // The calls between keep the counts of the very graphs `all` shows.
        for k in [1, 2] {
            for side in ["before", "after"] {
                let summary = try #require(firstLast[k][side])
                let full = all[k][side]
                #expect(summary["summary"] == .bool(true))
                #expect(summary["nodes"] == nil)
                #expect(summary["functions"] == .integer(Self.functionNodes(full).count))
                let tensors = (full?["nodes"]?.arrayValue ?? []).count - Self.functionNodes(full).count
                #expect(summary["tensors"] == .integer(tensors))
                let saved = Self.functionNodes(full).flatMap { $0["saved"]?.arrayValue ?? [] }
                let freed = saved.filter { $0["state"] == .string("freed") }.count
                #expect(summary["saved_freed"] == .integer(freed))
                #expect(summary["saved_retained"] == .integer(saved.count - freed))
            }
            // Before the call the graph holds its saved tensors; after it
            // (no retain_graph) they are freed.
            #expect(firstLast[k]["before"]?["saved_freed"] == .integer(0))
            #expect(firstLast[k]["after"]?["saved_retained"] == .integer(0))
        }
    }

    @Test func tensorsAfterKeepValuesAsTheirSnapshotAllows() throws {
        let (_, all) = Self.document(.all)
        let (_, firstLast) = Self.document(.firstLast)
        let (_, none) = Self.document(.none)
        // all: every element, in every call.
        let weight = try #require(all[1]["tensors_after"]?["model.0.weight"])
        #expect(weight["value"]?.arrayValue?.count == 40)
        #expect(weight["grad"]?.arrayValue?.first?.arrayValue?.count == 3)
        // first-last: the first and last calls write tensors of up to 100
        // elements, summaries beyond; the calls between keep one-element
        // values (the loss) and summaries.
        for k in [0, 3] {
            let t = try #require(firstLast[k]["tensors_after"])
            #expect(t["model.0.weight"]?["grad"]?["summary"] == .bool(true))
            #expect(t["model.0.bias"]?["grad"] == all[k]["tensors_after"]?["model.0.bias"]?["grad"])
            #expect(t["loss"]?["value"] == all[k]["tensors_after"]?["loss"]?["value"])
        }
        for k in [1, 2] {
            let t = try #require(firstLast[k]["tensors_after"])
            #expect(t["model.0.bias"]?["grad"]?["summary"] == .bool(true))
            #expect(t["loss"]?["value"] == all[k]["tensors_after"]?["loss"]?["value"])
            #expect(t["model.0.bias"]?["shape"] == .array([.integer(40)]))
        }
        // A summary's statistics are those of the full values.
        let biasGrad = try #require(all[1]["tensors_after"]?["model.0.bias"]?["grad"]?.arrayValue)
        let bias = biasGrad.compactMap(\.doubleValue)
        let summary = try #require(firstLast[1]["tensors_after"]?["model.0.bias"]?["grad"])
        #expect(abs(summary["max"]!.doubleValue! - bias.max()!) <= 1e-7)
        #expect(abs(summary["min"]!.doubleValue! - bias.min()!) <= 1e-7)
        #expect(abs(summary["mean"]!.doubleValue! - bias.reduce(0, +) / 40) <= 1e-7)
        // none: no graphs at all.
        for call in none {
            #expect(call["before"] == .null && call["after"] == .null)
            #expect(call["tensors_after"]?["loss"]?["value"]?.doubleValue != nil)
        }
    }

    @Test func theEndOfTheScriptIsWrittenInFullWhateverThePolicy() throws {
        let documents = [SnapshotPolicy.all, .firstLast, .none].map { policy -> JSON in
            let (run, _) = Self.document(policy)
            return run.document["tensors"] ?? .null
        }
        #expect(documents[0]["model.0.weight"]?["value"]?.arrayValue?.count == 40)
        #expect(documents[1] == documents[0])
        #expect(documents[2] == documents[0])
    }

    @Test func aCallAskedForIsKeptInFullUnderAnyPolicy() throws {
        let (_, all) = Self.document(.all)
        let (run, none) = Self.document(.none, fullCall: 2)
        #expect(none[1]["before"] == all[1]["before"])
        #expect(none[1]["after"] == all[1]["after"])
        #expect(none[2]["after"] == .null)
        #expect(run.isRecordedInFull(2))
        #expect(!run.isRecordedInFull(3))
        #expect(throws: DebuggerError.summarizedMoment("after-3")) {
            try run.pictureRequest(at: "after-3", options: PictureOptions())
        }
        #expect(throws: DebuggerError.noSuchMoment("after-5", available: run.moments)) {
            try run.pictureRequest(at: "after-5", options: PictureOptions())
        }
        // Four calls make nine moments: the message names the ends.
        #expect(DebuggerError.noSuchMoment("after-5", available: run.moments).description
            == "no moment 'after-5' in this run (available: before-1, after-1, …, before-4, after-4, end)")
        #expect(DebuggerError.noSuchMoment("after-2", available: ["before-1", "after-1", "end"]).description
            == "no moment 'after-2' in this run (available: before-1, after-1, end)")
        #expect(try run.pictureRequest(at: "before-2", options: PictureOptions()).moment == .before(index: 2))
    }

    /// A backward inside a hook (calls 2, 4, 6) finishes before the call
    /// that ran the hook (1, 3, 5): calls are still found by index, each
    /// keeps its own "before" graph, and the last by index stays whole
    /// (found in review).
    @Test func backwardCallsInsideHooksKeepTheirPlaces() throws {
        let nested = ModelFile(path: "nest.json", name: "nest", seed: 0, code: """
            x = torch.tensor([1.0, 2.0], requires_grad=True)
            z = torch.tensor([3.0, 4.0], requires_grad=True)
            w = (z * z).sum()
            y = x * 2
            h = y.register_hook(lambda g: g + torch.autograd.grad(w, z, retain_graph=True)[0])
            for i in range(3):
                y.sum().backward(retain_graph=True)
            """)
        for policy in [SnapshotPolicy.firstLast, .all] {
            let run = ScriptRun(model: nested, tables: .none, snapshots: policy)
            run.run()
            #expect(run.error == nil)
            let calls = run.document["backward"]?.arrayValue ?? []
            #expect(calls.map { $0["index"] } == (1...6).map { JSON.integer($0) })
            #expect(calls.map { $0["kind"]?.stringValue } == ["backward", "autograd.grad", "backward", "autograd.grad", "backward", "autograd.grad"])
            for k in policy == .all ? Array(1...6) : [1, 6] {
                #expect(run.isRecordedInFull(k), "call \(k) under \(policy)")
                #expect(calls[k - 1]["before"]?["nodes"] != nil, "before of call \(k) under \(policy)")
                #expect(try run.pictureRequest(at: "before-\(k)", options: PictureOptions()).moment == .before(index: k))
            }
            if policy == .firstLast {
                #expect((2...5).allSatisfy { !run.isRecordedInFull($0) })
            }
        }
        // render keeps the call it draws, nested or not.
        let render = ScriptRun(model: nested, tables: .none, snapshots: .none, fullCall: 3)
        render.run()
        #expect(try render.pictureRequest(at: "after-3", options: PictureOptions()).moment == .after(index: 3))
    }

    @Test func aPlainRunRecordsNoCalls() {
        let (run, calls) = Self.document(.firstLast, recordsCalls: false)
        #expect(calls.isEmpty)
        #expect(run.callCount == 0)
        #expect(run.document["tensors"]?["loss"] != nil)
    }

    @Test func momentsParseAsOnTheCommandLine() {
        #expect(Moment("end") == .end)
        #expect(Moment("before-3") == .before(index: 3))
        #expect(Moment("after-12")?.callIndex == 12)
        for bad in ["after-0", "after-", "during-1", "before-x", "END", ""] { #expect(Moment(bad) == nil, "\(bad)") }
    }
}

/// `diff` reads documents written under any policy: a summary is compared
/// with the other side's statistics.
@Suite struct SummaryDiffTests {
    @Test func aSummaryMatchesTheFullValuesItSummarises() throws {
        let (_, all) = SnapshotPolicyTests.document(.all)
        let (_, firstLast) = SnapshotPolicyTests.document(.firstLast)
        let full = try #require(all[1]["tensors_after"]?["model.0.bias"]?["grad"])
        let summary = try #require(firstLast[1]["tensors_after"]?["model.0.bias"]?["grad"])
        let tol = DiffTolerance(rtol: 1e-5, atol: 1e-8)
        #expect(RunDiff.compareValues(summary, full, name: "b", part: .grad, shape: "[40]", moment: .end, tol).status == .same)
        #expect(RunDiff.compareValues(full, summary, name: "b", part: .grad, shape: "[40]", moment: .end, tol).status == .same)
        // Doubling the values moves every statistic.
        let doubled = JSON.array(full.arrayValue!.map { .number($0.doubleValue! * 2) })
        #expect(RunDiff.compareValues(summary, doubled, name: "b", part: .grad, shape: "[40]", moment: .end, tol).status == .differs)
    }

    @Test func documentsOfTwoPoliciesDifferNowhere() throws {
        let (a, _) = SnapshotPolicyTests.document(.firstLast)
        let (b, _) = SnapshotPolicyTests.document(.all)
        let diff = try RunDiff(a: a.document, b: b.document, tolerance: DiffTolerance(rtol: 1e-5, atol: 1e-8))
        #expect(diff.rows.allSatisfy { $0.status == .same }, "\(diff.rows.filter { $0.status != .same })")
        #expect(diff.rows.count > 20)
    }
}
