import Foundation
import Testing
@testable import ModelScript

/// `percentFormat` against CPython 3.11's `fmt % args`
/// (fixtures/python-lib/percent.json): a seeded sweep of conversions, flags,
/// widths and precisions over ints, bools, floats, strs and other objects,
/// and hand-picked errors, mappings and `*` arguments.
@Suite struct PercentFormatTests {
    static let cases: [JSON] = (try? LibraryGoldens.load("percent.json"))?["cases"]?.arrayValue ?? []

    /// An argument as the golden describes it: what the interpreter would pass.
    static func argument(_ d: JSON) -> PercentArgument {
        let str = d["str"]!.stringValue!, repr = d["repr"]!.stringValue!
        return PercentArgument(typeName: d["type"]!.stringValue!, integer: d["int"]?.goldenInt, real: d["float"]?.goldenDouble,
                               text: d["string"]?.stringValue, str: { str }, repr: { repr })
    }

    static func arguments(_ args: JSON) -> PercentArguments {
        if let items = args["tuple"]?.arrayValue { return .tuple(items.map(argument)) }
        if let single = args["single"] { return .single(argument(single)) }
        let mapping = args["mapping"]!
        return .mapping(argument(args["self"]!)) { key in
            guard let value = mapping[key] else { throw PythonError(type: "KeyError", message: "'\(key)'") }
            return argument(value)
        }
    }

    @Test func everyCaseMatchesCPython() {
        #expect(Self.cases.count > 1_000)
        var failures = 0
        for c in Self.cases {
            let format = c["format"]!.stringValue!
            let expected = LibraryGoldens.error(c) ?? c["out"]!.stringValue!
            let got = LibraryGoldens.outcome({ try percentFormat(format, Self.arguments(c["args"]!)) }, { $0 })
            if got != expected {
                failures += 1
                if failures <= 40 {
                    Issue.record("\(format.debugDescription) % \(c["args"]!.serialized()): got \(got.debugDescription), CPython \(expected.debugDescription)")
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(Self.cases.count) cases differ")
    }

    @Test func asciiEscapesWhatReprKeeps() {
        #expect(pythonASCII("'héllo 🙂 ∑'") == "'h\\xe9llo \\U0001f642 \\u2211'")
    }
}
