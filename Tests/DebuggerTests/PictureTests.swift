import Foundation
import Testing
@testable import Debugger
import ModelScript

/// Pictures of graph snapshots: DOT goldens for the seed fixtures (rewrite
/// them with `UPDATE_GOLDENS=1 swift test --filter PictureTests`, then look at
/// the diff), and the visual language on hand-built graphs.
@Suite struct PictureTests {
    // MARK: Goldens

    /// Seed fixtures, and facts whose pictures show what the seeds do not:
    /// double backward, no_grad, accumulation into a retained grad, a saved
    /// tensor written in place (the red stale edge and the error's notes).
    static let goldenFixtures = GoldenTests.fixtures("seed")
        + ["facts/e-grad-create-graph.json", "facts/e-backward-create-graph.json", "facts/f-no-grad.json",
           "facts/e-retain-grad-accumulates.json", "facts/a5-inplace-sigmoid-output.json"]

    /// Every picture of a fixture, by golden file name: before and after each
    /// backward call, the end of the script, and one picture with a legend.
    static func pictures(_ fixture: String) throws -> [(file: String, request: PictureRequest)] {
        let path = GoldenTests.root.appendingPathComponent("fixtures/\(fixture)").path
        let model = try ModelFile.load(path: path)
        let run = ScriptRun(model: model, tables: .none)
        run.run()
        let name = (fixture as NSString).deletingPathExtension
        var out: [(String, PictureRequest)] = []
        for (k, call) in (run.document["backward"]?.arrayValue ?? []).enumerated() {
            out.append(("\(name).backward-\(k + 1)-before.dot",
                        PictureRequest(graph: call["before"]!, call: call, moment: .before(index: k + 1), title: model.name)))
            out.append(("\(name).backward-\(k + 1)-after.dot",
                        PictureRequest(graph: call["after"]!, call: call, previous: call["before"], moment: .after(index: k + 1),
                                       title: model.name)))
        }
        out.append(("\(name).end.dot", try run.pictureRequest(at: "end", options: PictureOptions())))
        if fixture == "seed/rnn-cell.json" {
            // The legend on its own, for docs/VISUAL-LEGEND.md.
            out.append(("legend.dot", PictureRequest(graph: .object([("nodes", .array([]))]), moment: .end,
                                                     title: "autograd-viz", options: PictureOptions(legend: true))))
        }
        if fixture == "seed/rnn-cell.json", var legend = out.first {
            legend.0 = "\(name).backward-1-before.legend.dot"
            legend.1.options.legend = true
            out.append(legend)
        }
        return out
    }

