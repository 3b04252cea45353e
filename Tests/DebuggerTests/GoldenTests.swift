import Foundation
import Testing
@testable import Debugger
@testable import ModelScript

/// Every fixture against the run document real PyTorch produced for it
/// (tools/torch_reference.py; committed under fixtures/torch/, so CI needs no
/// PyTorch): values and grads within rtol 1e-4 / atol 1e-5; grad_fn names,
/// flags, printed lines and errors exactly.
@Suite struct GoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixtures(_ folder: String) -> [String] {
        let dir = root.appendingPathComponent("fixtures/\(folder)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { "\(folder)/\($0)" }
    }

    static let seedFixtures = fixtures("seed")
    /// Scripts of the facts in shared/pytorch-facts.md, one per code block.
    static let factFixtures = fixtures("facts")
    /// Bad input a script can raise on, each checked against PyTorch's text.
    static let errorFixtures = fixtures("errors")
    /// Larger scripts: a training loop, attention, a gradient penalty, views.
    static let exampleFixtures = fixtures("examples")
    /// nn modules, losses, optimizers, hooks and anomaly detection.
    static let modelFixtures = fixtures("models")

    @Test func everySeedFixtureHasAGolden() {
        #expect(Self.seedFixtures.count >= 10)
        #expect(Self.factFixtures.count >= 60)
        for fixture in Self.seedFixtures + Self.factFixtures + Self.errorFixtures + Self.exampleFixtures + Self.modelFixtures {
            let golden = Self.root.appendingPathComponent("fixtures/torch/\(fixture)")
            #expect(FileManager.default.fileExists(atPath: golden.path), "no golden for \(fixture)")
        }
    }

    @Test(arguments: seedFixtures + factFixtures + errorFixtures + exampleFixtures + modelFixtures)
    func matchesPyTorch(_ fixture: String) throws {
        let path = Self.root.appendingPathComponent("fixtures/\(fixture)").path
        let goldenPath = Self.root.appendingPathComponent("fixtures/torch/\(fixture)").path
        let golden = try JSON.parse(String(contentsOfFile: goldenPath, encoding: .utf8))
        let run = ScriptRun(model: try ModelFile.load(path: path), tables: .none)
        run.run()
        let ours = run.document
        GoldenComparison.compare(ours, golden, fixture: fixture)
    }
}

/// The comparison rules of the golden tests, shared with other suites.
enum GoldenComparison {
    static func compare(_ ours: JSON, _ golden: JSON, fixture: String) {
        #expect(ours["stdout"] == golden["stdout"], "stdout of \(fixture)")
        #expect(ours["error"] == golden["error"], "error of \(fixture)")
        #expect(ours["warnings"] == golden["warnings"], "warnings of \(fixture)")
        compareTensors(ours["tensors"], golden["tensors"], context: fixture)
        let ourCalls = ours["backward"]?.arrayValue ?? [], goldenCalls = golden["backward"]?.arrayValue ?? []
        #expect(ourCalls.count == goldenCalls.count, "backward calls of \(fixture)")
        for (o, g) in zip(ourCalls, goldenCalls) {
            for key in ["index", "line", "source", "kind", "retain_graph", "create_graph", "raised"] {
                #expect(o[key] == g[key], "backward \(key) of \(fixture)")
            }
            compareTensors(o["tensors_after"], g["tensors_after"], context: "\(fixture) after backward \(g["index"].map { "\($0)" } ?? "?")")
            if let expected = g["graph_before"] {
                #expect(graphStructure(o) == expected, "graph before backward \(g["index"].map { "\($0)" } ?? "?") of \(fixture)")
            }
        }
    }

    /// Our `before` snapshot in the canonical form tools/torch_reference.py
    /// writes as `graph_before`: function nodes in depth-first preorder from
    /// the roots, with their edges, saved tensor names and leaf shapes.
    static func graphStructure(_ call: JSON) -> JSON {
        var byID: [String: JSON] = [:]
        for node in call["before"]?["nodes"]?.arrayValue ?? [] {
            if let id = node["id"]?.stringValue { byID[id] = node }
        }
        let rootFunctions = (call["roots"]?.arrayValue ?? []).compactMap { byID[$0.stringValue ?? ""]?["grad_fn"]?.stringValue }
        var order: [String: Int] = [:]
        var visited: [String] = []
        var stack = Array(rootFunctions.reversed())
        while let id = stack.popLast() {
            guard order[id] == nil, let node = byID[id] else { continue }
            order[id] = visited.count
            visited.append(id)
            let next = node["next_functions"]?.arrayValue ?? []
            stack += next.reversed().compactMap { $0.arrayValue?.first?.stringValue }
        }
        return .array(visited.map { id in
            let node = byID[id]!
            var fields: [(String, JSON)] = [
                ("name", node["name"] ?? .null),
                ("next", .array((node["next_functions"]?.arrayValue ?? []).map { edge in
                    let target = edge.arrayValue?.first?.stringValue
                    return .array([target.flatMap { order[$0] }.map(JSON.integer) ?? .null, edge.arrayValue?.last ?? .null])
                })),
                // One name per saved attribute: PyTorch keeps a list of
                // tensors (IndexBackward0's `indices`) under one name.
                ("saved", .array(Set((node["saved"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }).sorted().map(JSON.string))),
            ]
            if let variable = node["variable"]?.stringValue, let shape = byID[variable]?["shape"] {
                fields.append(("variable", shape))
            }
            return .object(fields)
        })
    }

    static func compareTensors(_ ours: JSON?, _ golden: JSON?, context: String) {
        guard case .object(let g)? = golden, case .object(let o)? = ours else {
            Issue.record("tensors missing in \(context)")
            return
        }
        #expect(o.map(\.0) == g.map(\.0), "tensor names of \(context)")
        for (name, expected) in g {
            guard let actual = o.first(where: { $0.0 == name })?.1 else { continue }
            for key in ["shape", "dtype", "requires_grad", "is_leaf", "grad_fn"] {
                #expect(actual[key] == expected[key], "\(name).\(key) in \(context)")
            }
            #expect(close(actual["value"], expected["value"]), "\(name).value in \(context)")
            #expect(close(actual["grad"], expected["grad"]), "\(name).grad in \(context)")
        }
    }

    /// Numbers within rtol 1e-4 / atol 1e-5 (NaN equal to NaN); everything else equal.
    static func close(_ a: JSON?, _ b: JSON?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (.array(x)?, .array(y)?): return x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
        default:
            if let x = a?.doubleValue, let y = b?.doubleValue {
                if x == y || (x.isNaN && y.isNaN) { return true }
                return Swift.abs(x - y) <= 1e-5 + 1e-4 * Swift.abs(y)
            }
            return a == b
        }
    }
}
