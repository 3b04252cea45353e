@testable import Debugger
import ModelScript
import Testing

/// `RunDiff` on small hand-written run documents.
@Suite struct DiffTests {
    /// A tensor entry of a run document.
    static func tensor(_ value: JSON, grad: JSON = .null, shape: [Int]? = nil) -> JSON {
        var dims = shape ?? []
        if shape == nil {
            var v = value
            while case .array(let items) = v { dims.append(items.count); v = items.first ?? .null }
        }
        return .object([("shape", .array(dims.map(JSON.integer))), ("dtype", .string("float32")),
                        ("value", value), ("grad", grad)])
    }

    static func vec(_ xs: [Double]) -> JSON { .array(xs.map(JSON.number)) }

    /// A run document with the given tensors after each backward call and at the end.
    static func doc(calls: [[(String, JSON)]] = [], end: [(String, JSON)]) -> JSON {
        .object([("format", .string("autograd-viz/run-1")), ("tensors", .object(end)), ("error", .null),
                 ("backward", .array(calls.enumerated().map { k, t in
                     .object([("index", .integer(k + 1)), ("line", .integer(k + 1)), ("source", .string("loss.backward()")),
                              ("tensors_after", .object(t))])
                 }))])
    }

    @Test func identicalDocumentsAreSame() throws {
        let d = Self.doc(calls: [[("w", Self.tensor(Self.vec([1, 2]), grad: Self.vec([3, 4])))]],
                         end: [("w", Self.tensor(Self.vec([1, 2]), grad: Self.vec([3, 4])))])
        let diff = try RunDiff(a: d, b: d)
        #expect(!diff.differs)
        #expect(diff.rows.allSatisfy { $0.status == .same })
        #expect(diff.rows.count == 4)
        #expect(diff.firstDivergence == nil)
        #expect(diff.summary.hasPrefix("same: 4 comparisons over 1 backward call and the end"))
    }

    /// Our documents write float32 elements short (0.1), PyTorch's tolist()
    /// their float64 expansion: at zero tolerance they are still the same
    /// float32 (found in review). A float64 tensor keeps every digit.
    @Test func float32ElementsCompareAsFloat32() throws {
        let ours = Self.doc(end: [("w", Self.tensor(.array([.float(0.1), .float(-2.5)])))])
        let torch = Self.doc(end: [("w", Self.tensor(Self.vec([0.10000000149011612, -2.5])))])
        let exact = DiffTolerance(rtol: 0, atol: 0)
        #expect(try RunDiff(a: ours, b: torch, tolerance: exact).rows.allSatisfy { $0.status == .same })
        let next = Self.doc(end: [("w", Self.tensor(Self.vec([Double(Float(0.1).nextUp), -2.5])))])
        #expect(try RunDiff(a: ours, b: next, tolerance: exact).differs)
        func float64(_ x: Double) -> JSON {
            .object([("w", .object([("shape", .array([.integer(1)])), ("dtype", .string("float64")),
                                    ("value", Self.vec([x])), ("grad", .null)]))])
        }
        let a = JSON.object([("format", .string("autograd-viz/run-1")), ("tensors", float64(0.1))])
        let b = JSON.object([("format", .string("autograd-viz/run-1")), ("tensors", float64(0.10000000149011612))])
        #expect(try RunDiff(a: a, b: b, tolerance: exact).differs)
    }

