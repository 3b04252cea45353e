import Foundation
import Testing
@testable import ModelScript

/// The JSON writer: numbers as Python's `json.dumps` writes them, float32
/// elements as the shortest text that reads back as the same float32.
@Suite struct JSONTests {
    @Test func numbersAreWrittenAsPythonWritesThem() {
        let cases: [(JSON, String)] = [
            (.number(1), "1.0"), (.number(-0.0), "-0.0"), (.number(0.1), "0.1"), (.number(1e-5), "1e-05"),
            (.number(1e16), "1e+16"), (.number(123456789012345), "123456789012345.0"),
            (.number(Double(Float(0.1))), "0.10000000149011612"), (.number(.nan), "\"nan\""),
            (.number(-.infinity), "\"-inf\""), (.integer(-3), "-3"),
        ]
        for (value, text) in cases { #expect(value.serialized() == text) }
    }

    @Test func float32ElementsAreShortAndReadBackExactly() {
        let cases: [(Float, String)] = [
            (0.1, "0.1"), (1, "1.0"), (-2.5, "-2.5"), (1e-5, "1e-05"), (16777216, "16777216.0"),
            (.nan, "\"nan\""), (.infinity, "\"inf\""), (3.4028235e38, "3.4028235e+38"), (-0.0, "-0.0"),
        ]
        for (f, text) in cases { #expect(JSON.float(f).serialized() == text) }
        // Every float32 read back from its text is the same float32.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))
            guard f.isFinite else { continue }
            let text = JSON.float(f).serialized()
            #expect(Float(text) == f, "\(text)")
        }
    }

    @Test func float32AndNumberCompareByValue() {
        #expect(JSON.float(0.5) == .number(0.5))
        #expect(JSON.float(0.1) == .number(Double(Float(0.1))))
        #expect(JSON.float(0.1) != .number(0.1))
        #expect(JSON.float(2) == .integer(2))
        #expect(JSON.float(.nan) == .number(.nan))
    }

    @Test func stringsAreEscaped() {
        #expect(JSON.string("a\"b\\c\nd\u{1}é").serialized() == "\"a\\\"b\\\\c\\nd\\u0001é\"")
    }

    @Test func documentsRoundTrip() throws {
        let doc: JSON = .object([("a", .array([.float(0.25), .integer(1), .null, .bool(true)])),
                                 ("b", .object([("c", .string("x"))]))])
        #expect(try JSON.parse(doc.serialized()) == doc)
        #expect(try JSON.parse(doc.serialized(pretty: false)) == doc)
    }

    /// A high surrogate followed by an escape that is not a low surrogate
    /// overflowed the pair arithmetic (SIGILL); it is a lone surrogate, refused
    /// at its position. Pairs still combine.
    @Test func loneSurrogatesAreRefusedWithTheirPosition() throws {
        let cases: [(String, String, Int)] = [
            (#"{"code": "\ud800\u0041"}"#, "lone surrogate '\\ud800' in string", 11),
            (#"["ab\udc00"]"#, "lone surrogate '\\udc00' in string", 5),
            (#"["\ud800"]"#, "lone surrogate '\\ud800' in string", 3),
            (#"["\ud800\uZZZZ"]"#, "invalid \\u escape", 11),
            (#"["\u+0041"]"#, "invalid \\u escape", 5),
        ]
        for (text, message, column) in cases {
            #expect(throws: JSONError(message: message, line: 1, column: column), "\(text)") { try JSON.parse(text) }
        }
        #expect(try JSON.parse(#"["\ud83d\ude00\u0041"]"#) == .array([.string("\u{1F600}A")]))
    }
}

@Suite struct ScriptFileTests {
    @Test func aScriptIsDescribedByItsHeaderComment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("header-\(UUID().uuidString).py").path
        try "#!/usr/bin/env python3\n# source: a tutorial\n#changes: none\nimport torch\n# not part of it\n".write(toFile: path, atomically: true, encoding: .utf8)
        let file = try ModelFile.load(path: path)
        #expect(file.description == "source: a tutorial\nchanges: none")
        #expect(file.name == (path as NSString).lastPathComponent.replacingOccurrences(of: ".py", with: ""))
        #expect(ModelFile.headerComment("import torch\n# late") == nil)
    }
}
