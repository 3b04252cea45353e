import Foundation
import Testing
@testable import ModelScript

/// `str.format` strings against CPython 3.11 (fixtures/python-lib/format_string.json):
/// the scanner against `_string.formatter_parser` and
/// `_string.formatter_field_name_split`, and `renderFormatString` against
/// `fmt.format(*args, **kwargs)` with a small host of ints, floats, strs,
/// bools, None, lists and dicts.
@Suite struct FormatStringTests {
    static let goldens = try? LibraryGoldens.load("format_string.json")

    // MARK: - The scanner

    /// What `_string.formatter_parser` and `formatter_field_name_split` give,
    /// in the golden's shape.
    static func markup(_ format: String) throws -> [String] {
        var scanner = FormatStringScanner(Array(format.unicodeScalars))
        var position = 0
        var pieces: [String] = []
        while let m = try scanner.nextMarkup(&position, end: scanner.text.count) {
            var piece = "literal=\(scanner.string(m.literal).debugDescription)"
            if let f = m.field {
                let conversion = f.conversion.map { String(Character($0)).debugDescription } ?? "None"
                piece += " name=\(scanner.string(f.name).debugDescription) spec=\(scanner.string(f.spec).debugDescription) conversion=\(conversion)"
                // formatter_field_name_split numbers nothing: a fresh scanner per name.
                var split = FormatStringScanner(scanner.text)
                do {
                    let (argument, accessors) = try split.splitFieldName(f.name)
                    var rest = accessors
                    var parts: [String] = []
                    while let a = try rest.next(split) { parts.append(describe(a)) }
                    switch argument {
                    case .index(let i):
                        // A `{}`-style empty first part is the str '' there.
                        let firstEmpty = f.name.isEmpty || [".", "["].contains(scanner.text[f.name.lowerBound])
                        piece += firstEmpty ? " first=\"\" index=false" : " first=\(i) index=true"
                    case .keyword(let k): piece += " first=\(k.debugDescription) index=false"
                    }
                    piece += " rest=[\(parts.joined(separator: ", "))]"
                } catch {
                    piece += " name_error=\(LibraryGoldens.describe(error))"
                }
            }
            pieces.append(piece)
        }
        return pieces
    }

    static func describe(_ a: FieldAccessor) -> String {
        switch a {
        case .attribute(let s): return "attr \(s.debugDescription)"
        case .index(let i): return "item \(i)"
        case .key(let s): return "item \(s.debugDescription)"
        }
    }

    /// The golden's pieces in `markup`'s shape.
    static func expectedMarkup(_ pieces: [JSON]) -> [String] {
        pieces.map { p in
            var piece = "literal=\(p["literal"]!.stringValue!.debugDescription)"
            guard let name = p["name"]?.stringValue else { return piece }
            let conversion = p["conversion"]!.stringValue?.debugDescription ?? "None"
            piece += " name=\(name.debugDescription) spec=\(p["spec"]!.stringValue!.debugDescription) conversion=\(conversion)"
            if let error = p["name_error"]?.stringValue {
                return piece + " name_error=ValueError: \(error)"
            }
            let first = p["first"]!.stringValue!
            let isIndex = p["first_is_index"]!.goldenBool!
            piece += " first=\(isIndex ? first : first.debugDescription) index=\(isIndex)"
            let rest = p["rest"]!.arrayValue!.map { r -> String in
                let a = r.arrayValue!
                let key = a[1].stringValue!
                if a[0].goldenBool! { return "attr \(key.debugDescription)" }
                return a[2].goldenBool! ? "item \(key)" : "item \(key.debugDescription)"
            }
            return piece + " rest=[\(rest.joined(separator: ", "))]"
        }
    }