    @Test(arguments: goldenFixtures)
    func matchesGolden(_ fixture: String) throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1"
        for (file, request) in try Self.pictures(fixture) {
            let url = GoldenTests.root.appendingPathComponent("fixtures/dot/\(file)")
            let dot = try GraphPicture.dot(request)
            DOTSyntax.check(dot, context: file)
            if update {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try dot.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
                Issue.record("no golden fixtures/dot/\(file): run UPDATE_GOLDENS=1 swift test --filter PictureTests")
                continue
            }
            #expect(dot == golden, "fixtures/dot/\(file) differs: UPDATE_GOLDENS=1 swift test --filter PictureTests rewrites it")
        }
    }

    // MARK: Module calls

    /// Model fixtures drawn with their module calls: (golden, fixture,
    /// backward index, after?, options).
    static let modelGoldens: [(file: String, fixture: String, call: Int, after: Bool, options: PictureOptions)] = [
        ("models/mlp-sgd-training.backward-1-before.dot", "models/mlp-sgd-training.json", 1, false, PictureOptions()),
        ("models/mlp-sgd-training.backward-1-before.depth-1.dot", "models/mlp-sgd-training.json", 1, false, PictureOptions(depth: 1)),
        ("models/mode-switch-sequential.backward-2-before.dot", "models/mode-switch-sequential.json", 2, false, PictureOptions()),
        ("models/gan-detach.backward-1-after.dot", "models/gan-detach.json", 1, true, PictureOptions()),
        // Frozen parameters: model.0 after requires_grad_(False).
        ("models/frozen-first-layer.backward-1-after.dot", "models/frozen-first-layer.json", 1, true, PictureOptions()),
    ]

    static func modelPicture(_ fixture: String, call k: Int, after: Bool, options: PictureOptions) throws -> PictureRequest {
        let model = try ModelFile.load(path: GoldenTests.root.appendingPathComponent("fixtures/\(fixture)").path)
        let run = ScriptRun(model: model, tables: .none)
        run.run()
        let call = try #require(run.document["backward"]?.arrayValue?[k - 1])
        return after
            ? PictureRequest(graph: call["after"]!, call: call, previous: call["before"], moment: .after(index: k), title: model.name, options: options)
            : PictureRequest(graph: call["before"]!, call: call, moment: .before(index: k), title: model.name, options: options)
    }

    @Test func modelPicturesMatchGoldens() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1"
        for golden in Self.modelGoldens {
            let dot = try GraphPicture.dot(Self.modelPicture(golden.fixture, call: golden.call, after: golden.after, options: golden.options))
            DOTSyntax.check(dot, context: golden.file)
            #expect(dot.contains("subgraph \"cluster.module.m1\""), "\(golden.file) has no module cluster")
            let url = GoldenTests.root.appendingPathComponent("fixtures/dot/\(golden.file)")
            if update {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try dot.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                Issue.record("no golden fixtures/dot/\(golden.file): run UPDATE_GOLDENS=1 swift test --filter PictureTests")
                continue
            }
            #expect(dot == text, "fixtures/dot/\(golden.file) differs: UPDATE_GOLDENS=1 swift test --filter PictureTests rewrites it")
        }
    }

    /// seq (Sequential) > fc (Linear) with its weight, and drop (Dropout,
    /// training) > inner (eval); a loss outside any module.
    static func moduleGraph() -> JSON {
        func module(_ id: String, _ label: String, parent: String?, training: Bool?) -> JSON {
            .object([("id", .string(id)), ("path", .string(String(label.prefix { $0 != ":" }))), ("label", .string(label)),
                     ("parent", parent.map(JSON.string) ?? .null), ("training", training.map(JSON.bool) ?? .null)])
        }
        let modules: [JSON] = [
            module("m1", "seq: Sequential", parent: nil, training: nil),
            module("m2", "seq.0: Linear(2, 2)", parent: "m1", training: nil),
            module("m3", "seq.1: Dropout(p=0.5) [train]", parent: "m1", training: true),
            module("m4", "seq.1.bn: BatchNorm1d(2) [eval]", parent: "m3", training: false),
        ]
        return .object([("nodes", .array([
            GraphJSON.tensor("t1", name: "seq.0.weight", requiresGrad: true),
            GraphJSON.tensor("t2", name: "x"),
            GraphJSON.tensor("t3", name: nil, isLeaf: false, gradFn: "f4"),
            GraphJSON.tensor("t4", name: "loss", isLeaf: false, gradFn: "f5", root: true),
            GraphJSON.function("f1", "AccumulateGrad", variable: "t1", extra: [("module", .string("m2"))]),
            GraphJSON.function("f2", "MmBackward0", next: ["f1", nil], saved: [("self", "retained", "t2")], extra: [("module", .string("m2"))]),
            GraphJSON.function("f3", "NativeBatchNormBackward0", next: ["f2"], extra: [("module", .string("m4"))]),
            GraphJSON.function("f4", "MulBackward0", next: ["f3"], saved: [("other", "retained", nil)], extra: [("module", .string("m3"))]),
            GraphJSON.function("f5", "SumBackward0", next: ["f4"], saved: [("self", "retained", "t3")]),
        ])), ("modules", .array(modules))])
    }

    @Test func moduleCallsAreNestedClusters() throws {
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.moduleGraph(), call: GraphJSON.call(roots: ["t4"]), moment: .before(index: 1)))
        DOTSyntax.check(dot, context: "modules")
        let lines = dot.split(separator: "\n").map(String.init)
        func line(_ prefix: String) -> Int { lines.firstIndex { $0.hasPrefix(prefix) } ?? -1 }
        // seq { seq.0 { weight, AccumulateGrad, Mm }, seq.1 { Mul, seq.1.bn { BatchNorm } } }, x and loss outside.
        #expect(line("  subgraph \"cluster.module.m1\" {") >= 0)
        #expect(line("    graph [label=\"seq: Sequential\"") == line("  subgraph \"cluster.module.m1\" {") + 1)
        #expect(line("    subgraph \"cluster.module.m2\" {") > line("  subgraph \"cluster.module.m1\" {"))
        #expect(line("      \"t1\" [") > line("    subgraph \"cluster.module.m2\" {"))
        #expect(line("      \"f1\" [") > 0 && line("      \"f2\" [") > 0)
        #expect(line("      \"f4\" [") > line("    subgraph \"cluster.module.m3\" {"))
        #expect(line("      \"f4.saved.0\" [") > 0, "a saved entry sits with its function")
        #expect(line("      subgraph \"cluster.module.m4\" {") > line("    subgraph \"cluster.module.m3\" {"))
        #expect(line("        \"f3\" [") > 0)
        #expect(line("  \"t2\" [") > 0 && line("  \"t4\" [") > 0 && line("  \"f5\" [") > 0 && line("  \"t3\" [") > 0)
        #expect(line("  \"t4\" [") < line("  subgraph \"cluster.module.m1\" {"))
    }

    @Test func trainAndEvalModulesHaveTheirBorder() throws {
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.moduleGraph(), call: GraphJSON.call(roots: ["t4"]), moment: .before(index: 1)))
        #expect(dot.contains("graph [label=\"seq.1: Dropout(p=0.5) [train]\", style=\"rounded\", color=\"deeppink3\", fontcolor=\"deeppink3\", fontsize=\"10\", penwidth=\"2.5\"];"))
        #expect(dot.contains("graph [label=\"seq.1.bn: BatchNorm1d(2) [eval]\", style=\"rounded\", color=\"dodgerblue3\""))
        #expect(dot.contains("graph [label=\"seq.0: Linear(2, 2)\", style=\"rounded\", color=\"grey60\""))
        #expect(dot.contains("pink: training mode [train]") && dot.contains("blue: eval mode [eval]"))
        // Folded, the box keeps the mode's border.
        let folded = try GraphPicture.dot(PictureRequest(graph: Self.moduleGraph(), moment: .end, options: PictureOptions(depth: 1)))
        #expect(folded.contains("\"module.m3\" [shape=\"tab\", style=\"filled\", fillcolor=\"white\", color=\"deeppink3\""))
        #expect(folded.contains("pink: training mode [train]") && !folded.contains("blue: eval mode"))
    }

    @Test func depthFoldsDeeperModuleCalls() throws {
        let graph = Self.moduleGraph()
        // Without --depth every level is drawn.
        #expect(!(try GraphPicture.dot(PictureRequest(graph: graph, moment: .end))).contains("\"module.m"))
        let one = try GraphPicture.dot(PictureRequest(graph: graph, call: GraphJSON.call(roots: ["t4"]), moment: .before(index: 1),
                                                      options: PictureOptions(depth: 1)))
        DOTSyntax.check(one, context: "depth 1")
        // seq stays a cluster; seq.0 (weight, AccumulateGrad, Mm) and seq.1
        // (Mul, its saved result… and the BatchNorm inside it) are boxes in it.
        #expect(one.contains("subgraph \"cluster.module.m1\""))
        #expect(!one.contains("cluster.module.m2") && !one.contains("cluster.module.m3") && !one.contains("cluster.module.m4"))
        #expect(one.contains("    \"module.m2\" [") && one.contains("<B>seq.0: Linear(2, 2)</B><BR/><FONT POINT-SIZE=\"9\"><I>3 nodes</I>"))
        #expect(one.contains("    \"module.m3\" [") && one.contains("<I>2 nodes</I>"))
        #expect(!one.contains("\"f1\" [") && !one.contains("\"t1\" [") && !one.contains("\"f4.saved.0\""))
        // Edges go to the boxes, once each; x's saved edge keeps its colour.
        #expect(one.contains("\"module.m2\" -> \"module.m3\" [color=\"grey30\"];"))
        #expect(one.contains("\"module.m3\" -> \"f5\" [color=\"grey30\"];"))
        #expect(one.contains("\"t2\" -> \"module.m2\" [dir=\"none\", color=\"darkorange\"];"))
        #expect(one.contains("--depth 1: module calls nested deeper than 1 level are folded"))
        // --depth 0 folds the outermost call; --depth 2 only the BatchNorm.
        let zero = try GraphPicture.dot(PictureRequest(graph: graph, moment: .end, options: PictureOptions(depth: 0)))
        #expect(!zero.contains("subgraph \"cluster.module") && zero.contains("  \"module.m1\" [") && zero.contains("<I>5 nodes</I>"))
        let two = try GraphPicture.dot(PictureRequest(graph: graph, moment: .end, options: PictureOptions(depth: 2)))
        #expect(two.contains("subgraph \"cluster.module.m3\"") && two.contains("      \"module.m4\" [") && two.contains("<I>1 node</I>"))
        // With --focus, --depth counts edges and nothing is folded.
        let focus = try GraphPicture.dot(PictureRequest(graph: graph, moment: .end, options: PictureOptions(focus: "loss", depth: 1)))
        #expect(!focus.contains("\"module.m") && focus.contains("within 1 edge"))
    }

    @Test func graphsWithoutModulesAreDrawnAsBefore() throws {
        var graph = Self.mulGraph(state: "retained")
        let plain = try GraphPicture.dot(PictureRequest(graph: graph, call: GraphJSON.call(roots: ["t3"]), moment: .before(index: 1)))
        if case .object(var fields) = graph { fields.append(("modules", .array([]))); graph = .object(fields) }
        #expect(try GraphPicture.dot(PictureRequest(graph: graph, call: GraphJSON.call(roots: ["t3"]), moment: .before(index: 1))) == plain)
        #expect(try GraphPicture.dot(PictureRequest(graph: graph, moment: .end, options: PictureOptions(depth: 0)))
                == GraphPicture.dot(PictureRequest(graph: graph, moment: .end)))
    }

    @Test func sameScriptSamePicture() throws {
        let first = try Self.pictures("seed/rnn-cell.json").map { try GraphPicture.dot($0.request) }
        let second = try Self.pictures("seed/rnn-cell.json").map { try GraphPicture.dot($0.request) }
        #expect(first == second)
        let request = try Self.pictures("seed/two-losses.json")[0].request
        #expect(try GraphPicture.dot(request) == GraphPicture.dot(request))
    }

    // MARK: Escaping

    @Test func namesOfEveryKindGiveValidDOT() throws {
        let names = ["say \"hi\"", "<b>&amp;</b>", "back\\slash\\", "two\nlines", "ünïcødé λ 张量 🙂", "tab\there", "\\\"", "{}[];,=->"]
        var nodes: [JSON] = []
        for (k, name) in names.enumerated() {
            nodes.append(GraphJSON.tensor("t\(k + 1)", name: name, requiresGrad: true, grad: .number(1)))
        }
        nodes.append(GraphJSON.tensor("weird \"id\"\\", name: nil, isLeaf: false, gradFn: "f1", root: true))
        nodes.append(GraphJSON.function("f1", "Strange<Backward>\"0\"&", next: ["f2"], saved: [("se\"lf\\", "retained", nil), ("ot\\her\"", "retained", "t2")]))
        nodes.append(GraphJSON.function("f2", "AccumulateGrad", variable: "t1"))
        let request = PictureRequest(graph: GraphJSON.graph(nodes), call: GraphJSON.call(roots: ["weird \"id\"\\"], source: "print(\"<&>\")"),
                                     moment: .before(index: 1), title: "tit\"le <&>")
        let dot = try GraphPicture.dot(request)
        DOTSyntax.check(dot, context: "escaping")
        #expect(dot.contains("<B>say &quot;hi&quot;</B>"))
        #expect(dot.contains("<B>&lt;b&gt;&amp;amp;&lt;/b&gt;</B>"))
        #expect(dot.contains("<B>back\\slash\\</B>"))
        #expect(dot.contains("<B>two\\nlines</B>"))
        #expect(dot.contains("<B>ünïcødé λ 张量 🙂</B>"))
        #expect(dot.contains("Strange&lt;Backward&gt;&quot;0&quot;&amp;"))
        #expect(dot.contains("label=<se&quot;lf\\>"))
        #expect(dot.contains("label=\"ot\\\\her\\\"\""))
        #expect(dot.contains("\"weird_x20__x22_id_x22__x5c_\""))
        #expect(dot.contains("tit&quot;le &lt;&amp;&gt;"))
        // One statement a line: no name broke a line.
        #expect(!dot.split(separator: "\n").contains { $0.contains("lines") && !$0.contains("two\\nlines") })
    }

    // MARK: Saved tensors

    /// a (weight) * b (input) = c, the root; MulBackward0 saved both.
    static func mulGraph(state: String, grad: JSON = .null) -> JSON {
        GraphJSON.graph([
            GraphJSON.tensor("t1", name: "a", requiresGrad: true, grad: grad),
            GraphJSON.tensor("t2", name: "b"),
            GraphJSON.tensor("t3", name: "c", isLeaf: false, gradFn: "f1", root: true),
            GraphJSON.function("f1", "MulBackward0", next: ["f2", nil], saved: [("self", state, state == "freed" ? nil : "t1"), ("other", state, "t2")]),
            GraphJSON.function("f2", "AccumulateGrad", variable: "t1"),
        ])
    }

    @Test func freedSavedTensorsAreGreyAndTheLabelSaysABackwardWillRaise() throws {
        let call = GraphJSON.call(roots: ["t3"])
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.mulGraph(state: "freed", grad: .number(3)), call: call,
                                                      previous: Self.mulGraph(state: "retained"), moment: .after(index: 1)))
        // `self` lost its tensor: its own dashed node; `other` still has one.
        #expect(dot.contains("\"f1.saved.0\" [shape=\"box\", style=\"rounded,dashed\""))
        #expect(dot.contains("\"t2\" -> \"f1\" [dir=\"none\", style=\"dashed\", color=\"grey55\", xlabel=\"other (freed)\""))
        #expect(dot.contains("This backward freed the saved tensors (retain_graph=False)"))
        #expect(dot.contains("Trying to backward through the graph a second time"))
        #expect(!dot.contains("darkorange"))
    }

    @Test func retainedSavedTensorsStayOrange() throws {
        let call = GraphJSON.call(roots: ["t3"], retainGraph: true)
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.mulGraph(state: "retained", grad: .number(3)), call: call,
                                                      previous: Self.mulGraph(state: "retained"), moment: .after(index: 1)))
        #expect(dot.contains("\"t1\" -> \"f1\" [dir=\"none\", color=\"darkorange\", xlabel=\"self\""))
        #expect(dot.contains("retain_graph=True: the saved tensors are kept"))
        #expect(!dot.contains("second time"))
        #expect(!dot.contains("freed"))
    }

    @Test func aBackwardThroughFreedTensorsIsAnnouncedBeforeItRuns() throws {
        let call = GraphJSON.call(roots: ["t3"], raised: "RuntimeError")
        let before = try GraphPicture.dot(PictureRequest(graph: Self.mulGraph(state: "freed"), call: call, moment: .before(index: 2)))
        #expect(before.contains("were freed by an earlier backward:"))
        #expect(before.contains("this call raises “Trying to backward through the graph a second time”"))
        let after = try GraphPicture.dot(PictureRequest(graph: Self.mulGraph(state: "freed"), call: call,
                                                        previous: Self.mulGraph(state: "freed"), moment: .after(index: 2)))
        #expect(after.contains("✖ this call raised RuntimeError"))
        #expect(after.contains("had been freed by an earlier backward"))
        #expect(!after.contains("This backward freed"))
    }

    @Test func aSavedOutputDoesNotRankAboveItsFunction() throws {
        let graph = GraphJSON.graph([
            GraphJSON.tensor("t1", name: "x", requiresGrad: true),
            GraphJSON.tensor("t2", name: "y", isLeaf: false, gradFn: "f1", root: true),
            GraphJSON.function("f1", "TanhBackward0", next: ["f2"], saved: [("result", "retained", "t2")]),
            GraphJSON.function("f2", "AccumulateGrad", variable: "t1"),
        ])
        let dot = try GraphPicture.dot(PictureRequest(graph: graph, call: GraphJSON.call(roots: ["t2"]), moment: .before(index: 1)))
        #expect(dot.contains("\"t2\" -> \"f1\" [dir=\"none\", color=\"darkorange\", xlabel=\"result\", fontcolor=\"darkorange3\", constraint=\"false\"]"))
        #expect(dot.contains("\"f1\" -> \"t2\""))
    }

    // MARK: Gradients

    @Test func newAccumulatedAndUnchangedGradsAreTold() throws {
        func graph(_ a: JSON, _ b: JSON, _ w: JSON) -> JSON {
            GraphJSON.graph([
                GraphJSON.tensor("t1", name: "a", requiresGrad: true, grad: a),
                GraphJSON.tensor("t2", name: "b", shape: [2], requiresGrad: true, grad: b, value: .array([.number(1), .number(2)])),
                GraphJSON.tensor("t3", name: "W", shape: [20, 20], requiresGrad: true, grad: w, value: GraphJSON.summary(norm: 10)),
                GraphJSON.tensor("t4", name: "loss", isLeaf: false, gradFn: "f1", root: true),
                GraphJSON.function("f1", "AddBackward0", next: ["f2", "f3"]),
                GraphJSON.function("f2", "AccumulateGrad", variable: "t1"),
                GraphJSON.function("f3", "AccumulateGrad", variable: "t3"),
            ])
        }
        let before = graph(.number(4), .array([.number(1), .number(1)]), GraphJSON.summary(norm: 4.3))
        let after = graph(.number(8), .array([.number(1), .number(1)]), GraphJSON.summary(norm: 8.6123))
        let call = GraphJSON.call(roots: ["t4"])
        let dot = try GraphPicture.dot(PictureRequest(graph: after, call: call, previous: before, moment: .after(index: 2)))
        #expect(dot.contains("<B>grad = 8</B>"))
        #expect(dot.contains("accumulated (+=), was 4"))
        #expect(dot.contains("grad = [1, 1] (unchanged)"))
        #expect(dot.contains("<B>grad [20, 20] ‖g‖ = 8.61</B>"))
        #expect(dot.contains("accumulated (+=), ‖g‖ was 4.3"))

        let fresh = try GraphPicture.dot(PictureRequest(graph: after, call: call, previous: graph(.null, .null, .null),
                                                        moment: .after(index: 1)))
        #expect(fresh.contains("<B>grad = 8</B>"))
        #expect(!fresh.contains("accumulated"))

        let waiting = try GraphPicture.dot(PictureRequest(graph: before, call: call, moment: .before(index: 2)))
        #expect(waiting.contains("from earlier calls: will accumulate"))
        #expect(waiting.contains("grad = [1, 1]</FONT>"), "b is not reached: no accumulation announced")
    }

    // MARK: Tensor kinds

    @Test func detachIsADashedEdgeFromTheTensorItCameFrom() throws {
        let graph = GraphJSON.graph([
            GraphJSON.tensor("t1", name: "x", requiresGrad: true),
            GraphJSON.tensor("t2", name: "y", extra: [("detached_from", .string("t1"))]),
        ])
        let dot = try GraphPicture.dot(PictureRequest(graph: graph, moment: .end))
        #expect(dot.contains("\"t1\" -> \"t2\" [style=\"dashed\", color=\"grey30\", arrowhead=\"tee\", xlabel=\"detach()\""))
        #expect(dot.contains("\"t2\" [style=\"rounded,filled,dashed\", fillcolor=\"white\""))
    }

    @Test func everyRoleHasItsLook() throws {
        let graph = GraphJSON.graph([
            GraphJSON.tensor("t1", name: "w", requiresGrad: true),
            GraphJSON.tensor("t2", name: "x"),
            GraphJSON.tensor("t3", name: nil, isLeaf: true),
            GraphJSON.tensor("t4", name: "h", isLeaf: false, gradFn: "f1", extra: [("retains_grad", .bool(true))]),
            GraphJSON.tensor("t5", name: "b", extra: [("no_grad", .bool(true))]),
            GraphJSON.tensor("t6", name: "loss", isLeaf: false, gradFn: "f3", root: true),
            GraphJSON.function("f1", "MulBackward0", next: ["f2", nil], saved: [("other", "retained", "t3"), ("self", "retained", "t2")]),
            GraphJSON.function("f2", "AccumulateGrad", variable: "t1"),
            GraphJSON.function("f3", "SumBackward0", next: ["f1"]),
            GraphJSON.function("f4", "PowBackward0", next: ["f2"]),
            GraphJSON.function("f5", "MulBackward1", next: ["f1"], extra: [("in_backward", .bool(true))]),
        ])
        let dot = try GraphPicture.dot(PictureRequest(graph: graph, call: GraphJSON.call(roots: ["t6"]), moment: .before(index: 1)))
        func line(_ id: String) -> String { dot.split(separator: "\n").first { $0.hasPrefix("  \"\(id)\" [") }.map(String.init) ?? "" }
        #expect(line("t1").contains("fillcolor=\"lightblue\""))
        #expect(line("t2").contains("style=\"rounded,filled,dashed\""))
        #expect(line("t3").contains("fillcolor=\"orange\""))
        #expect(line("t4").contains("color=\"goldenrod\""))
        #expect(line("t4").contains("<I>retain_grad</I>"))
        #expect(line("t5").contains("style=\"rounded,filled,dotted\""))
        #expect(line("t5").contains("<I>no_grad</I>"))
        #expect(line("t6").contains("fillcolor=\"darkolivegreen1\""))
        #expect(line("f1").contains("fillcolor=\"lightgrey\""))
        #expect(line("f4").contains("fillcolor=\"grey97\""), "f4 is not on the path from loss")
        #expect(dot.contains("subgraph cluster_double_backward"))
        #expect(dot.contains("Faded functions are not on this call's path"))
        // Edges in next_functions order, toward the function (torchviz's direction).
        let edges = dot.split(separator: "\n").filter { $0.contains(" -> ") }.map { String($0).trimmingCharacters(in: .whitespaces) }
        #expect(edges.prefix(3) == ["\"f2\" -> \"f1\";", "\"t3\" -> \"f1\" [dir=\"none\", color=\"darkorange\", xlabel=\"other\", fontcolor=\"darkorange3\"];",
                                    "\"t2\" -> \"f1\" [dir=\"none\", color=\"darkorange\", xlabel=\"self\", fontcolor=\"darkorange3\"];"])
        #expect(edges.contains("\"t1\" -> \"f2\";"))
        #expect(edges.contains("\"f1\" -> \"t4\" [color=\"grey40\", arrowsize=\"0.5\", penwidth=\"0.8\"];"))
    }

    /// A `label` on any edge makes dot double every rank of the graph (a
    /// 5,000-node chain took 20 s instead of 2.8 s), so edge texts are
    /// `xlabel`s: no golden picture may have an edge `label`.
    @Test func edgesCarryNoRankDoublingLabels() throws {
        let goldens = GoldenTests.root.appendingPathComponent("fixtures/dot")
        let files = FileManager.default.enumerator(atPath: goldens.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".dot") } ?? []
        #expect(files.count > 50)
        for file in files {
            let dot = try String(contentsOf: goldens.appendingPathComponent(file), encoding: .utf8)
            for edge in dot.split(separator: "\n") where edge.contains(" -> ") {
                #expect(!edge.contains(" label=") && !edge.contains("[label="), "\(file): \(edge)")
            }
        }
    }

    @Test func legendShowsEveryStyle() throws {
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.mulGraph(state: "retained"), moment: .end,
                                                      options: PictureOptions(legend: true)))
        DOTSyntax.check(dot, context: "legend")
        #expect(dot.contains("subgraph cluster_legend"))
        for colour in ["lightblue", "darkolivegreen1", "orange", "lightgrey", "thistle", "goldenrod", "lightyellow"] {
            #expect(dot.contains("\"\(colour)\""), "legend shows \(colour)")
        }
        #expect(try !GraphPicture.dot(PictureRequest(graph: Self.mulGraph(state: "retained"), moment: .end)).contains("legend"))
    }

    // MARK: Focus and collapse

    /// x (weight) → AccumulateGrad → n functions in a chain → the root, with
    /// every function saving an unnamed tensor and `mid` named halfway.
    static func chain(_ n: Int, freed: Bool = false) -> JSON {
        var nodes: [JSON] = [GraphJSON.tensor("t0", name: "x", requiresGrad: true)]
        for k in 1...n {
            if !freed { nodes.append(GraphJSON.tensor("s\(k)", name: nil)) }
        }
        nodes.append(GraphJSON.tensor("mid", name: "mid", isLeaf: false, gradFn: "f\(n / 2)"))
        nodes.append(GraphJSON.tensor("out", name: "loss", isLeaf: false, gradFn: "f\(n)", root: true))
        nodes.append(GraphJSON.function("f0", "AccumulateGrad", variable: "t0"))
        for k in 1...n {
            nodes.append(GraphJSON.function("f\(k)", k % 2 == 0 ? "AddBackward0" : "MulBackward0", next: ["f\(k - 1)", nil],
                                    saved: [("other", freed ? "freed" : "retained", freed ? nil : "s\(k)")]))
        }
        return GraphJSON.graph(nodes)
    }

    @Test func focusKeepsTheNeighbourhood() throws {
        let options = PictureOptions(focus: "mid", depth: 1)
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.chain(10), call: GraphJSON.call(roots: ["out"]), moment: .before(index: 1),
                                                      options: options))
        // mid, its grad_fn f5; one edge away: f4 (next), f6 (uses f5), s5 (saved by f5).
        #expect(DOTSyntax.nodes(dot) == ["s5", "mid", "f4", "f5", "f6"])
        #expect(dot.contains("Focus: 'mid' and everything within 1 edge of it"))
        let wider = try GraphPicture.dot(PictureRequest(graph: Self.chain(10), moment: .end, options: PictureOptions(focus: "mid", depth: 2)))
        #expect(DOTSyntax.nodes(wider) == ["s4", "s5", "s6", "mid", "f3", "f4", "f5", "f6", "f7"])
        let leaf = try GraphPicture.dot(PictureRequest(graph: Self.chain(10), moment: .end, options: PictureOptions(focus: "x", depth: 0)))
        #expect(DOTSyntax.nodes(leaf) == ["t0", "f0"], "a leaf's AccumulateGrad stands for its grad_fn")
    }

    @Test func unknownFocusNamesTheTensorsThereAre() throws {
        let request = PictureRequest(graph: Self.chain(4), moment: .end, options: PictureOptions(focus: "foo"))
        #expect(throws: DebuggerError.unknownFocus(name: "foo", available: ["loss", "mid", "x"])) { try GraphPicture.dot(request) }
        #expect(DebuggerError.unknownFocus(name: "foo", available: ["loss", "mid", "x"]).description
                == "no tensor named 'foo' in this graph (named tensors: loss, mid, x)")
        #expect(DebuggerError.unknownFocus(name: "foo", available: []).description
                == "no tensor named 'foo' in this graph (it has no named tensors)")
    }

    @Test func badOptionsAndGraphsAreRefused() throws {
        #expect(throws: DebuggerError.invalidOption(option: "--depth", value: "-1", expected: "0 or more")) {
            try GraphPicture.dot(PictureRequest(graph: Self.chain(2), moment: .end, options: PictureOptions(focus: "x", depth: -1)))
        }
        #expect(throws: DebuggerError.invalidOption(option: "--max-nodes", value: "0", expected: "at least 1")) {
            try GraphPicture.dot(PictureRequest(graph: Self.chain(2), moment: .end, options: PictureOptions(maxNodes: 0)))
        }
        #expect(throws: DebuggerError.malformedGraph(reason: "expected an object with a \"nodes\" array")) {
            try GraphPicture.dot(PictureRequest(graph: .null, moment: .end))
        }
        #expect(throws: DebuggerError.malformedGraph(reason: "node 'f1' has no \"kind\" \"tensor\" or \"function\"")) {
            try GraphPicture.dot(PictureRequest(graph: GraphJSON.graph([.object([("id", .string("f1"))])]), moment: .end))
        }
    }

    @Test func aLongChainCollapsesBelowMaxNodes() throws {
        let graph = Self.chain(5000)
        // How long this takes is for benchmarks (bench/render), not tests.
        let dot = try GraphPicture.dot(PictureRequest(graph: graph, call: GraphJSON.call(roots: ["out"]), moment: .before(index: 1)))
        DOTSyntax.check(dot, context: "chain")
        let nodes = DOTSyntax.nodes(dot)
        #expect(nodes.count <= PictureOptions().maxNodes)
        #expect(nodes.count >= PictureOptions().maxNodes - 30, "the budget is used")
        #expect(nodes.contains("out") && nodes.contains("t0") && nodes.contains("mid"))
        #expect(nodes.contains("f5000") && nodes.contains("f0") && nodes.contains("f2500"))
        #expect(dot.contains("Collapsed</B>: \(nodes.count) of 10004 nodes drawn"))
        #expect(dot.contains("--max-nodes 10004"))
        #expect(dot.contains("more nodes</B>"))
        #expect(dot.contains("MulBackward0 ×"))

        // Freed saved entries are nodes too, and count.
        let freed = try GraphPicture.dot(PictureRequest(graph: Self.chain(5000, freed: true), moment: .end,
                                                        options: PictureOptions(maxNodes: 100)))
        #expect(DOTSyntax.nodes(freed).count <= 100)
        #expect(DOTSyntax.nodes(freed).count >= 90)
        #expect(freed.contains("saved ×"))
    }

    @Test func smallGraphsAreNotCollapsed() throws {
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.chain(20), moment: .end, options: PictureOptions(maxNodes: 44)))
        #expect(!dot.contains("Collapsed"))
        #expect(DOTSyntax.nodes(dot).count == 44)
        let collapsed = try GraphPicture.dot(PictureRequest(graph: Self.chain(20), moment: .end, options: PictureOptions(maxNodes: 43)))
        #expect(collapsed.contains("Collapsed"))
        #expect(DOTSyntax.nodes(collapsed).count <= 43)
    }

    @Test func aSharedWeightDoesNotPullEveryStepIntoView() throws {
        // An unrolled loop: h_k = tanh(W * h_{k-1}), 300 steps, W shared.
        var nodes: [JSON] = [GraphJSON.tensor("W", name: "W", requiresGrad: true)]
        nodes.append(GraphJSON.tensor("loss", name: "loss", isLeaf: false, gradFn: "s", root: true))
        nodes.append(GraphJSON.function("acc", "AccumulateGrad", variable: "W"))
        for k in 1...300 {
            nodes.append(GraphJSON.function("m\(k)", "MmBackward0", next: ["acc", k == 1 ? nil : "t\(k - 1)"], saved: [("self", "retained", "W")]))
            nodes.append(GraphJSON.function("t\(k)", "TanhBackward0", next: ["m\(k)"]))
        }
        nodes.append(GraphJSON.function("s", "SumBackward0", next: ["t300"]))
        let dot = try GraphPicture.dot(PictureRequest(graph: GraphJSON.graph(nodes), call: GraphJSON.call(roots: ["loss"]), moment: .before(index: 1),
                                                      options: PictureOptions(maxNodes: 100)))
        let drawn = DOTSyntax.nodes(dot)
        #expect(drawn.count <= 100)
        #expect(drawn.contains("t300") && drawn.contains("W") && drawn.contains("acc"))
        #expect(!drawn.contains("m1"), "the first steps are far from the loss")
        #expect(drawn.filter { $0.hasPrefix("summary") }.count == 1, "one region hidden, not one per step")
        // W and its AccumulateGrad are drawn once; each step gets copies beside it.
        #expect(dot.contains("\"acc.use.m300\" -> \"m300\";"))
        #expect(dot.contains("\"W.use.m300\" -> \"m300\" [dir=\"none\", color=\"darkorange\", xlabel=\"self\""))
        #expect(!dot.contains("\"acc\" -> \"m300\""))
        #expect(dot.contains("of W · shared: used by 300"))
    }

    @Test func aFocusTooBigForMaxNodesIsCollapsedToo() throws {
        let dot = try GraphPicture.dot(PictureRequest(graph: Self.chain(5000), moment: .end,
                                                      options: PictureOptions(maxNodes: 100, focus: "mid", depth: 500)))
        let drawn = DOTSyntax.nodes(dot)
        #expect(drawn.count <= 100)
        #expect(drawn.contains("mid") && drawn.contains("f2500"))
        #expect(!drawn.contains("out") && !drawn.contains("f0"), "beyond the focus")
        #expect(dot.contains("Focus: 'mid'") && dot.contains("Collapsed</B>"))
    }
}