    @Test func everyStatus() throws {
        let a = Self.doc(end: [
            ("both", Self.tensor(Self.vec([1, 2]), grad: Self.vec([1, 1]))),
            ("changed", Self.tensor(Self.vec([1, 2]))),
            ("gradA", Self.tensor(Self.vec([1]), grad: Self.vec([1]))),
            ("gradB", Self.tensor(Self.vec([1]))),
            ("onlyA", Self.tensor(Self.vec([1]))),
            ("reshaped", Self.tensor(Self.vec([1, 2]))),
        ])
        let b = Self.doc(end: [
            ("both", Self.tensor(Self.vec([1, 2]), grad: Self.vec([1, 1]))),
            ("changed", Self.tensor(Self.vec([1, 2.5]))),
            ("gradA", Self.tensor(Self.vec([1]))),
            ("gradB", Self.tensor(Self.vec([1]), grad: Self.vec([1]))),
            ("onlyB", Self.tensor(Self.vec([1]))),
            ("reshaped", Self.tensor(Self.vec([1, 2, 3]))),
        ])
        let diff = try RunDiff(a: a, b: b)
        func status(_ name: String, _ part: DiffRow.Part) -> DiffStatus? {
            diff.rows.first { $0.name == name && $0.part == part }?.status
        }
        #expect(status("both", .value) == .same)
        #expect(status("both", .grad) == .same)
        #expect(status("changed", .value) == .differs)
        #expect(status("gradA", .grad) == .gradMissingInB)
        #expect(status("gradB", .grad) == .gradMissingInA)
        #expect(status("onlyA", .tensor) == .onlyInA)
        #expect(status("onlyB", .tensor) == .onlyInB)
        #expect(status("reshaped", .tensor) == .shapeDiffers)
        #expect(diff.rows.first { $0.name == "reshaped" }?.shape == "A [2] / B [3]")
        let changed = diff.rows.first { $0.name == "changed" }!
        #expect(changed.maxAbs == 0.5)
        #expect(changed.maxRel == 0.2)
        // Differing rows first, then by name; same rows last.
        #expect(diff.rows.map(\.name) == ["changed", "gradA", "gradB", "onlyA", "onlyB", "reshaped",
                                          "both", "both", "gradA", "gradB"])
        #expect(diff.differs)
    }

    @Test func tolerancesFollowAllclose() throws {
        func differs(_ x: Double, _ y: Double, _ tol: DiffTolerance = DiffTolerance()) throws -> Bool {
            try RunDiff(a: Self.doc(end: [("t", Self.tensor(.number(x), shape: []))]),
                        b: Self.doc(end: [("t", Self.tensor(.number(y), shape: []))]), tolerance: tol).differs
        }
        #expect(try !differs(1.0, 1.0 + 1e-6))          // within rtol 1e-5 of b
        #expect(try differs(1.0, 1.0 + 1e-4))
        #expect(try !differs(0, 5e-9))                  // within atol 1e-8
        #expect(try differs(0, 5e-8))
        #expect(try !differs(1.0, 1.1, DiffTolerance(rtol: 0.1, atol: 0)))
        #expect(try differs(1.0, 1.2, DiffTolerance(rtol: 0.1, atol: 0)))
        #expect(try !differs(1.0, 1.5, DiffTolerance(rtol: 0, atol: 0.5)))
        // |a - b| <= atol + rtol * |b|: B is the reference.
        #expect(try !differs(1.09, 1.0, DiffTolerance(rtol: 0.1, atol: 0)))
        #expect(try differs(1.0, 0.9, DiffTolerance(rtol: 0.1, atol: 0)))
    }

    @Test func nanEqualsOnlyNaN() throws {
        func differs(_ x: JSON, _ y: JSON) throws -> Bool {
            try RunDiff(a: Self.doc(end: [("t", Self.tensor(.array([x]), shape: [1]))]),
                        b: Self.doc(end: [("t", Self.tensor(.array([y]), shape: [1]))])).differs
        }
        #expect(try !differs(.string("nan"), .string("nan")))
        #expect(try differs(.string("nan"), .number(1)))
        #expect(try differs(.number(1), .string("nan")))
        #expect(try !differs(.string("inf"), .string("inf")))
        #expect(try differs(.string("inf"), .string("-inf")))
        #expect(try differs(.string("inf"), .number(1e30)))
        let row = try RunDiff(a: Self.doc(end: [("t", Self.tensor(.array([.string("nan")]), shape: [1]))]),
                              b: Self.doc(end: [("t", Self.tensor(.array([.number(1)]), shape: [1]))])).rows[0]
        #expect(row.maxAbs == .infinity)
    }

    @Test func firstDivergenceIsTheEarliestCallThenName() throws {
        let same = Self.tensor(Self.vec([1]), grad: Self.vec([1]))
        let other = Self.tensor(Self.vec([1]), grad: Self.vec([2]))
        let a = Self.doc(calls: [[("a", same), ("z", same)], [("a", same), ("z", same)], [("a", same), ("z", same)]],
                         end: [("a", same), ("z", same)])
        let b = Self.doc(calls: [[("a", same), ("z", same)], [("a", same), ("z", other)], [("a", other), ("z", other)]],
                         end: [("a", other), ("z", other)])
        let diff = try RunDiff(a: a, b: b)
        let first = try #require(diff.firstDivergence)
        #expect(first.moment == .backward(2))
        #expect(first.name == "z")
        #expect(first.part == .grad)
        #expect(diff.firstDivergenceText == "first divergence: backward #2 (line 2: loss.backward()): z grad differs (max |Δ| 1)")
        // Differing rows come in call order.
        #expect(diff.rows.filter(\.differs).map { "\($0.moment) \($0.name)" } ==
                ["backward #2 z", "backward #3 a", "backward #3 z", "end a", "end z"])
    }

    @Test func extraBackwardCallsAreOnlyInOneRun() throws {
        let t = Self.tensor(Self.vec([1]))
        let diff = try RunDiff(a: Self.doc(calls: [[("t", t)]], end: [("t", t)]),
                               b: Self.doc(calls: [[("t", t)], [("t", t)]], end: [("t", t)]))
        #expect(diff.differs)
        #expect(diff.firstDivergence?.moment == .backward(a: nil, b: 2))
        #expect(diff.firstDivergence?.status == .onlyInB)
        #expect(diff.summary.contains("over A's 1 and B's 2 backward calls and the end"))
    }

    @Test func outputIsDeterministicAndJSONRoundTrips() throws {
        let a = Self.doc(end: [("b", Self.tensor(Self.vec([1]))), ("a", Self.tensor(Self.vec([2])))])
        let b = Self.doc(end: [("a", Self.tensor(Self.vec([3]))), ("b", Self.tensor(Self.vec([1])))])
        let one = try RunDiff(a: a, b: b), two = try RunDiff(a: a, b: b)
        #expect(one.render() == two.render())
        #expect(one.render() == """
        at   tensor  of     shape  max |Δ|  max rel Δ  status
        end  a       value  [1]    1        0.333      differs
        end  b       value  [1]    0        0          same
        differs: 1 of 2 comparisons in 1 tensor (1 differs) over 0 backward calls and the end, rtol 1e-05, atol 1e-08
        first divergence: end: a value differs (max |Δ| 1)
        """)
        let json = try JSON.parse(one.document.serialized())
        #expect(json["status"] == .string("differs"))
        #expect(json["first_divergence"]?["name"] == .string("a"))
        #expect(json["rows"]?.arrayValue?.count == 2)
    }

    @Test func refusesOtherFormats() throws {
        let ok = Self.doc(end: [])
        let other: JSON = .object([("format", .string("autograd-viz/run-9"))])
        #expect(throws: DiffError.self) { try RunDiff(a: ok, b: other) }
        #expect(throws: DiffError.self) { try RunDiff(a: .array([]), b: ok) }
    }

    /// Regression: the diff picture drew every node, so `diff A A -o d.svg`
    /// on a 50,000-op chain ran past 120 s in Graphviz. It collapses under
    /// the same node budget as every other picture, and a collapsed region
    /// keeps the colour of the worst gradient in it.
    @Test func diffPictureHonoursTheNodeBudget() throws {
        func document(_ scale: Double) -> JSON {
            let code = "import torch\nx = torch.ones(2, requires_grad=True)\ny = x\nfor i in range(2000):\n    y = y * 1.0\n"
                + "z = x * \(scale)\n(y.sum() + z.sum()).backward()\n"
            let run = ScriptRun(model: ModelFile(path: "chain.py", name: "chain", code: code), tables: .none, snapshots: .all)
            run.run()
            return run.document
        }
        let a = document(1), b = document(2)
        var options = PictureOptions()
        options.maxNodes = 100
        let dot = try DiffPicture.dot(a: a, b: b, options: options)
        let nodes = dot.split(separator: "\n").filter { $0.hasPrefix("  \"") && !$0.contains(" -> ") && !$0.contains("diff_key") }
        #expect(nodes.count <= 100)
        #expect(nodes.contains { $0.contains("more nodes") })
        // x's gradient differs (1 + 2 against 1 + 1): x, a named tensor, is drawn, in the "large" band's red.
        #expect(nodes.contains { $0.contains("<B>x</B>") && $0.contains("#ff7b7b") })
    }

    @Test func callsArePairedByIndexThenBySourceText() {
        func pairs(_ a: [String], _ b: [String]) -> (CallMatching, String) {
            let (m, p) = RunDiff.pair(a, b)
            return (m, p.map { "\($0.a.map(String.init) ?? "-"):\($0.b.map(String.init) ?? "-")" }.joined(separator: " "))
        }
        #expect(pairs(["l.backward()", "l.backward()"], ["l.backward()", "l.backward()"]) == (.indexAndSource, "1:1 2:2"))
        // A loop that ran three times against one that ran twice.
        #expect(pairs(["l.backward()", "l.backward()", "l.backward()"], ["l.backward()", "l.backward()"]) == (.source, "1:1 2:2 3:-"))
        // B made an extra call in between: the later calls still meet their partners.
        #expect(pairs(["a()", "b()", "c()"], ["a()", "x()", "b()", "c()"]) == (.source, "1:1 -:2 2:3 3:4"))
        // No text in common: by index.
        #expect(pairs(["l1.backward(retain_graph=True)", "l2.backward()"], ["(l1 + l2).backward()"]) == (.index, "1:1 2:-"))
    }

    @Test func scopeEndComparesOnlyTheEnd() throws {
        let t = Self.tensor(Self.vec([1])), u = Self.tensor(Self.vec([2]))
        let a = Self.doc(calls: [[("t", t)], [("t", t)]], end: [("t", u)])
        let b = Self.doc(calls: [[("t", u)]], end: [("t", u)])
        let end = try RunDiff(a: a, b: b, scope: .end)
        #expect(!end.differs)
        #expect(end.rows.allSatisfy { $0.moment == .end })
        #expect(end.matchingText == "compared at the end only (A made 2 backward calls, B 1)")
        let first = try RunDiff(a: a, b: b, scope: .after(1))
        #expect(first.differs)
        #expect(first.rows.allSatisfy { $0.moment == .backward(1) })
        #expect(throws: DiffError.noSuchCall(3, a: 2, b: 1)) { try RunDiff(a: a, b: b, scope: .after(3)) }
        #expect(DiffScope("after-2") == .after(2))
        #expect(DiffScope("after-0") == nil)
        #expect(DiffScope("later") == nil)
    }

    @Test func onlyDifferencesHidesTheSameRowsAndSaysSo() throws {
        let t = Self.tensor(Self.vec([1])), u = Self.tensor(Self.vec([2]))
        let diff = try RunDiff(a: Self.doc(calls: [], end: [("t", t), ("s", t)]), b: Self.doc(calls: [], end: [("t", u), ("s", t)]))
        let text = diff.render(onlyDifferences: true)
        #expect(!text.contains(" s "))
        #expect(text.contains("(1 same row not shown; --no-only-differences shows every row)"))
        #expect(diff.render().contains("end  s"))
    }
}