    @Test func scannerMatchesFormatterParser() {
        let cases = Self.goldens?["parse"]?.arrayValue ?? []
        #expect(cases.count > 80)
        for c in cases {
            let format = c["format"]!.stringValue!
            let got: String
            do { got = try Self.markup(format).joined(separator: "\n") } catch { got = LibraryGoldens.describe(error) }
            let expected = LibraryGoldens.error(c) ?? Self.expectedMarkup(c["out"]!.arrayValue!).joined(separator: "\n")
            #expect(got == expected, "\(format.debugDescription)")
        }
    }

    // MARK: - Rendering

    @Test func renderingMatchesStrFormat() {
        let cases = Self.goldens?["render"]?.arrayValue ?? []
        #expect(cases.count > 600)
        var failures = 0
        for c in cases {
            let format = c["format"]!.stringValue!
            let host = MockHost(c)
            let expected = LibraryGoldens.error(c) ?? c["out"]!.stringValue!
            let got = LibraryGoldens.outcome({ try renderFormatString(format, host) }, { $0 })
            if got != expected {
                failures += 1
                if failures <= 30 { Issue.record("\(format.debugDescription) with \(c["args"]!.serialized()) \(c["kwargs"]!.serialized()): got \(got.debugDescription), CPython \(expected.debugDescription)") }
            }
        }
        #expect(failures == 0, "\(failures) of \(cases.count) renderings differ")
    }

    /// The up-front structure renders what CPython renders wherever CPython
    /// succeeds, and fails wherever the string itself is wrong.
    @Test func parsedStructureRendersTheSame() {
        let cases = Self.goldens?["render"]?.arrayValue ?? []
        for c in cases {
            let format = c["format"]!.stringValue!
            let host = MockHost(c)
            let got = LibraryGoldens.outcome({ try host.evaluate(try parseFormatString(format)) }, { $0 })
            if let out = c["out"]?.stringValue {
                #expect(got == out, "\(format.debugDescription)")
            } else if let error = LibraryGoldens.error(c), error.hasPrefix("ValueError"), !error.contains("format specifier"),
                      !error.contains("Format specifier"), !error.contains("Unknown format code") {
                #expect(got.hasPrefix("ValueError") || got.hasPrefix("IndexError") || got.hasPrefix("KeyError"),
                        "\(format.debugDescription): \(got)")
            }
        }
    }

    @Test func parsedStructureOfAFewStrings() throws {
        #expect(try parseFormatString("a{{b}}c") == [.literal("a{b}c")])
        #expect(try parseFormatString("{}{x.y[0][k]!r:>{}}") == [
            .field(ReplacementField(argument: .index(0), accessors: [], conversion: nil, spec: [])),
            .field(ReplacementField(argument: .keyword("x"), accessors: [.attribute("y"), .index(0), .key("k")], conversion: "r",
                                    spec: [.literal(">"), .field(ReplacementField(argument: .index(1), accessors: [], conversion: nil, spec: []))])),
        ])
        #expect(throws: PythonError.value("cannot switch from manual field specification to automatic field numbering")) {
            try parseFormatString("{0}{}")
        }
        #expect(throws: PythonError.value("Max string recursion exceeded")) { try parseFormatString("{:{:{}}}") }
    }
}

/// The values of the render goldens, and what Python does with them.
indirect enum MockValue {
    case int(Int), float(Double), str(String), bool(Bool), none
    case list([MockValue]), dict([(String, MockValue)])

    init(_ json: JSON) {
        switch json {
        case .integer(let i): self = .int(i)
        case .bool(let b): self = .bool(b)
        case .string(let s): self = .str(s)
        case .null: self = .none
        case .array(let items): self = .list(items.map(MockValue.init))
        default:
            if let repr = json["float"]?.stringValue {
                self = .float(Double(repr)!)
            } else if case .object(let members)? = json["dict"] {
                self = .dict(members.map { ($0.0, MockValue($0.1)) })
            } else {
                self = .none
            }
        }
    }

    var typeName: String {
        switch self {
        case .int: return "int"
        case .float: return "float"
        case .str: return "str"
        case .bool: return "bool"
        case .none: return "NoneType"
        case .list: return "list"
        case .dict: return "dict"
        }
    }

    var repr: String {
        switch self {
        case .int(let i): return String(i)
        case .float(let x): return pythonRepr(x)
        case .str(let s): return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .dict(let members): return "{" + members.map { "'\($0.0)': \($0.1.repr)" }.joined(separator: ", ") + "}"
        }
    }

    var str: String { if case .str(let s) = self { return s } else { return repr } }
}