// MARK: - Hand-built graphs

/// GRAPH JSON in the snapshot format of docs/RUN-DOCUMENT.md.
enum GraphJSON {
    static func tensor(_ id: String, name: String?, shape: [Int] = [], requiresGrad: Bool = false, isLeaf: Bool = true,
                       gradFn: String? = nil, grad: JSON = .null, value: JSON = .number(1), root: Bool = false,
                       extra: [(String, JSON)] = []) -> JSON {
        var fields: [(String, JSON)] = [
            ("id", .string(id)), ("kind", .string("tensor")), ("name", name.map(JSON.string) ?? .null),
            ("shape", .array(shape.map(JSON.integer))), ("dtype", .string("float32")),
            ("requires_grad", .bool(requiresGrad || !isLeaf)), ("is_leaf", .bool(isLeaf)), ("retains_grad", .bool(false)),
            ("grad_fn", gradFn.map(JSON.string) ?? .null), ("version", .integer(0)), ("grad", grad), ("value", value),
        ]
        if root { fields.append(("root", .bool(true))) }
        for (key, value) in extra {
            if let k = fields.firstIndex(where: { $0.0 == key }) { fields[k].1 = value } else { fields.append((key, value)) }
        }
        return .object(fields)
    }

    static func function(_ id: String, _ name: String, next: [String?] = [], saved: [(String, String, String?)] = [],
                         variable: String? = nil, extra: [(String, JSON)] = []) -> JSON {
        var fields: [(String, JSON)] = [
            ("id", .string(id)), ("kind", .string("function")), ("name", .string(name)),
            ("next_functions", .array(next.map { .array([$0.map(JSON.string) ?? .null, .integer(0)]) })),
            ("saved", .array(saved.map { entry in
                .object([("name", .string(entry.0)), ("state", .string(entry.1))] + (entry.2.map { [("tensor", JSON.string($0))] } ?? []))
            })),
        ]
        if let variable { fields.append(("variable", .string(variable))) }
        return .object(fields + extra)
    }

