import Foundation
import Testing
@testable import ModelScript

/// `CPythonSetTable` against CPython 3.11 (fixtures/python-lib/setorder.json,
/// written by tools/make_setorder_goldens.py): every step of every scenario
/// replayed, and the iteration order after it compared key for key — which
/// of two equal keys (1, 1.0, True) was kept included.
@Suite struct CPythonSetTableTests {
    static let golden: JSON? = try? LibraryGoldens.load("setorder.json")
    static let scenarios: [JSON] = golden?["scenarios"]?.arrayValue ?? []

    static func name(_ scenario: JSON) -> String { scenario["name"]?.stringValue ?? "?" }

    /// The first step of `scenario` that differs from CPython, described.
    static func replay(_ scenario: JSON) -> String? {
        var replay = SetOrderReplay()
        for (index, step) in scenario["steps"]!.arrayValue!.enumerated() {
            do {
                let outcome = try replay.run(step)
                if let mismatch = SetOrderReplay.mismatch(outcome, step) {
                    return "\(name(scenario)) step \(index) \(step["op"]!.stringValue!) "
                        + "\(step["name"]?.stringValue ?? ""): \(mismatch)"
                }
            } catch {
                return "\(name(scenario)) step \(index): threw \(error)"
            }
        }
        return nil
    }

    static func check(_ scenarios: [JSON]) {
        var failures = 0
        for scenario in scenarios {
            guard let failure = replay(scenario) else { continue }
            failures += 1
            if failures <= 20 { Issue.record(Comment(rawValue: failure)) }
        }
        #expect(failures == 0, "\(failures) of \(scenarios.count) scenarios differ from CPython")
    }

    @Test func goldensAreThere() {
        #expect(Self.golden?["python"]?.stringValue?.hasPrefix("3.11") == true)
        #expect(Self.golden?["hashseed"]?.stringValue == "0")
        #expect(Self.scenarios.count >= 600)
    }

    @Test func handPickedScenarios() {
        let picked = Self.scenarios.filter { !Self.name($0).hasPrefix("random-") }
        #expect(picked.count >= 20)
        Self.check(picked)
    }

    /// The seeded random scenarios, in shards so that they run in parallel.
    @Test(arguments: 0..<8)
    func randomScenarios(shard: Int) {
        let random = Self.scenarios.filter { Self.name($0).hasPrefix("random-") }
        Self.check(random.enumerated().filter { $0.offset % 8 == shard }.map(\.element))
    }

    // Behaviour that the goldens show and that a reader would not guess.

    @Test func displayOrderIsTableOrder() {
        let eq = SetOrderReplay.equal
        let items = [5, 100, 37].map { PyKey.int($0).entry }
        // `{5, 100, 37}` prints as written only because the compiler rebuilt
        // its frozenset constant; `a, b, c = 5, 100, 37; {a, b, c}` does not.
        let literals = CPythonSetTable.display(items, allLiterals: true, equal: eq)
        #expect(literals.keys.map(\.description) == ["5", "100", "37"])
        let variables = CPythonSetTable.display(items, allLiterals: false, equal: eq)
        #expect(variables.keys.map(\.description) == ["37", "100", "5"])
        let fromList = try? CPythonSetTable(.iterable([3, 1, 2].map { PyKey.int($0).entry }), equal: eq)
        #expect(fromList?.keys.map(\.description) == ["1", "2", "3"])
    }

    @Test func popResumesAfterTheLastPoppedSlotEvenAfterClear() throws {
        let eq = SetOrderReplay.equal
        var s = try CPythonSetTable(.iterable((0..<6).map { PyKey.int($0).entry }), equal: eq)
        #expect(s.pop()?.description == "0")
        #expect(s.pop()?.description == "1")
        s.clear()
        for i in 1...4 { s.add(.int(i), hash: i, equal: eq) }
        #expect(s.pop()?.description == "2")
        #expect(s.keys.map(\.description) == ["1", "3", "4"])
    }