struct MockHost: FormatStringHost {
    let args: [MockValue]
    let kwargs: MockValue
    /// `format_map(kwargs)`: no positional arguments at all.
    let isMap: Bool

    init(_ golden: JSON) {
        isMap = golden["args"]!.goldenIsNull
        args = golden["args"]!.arrayValue?.map(MockValue.init) ?? []
        kwargs = MockValue(golden["kwargs"]!)
    }

    var positionalCount: Int? { isMap ? nil : args.count }
    func positional(_ index: Int) throws -> MockValue { args[index] }

    func keyword(_ name: String) throws -> MockValue {
        guard case .dict(let members) = kwargs, let v = members.first(where: { $0.0 == name })?.1 else {
            throw PythonError(type: "KeyError", message: "'\(name)'")
        }
        return v
    }

    func attribute(_ object: MockValue, _ name: String) throws -> MockValue {
        if case .int = object, name == "real" { return object }
        if case .int = object, name == "imag" { return .int(0) }
        throw PythonError(type: "AttributeError", message: "'\(object.typeName)' object has no attribute '\(name)'")
    }

    func item(_ object: MockValue, _ accessor: FieldAccessor) throws -> MockValue {
        switch (object, accessor) {
        case (.list(let items), .index(let i)):
            guard i < items.count else { throw PythonError.index("list index out of range") }
            return items[i]
        case (.list, _): throw PythonError.type("list indices must be integers or slices, not str")
        case (.dict(let members), .key(let k)):
            guard let v = members.first(where: { $0.0 == k })?.1 else { throw PythonError(type: "KeyError", message: "'\(k)'") }
            return v
        case (.dict, .index(let i)): throw PythonError(type: "KeyError", message: String(i))
        case (.str(let s), .index(let i)):
            let scalars = Array(s.unicodeScalars)
            guard i < scalars.count else { throw PythonError.index("string index out of range") }
            return .str(String(Character(scalars[i])))
        case (.str, _): throw PythonError.type("string indices must be integers, not 'str'")
        default: throw PythonError.type("'\(object.typeName)' object is not subscriptable")
        }
    }

    func convert(_ object: MockValue, _ conversion: Character) throws -> MockValue {
        switch conversion {
        case "r": return .str(object.repr)
        case "a": return .str(pythonASCII(object.repr))
        default: return .str(object.str)
        }
    }

    func format(_ object: MockValue, spec: String) throws -> String {
        switch object {
        case .int(let i): return try PythonFormat.format(i, spec: spec)
        case .float(let x): return try PythonFormat.format(x, spec: spec)
        case .str(let s): return try PythonFormat.format(s, spec: spec)
        case .bool(let b): return try PythonFormat.format(b, spec: spec)
        default:
            if spec.isEmpty { return object.str }
            throw PythonError.type("unsupported format string passed to \(object.typeName).__format__")
        }
    }

    /// Renders pieces from `parseFormatString`.
    func evaluate(_ pieces: [FormatPiece]) throws -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let s): out += s
            case .field(let f):
                var object: MockValue
                switch f.argument {
                case .index(let i):
                    if isMap { throw PythonError.value("Format string contains positional fields") }
                    guard i < args.count else { throw PythonError.index("Replacement index \(i) out of range for positional args tuple") }
                    object = args[i]
                case .keyword(let k): object = try keyword(k)
                }
                for a in f.accessors {
                    if case .attribute(let name) = a { object = try attribute(object, name) } else { object = try item(object, a) }
                }
                if let c = f.conversion { object = try convert(object, c) }
                out += try format(object, spec: try evaluate(f.spec))
            }
        }
        return out
    }
}