    static func graph(_ nodes: [JSON]) -> JSON { .object([("nodes", .array(nodes))]) }

    static func summary(norm: Double) -> JSON {
        .object([("summary", .bool(true)), ("min", .number(-1)), ("max", .number(1)), ("mean", .number(0)), ("norm", .number(norm))])
    }

    static func call(roots: [String], retainGraph: Bool = false, raised: String? = nil, source: String = "loss.backward()") -> JSON {
        .object([
            ("index", .integer(1)), ("line", .integer(3)), ("source", .string(source)), ("kind", .string("backward")),
            ("retain_graph", .bool(retainGraph)), ("create_graph", .bool(false)), ("roots", .array(roots.map(JSON.string))),
            ("raised", raised.map(JSON.string) ?? .null),
        ])
    }
}

/// A checker for the DOT this module writes: every line one complete
/// statement, quoted strings closed, HTML labels well-formed (only the tags
/// pictures use, entities for `& < >`), braces balanced.
enum DOTSyntax {
    static let tags: Set<String> = ["B", "I", "FONT", "BR"]

    static func check(_ dot: String, context: String) {
        var depth = 0
        for (n, line) in dot.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let where_ = "\(context) line \(n + 1)"
            var s = Substring(line)
            while let c = s.first {
                switch c {
                case " ": s.removeFirst()
                case "\"":
                    s.removeFirst()
                    var closed = false
                    while let d = s.first {
                        s.removeFirst()
                        if d == "\\" { if !s.isEmpty { s.removeFirst() }; continue }
                        if d == "\"" { closed = true; break }
                    }
                    #expect(closed, "unclosed string in \(where_)")
                case "<":
                    guard let end = htmlEnd(s) else {
                        Issue.record("unclosed HTML label in \(where_)")
                        return
                    }
                    checkHTML(String(s[s.index(after: s.startIndex)..<s.index(before: end)]), where_)
                    s = s[end...]
                case "{": depth += 1; s.removeFirst()
                case "}": depth -= 1; s.removeFirst()
                case "[", "]", ";", ",", "=": s.removeFirst()
                case "-":
                    #expect(s.hasPrefix("->"), "stray '-' in \(where_)")
                    s = s.dropFirst(2)
                default:
                    let word = s.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    guard !word.isEmpty else {
                        Issue.record("unexpected '\(c)' in \(where_)")
                        return
                    }
                    s = s.dropFirst(word.count)
                }
            }
        }
        #expect(depth == 0, "unbalanced braces in \(context)")
    }

    /// The index just past the `>` closing the HTML string that starts `s`.
    static func htmlEnd(_ s: Substring) -> Substring.Index? {
        var depth = 0
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "<" { depth += 1 }
            if s[i] == ">" { depth -= 1; if depth == 0 { return s.index(after: i) } }
            i = s.index(after: i)
        }
        return nil
    }

    static func checkHTML(_ html: String, _ where_: String) {
        var open: [String] = []
        var s = Substring(html)
        while let c = s.first {
            if c == "<" {
                guard let close = s.firstIndex(of: ">") else { Issue.record("broken tag in \(where_)"); return }
                let tag = s[s.index(after: s.startIndex)..<close]
                s = s[s.index(after: close)...]
                let name = String(tag.drop { $0 == "/" }.prefix { $0.isLetter })
                #expect(tags.contains(name), "unknown tag <\(tag)> in \(where_)")
                if tag.hasPrefix("/") {
                    #expect(open.popLast() == name, "misnested </\(name)> in \(where_)")
                } else if !tag.hasSuffix("/") {
                    open.append(name)
                }
            } else if c == "&" {
                let entity = s.prefix { $0 != ";" }
                #expect(["&amp", "&lt", "&gt", "&quot"].contains(String(entity)), "bad entity \(entity) in \(where_)")
                s = s.dropFirst(entity.count + 1)
            } else {
                #expect(c != ">" && !c.isNewline, "raw '\(c)' in \(where_)")
                s.removeFirst()
            }
        }
        #expect(open.isEmpty, "unclosed <\(open.joined(separator: ", "))> in \(where_)")
    }

    /// Snapshot ids of the drawn nodes (summary boxes as `summary.K`), in
    /// the order written; legend nodes left out.
    static func nodes(_ dot: String) -> [String] {
        dot.split(separator: "\n").compactMap { line -> String? in
            let s = line.trimmingCharacters(in: .whitespaces)
            guard s.hasPrefix("\""), !s.contains("\" -> \""), let end = s.dropFirst().firstIndex(of: "\"") else { return nil }
            let id = String(s[s.index(after: s.startIndex)..<end])
            return id.hasPrefix("legend.") ? nil : id
        }
    }
}
