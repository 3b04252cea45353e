import Foundation
import Testing
@testable import ModelScript

/// Every script of fixtures/parser/cases.json against CPython 3.11's
/// verdict on it, recorded there by tools/fuzz_parser.py --write-corpus (so
/// CI needs no Python): the same SyntaxError, with the same message, line
/// and column, or none. Refusing a construct CPython accepts counts as
/// accepting it.
@Suite struct ParserCorpusTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One script and CPython's verdict.
    struct Case: Decodable {
        struct Verdict: Decodable {
            var ok: Bool?
            var type: String?
            var message: String?
            var line: Int?
            var column: Int?
        }

        var source: String
        var python: Verdict
    }

    struct Corpus: Decodable {
        var cases: [Case]
    }

    static func load() throws -> [Case] {
        let url = root.appendingPathComponent("fixtures/parser/cases.json")
        return try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url)).cases
    }

    /// CPython's exception class for a parse error message (the parser
    /// reports IndentationError and TabError as SyntaxErrors).
    static func pythonType(of message: String) -> String {
        if message == "inconsistent use of tabs and spaces in indentation" { return "TabError" }
        let indentation = ["unexpected indent", "unexpected unindent", "expected an indented block",
                           "unindent does not match any outer indentation level", "too many levels of indentation"]
        return indentation.contains(where: message.hasPrefix) ? "IndentationError" : "SyntaxError"
    }

    @Test func everyCaseGetsCPythonsVerdict() throws {
        let cases = try Self.load()
        #expect(cases.count >= 300)
        var failures = 0
        for item in cases {
            let expected = item.python
            do {
                _ = try Parser.parse(item.source)
                if expected.ok != true {
                    failures += 1
                    Issue.record("\(item.source.debugDescription): parsed, CPython says \(expected.type ?? "?"): \(expected.message ?? "")")
                }
            } catch ScriptError.unsupported(let message, _) where expected.ok == true {
                _ = message  // valid Python that scripts cannot use
            } catch let error as ScriptError {
                guard case .syntax(let message, let location) = error, expected.ok != true,
                      message == expected.message, Self.pythonType(of: message) == expected.type,
                      location.line == expected.line, location.column == expected.column else {
                    failures += 1
                    let python = expected.ok == true
                        ? "ok"
                        : "\(expected.type ?? "?"): \(expected.message ?? "") at \(expected.line ?? 0):\(expected.column ?? 0)"
                    Issue.record("\(item.source.debugDescription): got \(error), CPython says \(python)")
                    continue
                }
            }
        }
        #expect(failures == 0)
    }
}