    /// Lines of fixtures/python/sets.py, built as the interpreter would
    /// build them, print what fixtures/python/expected/sets.json says.
    @Test func theSetsConformanceScript() throws {
        let eq = SetOrderReplay.equal
        func ints(_ xs: [Int]) -> [CPythonSetTable<PyKey>.Entry] { xs.map { PyKey.int($0).entry } }
        func literals(_ xs: [Int]) -> CPythonSetTable<PyKey> { .display(ints(xs), allLiterals: true, equal: eq) }
        func show(_ s: CPythonSetTable<PyKey>) -> String { "{" + s.keys.map(\.description).joined(separator: ", ") + "}" }

        // print({100, 5, 37}, {8, 16, 0, 1}, {-5, 2, 7}, set([9, 7, 5, 3]), {32, 64, 1})
        let line = [literals([100, 5, 37]), literals([8, 16, 0, 1]), literals([-5, 2, 7]),
                    try CPythonSetTable(.iterable(ints([9, 7, 5, 3])), equal: eq), literals([32, 64, 1])]
        #expect(line.map(show).joined(separator: " ") == "{5, 100, 37} {8, 16, 0, 1} {2, -5, 7} {9, 3, 5, 7} {32, 1, 64}")

        // a = {1, 2, 3, 4}; c = set(a); c |= {10}; c &= {1, 2, 10}; c -= {2}; c ^= {1, 11}
        let a = literals([1, 2, 3, 4])
        var c = try CPythonSetTable(.set(a), equal: eq)
        try c.update(.set(.display(ints([10]), allLiterals: true, equal: eq)), equal: eq)
        try c.intersectionUpdate([.set(literals([1, 2, 10]))], equal: eq)
        try c.differenceUpdate(.set(.display(ints([2]), allLiterals: true, equal: eq)), equal: eq)
        try c.symmetricDifferenceUpdate(.set(.display(ints([1, 11]), allLiterals: true, equal: eq)), equal: eq)
        #expect(show(c) == "{11, 10}")

        // {x * x for x in range(-3, 4)}
        var squares = CPythonSetTable<PyKey>()
        for x in -3..<4 { squares.add(.int(x * x), hash: x * x, equal: eq) }
        #expect(show(squares) == "{0, 9, 4, 1}")
    }

    @Test func theFirstOfEqualKeysStays() {
        let eq = SetOrderReplay.equal
        var s = CPythonSetTable<PyKey>()
        for key in [PyKey.bool(true), .int(1), .float(1.0)] { s.add(key, hash: key.hash, equal: eq) }
        #expect(s.count == 1)
        #expect(s.keys.map(\.description) == ["True"])
    }
}

/// `hash()` of str, bytes, tuple and frozenset against CPython 3.11 with
/// PYTHONHASHSEED=0 (setorder.json's "hashes").
@Suite struct PythonObjectHashTests {
    static let hashes: JSON? = CPythonSetTableTests.golden?["hashes"]

    static func pairs(_ kind: String) -> [[JSON]] {
        (hashes?[kind]?.arrayValue ?? []).map { $0.arrayValue! }
    }

    @Test func strings() {
        let cases = Self.pairs("str")
        #expect(cases.count > 500)
        for c in cases {
            let s = c[0].stringValue!
            #expect(PythonHash.hash(s) == c[1].goldenInt, "hash(\(s.debugDescription))")
        }
    }

    @Test func swiftEqualStringsHashApart() {
        // Canonically equivalent for Swift's ==, two different strs for Python.
        #expect(PythonHash.hash("\u{e9}") != PythonHash.hash("e\u{301}"))
        #expect(PythonHash.hash("") == 0)
    }

    @Test func bytes() {
        let cases = Self.pairs("bytes")
        #expect(cases.count > 40)
        for c in cases {
            let hex = Array(c[0].stringValue!.utf8)
            let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            #expect(PythonHash.hash(bytes: bytes) == c[1].goldenInt, "hash(bytes.fromhex(\(c[0].stringValue!)))")
        }
    }

    @Test func tuples() {
        let cases = Self.pairs("tuple")
        #expect(cases.count > 300)
        for c in cases {
            let t = PyKey(c[0])
            #expect(t.hash == c[1].goldenInt, "hash(\(t))")
        }
    }

    @Test func frozensets() {
        let cases = Self.pairs("frozenset")
        #expect(cases.count > 100)
        for c in cases {
            let items = c[0].arrayValue!.map(PyKey.init)
            #expect(PythonHash.hash(frozenset: items.map(\.hash)) == c[1].goldenInt, "hash(frozenset(\(items)))")
        }
    }
}
