import Foundation
import Testing
@testable import ModelScript
import Autograd

/// `PythonFormat.format` and `pythonRepr` against CPython 3.11's
/// `format(value, spec)` and `repr(float)` (fixtures/python-lib/format.json):
/// every spec of a seeded sweep of the mini-language over ints, floats, strs
/// and bools, hand-picked edge cases, and random doubles of every binade.
@Suite struct PythonFormatTests {
    static let cases: [[JSON]] = ((try? LibraryGoldens.load("format.json"))?["cases"]?.arrayValue ?? []).map { $0.arrayValue! }

    static func run(_ c: [JSON]) -> (got: String, expected: String) {
        let kind = c[0].stringValue!, value = c[1].stringValue!, spec = c[2].stringValue!
        let expected: String
        if case .array(let error) = c[4] {
            expected = "\(error[0].stringValue!): \(error[1].stringValue!)"
        } else {
            expected = c[3].stringValue!
        }
        let got = LibraryGoldens.outcome({ () throws -> String in
            switch kind {
            case "int": return try PythonFormat.format(Int(value)!, spec: spec)
            case "float": return try PythonFormat.format(Double(value)!, spec: spec)
            case "bool": return try PythonFormat.format(value == "True", spec: spec)
            default: return try PythonFormat.format(value, spec: spec)
            }
        }, { $0 })
        return (got, expected)
    }

    @Test func everyCaseMatchesCPython() {
        #expect(Self.cases.count > 20_000)
        var failures = 0
        for c in Self.cases {
            let (got, expected) = Self.run(c)
            if got != expected {
                failures += 1
                if failures <= 40 {
                    Issue.record("format(\(c[0].stringValue!) \(c[1].stringValue!), \(c[2].serialized())): got \(got.debugDescription), CPython \(expected.debugDescription)")
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(Self.cases.count) cases differ")
    }

    /// `repr(float)` for every float of the goldens: their value field is CPython's repr.
    @Test func reprIsCPythons() {
        var failures = 0
        for c in Self.cases where c[0].stringValue == "float" {
            let text = c[1].stringValue!
            let x = Double(text)!
            if pythonRepr(x) != text || TensorFormatter.pythonFloat(x) != text {
                failures += 1
                if failures <= 20 { Issue.record("repr \(text): \(pythonRepr(x)) / \(TensorFormatter.pythonFloat(x))") }
            }
        }
        #expect(failures == 0)
    }

    @Test func bigIntegersFormatThroughBinaryInteger() throws {
        #expect(try PythonFormat.format(UInt64.max, spec: ",") == "18,446,744,073,709,551,615")
        #expect(try PythonFormat.format(Int8(-5), spec: "+#06x") == "-0x005")
        #expect(throws: PythonError.overflow("Python int too large to convert to C long")) {
            try PythonFormat.format(UInt64.max, spec: "c")
        }
    }
}
