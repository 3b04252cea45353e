import Foundation

/// A JSON value that keeps object keys in their written order, so documents
/// come out byte-identical run after run, and a reader that reports the line
/// and column of malformed input (Foundation's reader reports neither).
public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    /// A float32 tensor element: written with the shortest text that reads
    /// back as the same float32 (`0.1`, not `0.10000000149011612`).
    case float(Float)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case (.number, .number), (.number, .float), (.float, .number), (.float, .float):
            let x = a.doubleValue!, y = b.doubleValue!
            return x == y || (x.isNaN && y.isNaN)
        case let (.integer(x), .number(y)), let (.number(y), .integer(x)): return Double(x) == y
        case let (.integer(x), .float(y)), let (.float(y), .integer(x)): return Double(x) == Double(y)
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// A number, including the strings "nan", "inf" and "-inf" that run
    /// documents write for non-finite values.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        case .float(let f): return Double(f)
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
    public var intValue: Int? { if case .integer(let i) = self { return i } else { return nil } }
}

/// A parse failure with its 1-based position.
public struct JSONError: Error, Equatable, Sendable {
    public let message: String
    public let line: Int
    public let column: Int
}

extension JSON {
    public static func parse(_ text: String) throws -> JSON {
        var reader = JSONReader(Array(text.unicodeScalars))
        reader.skipSpace()
        let value = try reader.value()
        reader.skipSpace()
        guard reader.atEnd else { throw reader.fail("unexpected text after the JSON value") }
        return value
    }
}

private struct JSONReader {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    var atEnd: Bool { i >= s.count }

    func fail(_ message: String) -> JSONError {
        var line = 1, column = 1
        for c in s[..<min(i, s.count)] {
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return JSONError(message: message, line: line, column: column)
    }

    mutating func skipSpace() {
        while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 }
    }

    /// Arrays and objects nested deeper than this are refused: the reader
    /// recurses once per level, and a model file never needs more.
    static let maxDepth = 256
    var depth = 0

    mutating func value() throws -> JSON {
        guard i < s.count else { throw fail("unexpected end of file, expected a value") }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("arrays and objects nested more than \(Self.maxDepth) deep") }
        switch s[i] {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .string(try string())
        case "t": try literal("true"); return .bool(true)
        case "f": try literal("false"); return .bool(false)
        case "n": try literal("null"); return .null
        case "-", "0"..."9": return try number()
        default: throw fail("unexpected character '\(s[i])', expected a value")
        }
    }

    mutating func literal(_ word: String) throws {
        for c in word.unicodeScalars {
            guard i < s.count, s[i] == c else { throw fail("invalid literal, expected '\(word)'") }
            i += 1
        }
    }

    mutating func object() throws -> JSON {
        i += 1
        var members: [(String, JSON)] = []
        skipSpace()
        if i < s.count, s[i] == "}" { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < s.count, s[i] == "\"" else { throw fail("expected a string key") }
            let key = try string()
            skipSpace()
            guard i < s.count, s[i] == ":" else { throw fail("expected ':' after key") }
            i += 1
            skipSpace()
            members.append((key, try value()))
            skipSpace()
            guard i < s.count else { throw fail("unexpected end of file, expected ',' or '}'") }
            if s[i] == "," { i += 1; continue }
            if s[i] == "}" { i += 1; return .object(members) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array() throws -> JSON {
        i += 1
        var items: [JSON] = []
        skipSpace()
        if i < s.count, s[i] == "]" { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard i < s.count else { throw fail("unexpected end of file, expected ',' or ']'") }
            if s[i] == "," { i += 1; continue }
            if s[i] == "]" { i += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func string() throws -> String {
        i += 1
        var out = String.UnicodeScalarView()
        while true {
            guard i < s.count else { throw fail("unterminated string") }
            let c = s[i]
            i += 1
            if c == "\"" { return String(out) }
            if c.value < 0x20 { i -= 1; throw fail("control character in string (use \\n)") }
            guard c == "\\" else { out.append(c); continue }
            guard i < s.count else { throw fail("unterminated string") }
            let e = s[i]
            i += 1
            switch e {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "/": out.append("/")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                let escape = i - 2
                var code = try hex4()
                // A high surrogate pairs only with a low one that follows it;
                // anything else leaves a lone surrogate, which no String holds.
                if (0xD800..<0xDC00).contains(code), i + 1 < s.count, s[i] == "\\", s[i + 1] == "u" {
                    let next = i
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = next
                    }
                }
                guard let scalar = Unicode.Scalar(code) else {
                    i = escape
                    throw fail("lone surrogate '\\u\(String(code, radix: 16))' in string")
                }
                out.append(scalar)
            default:
                i -= 1
                throw fail("invalid escape '\\\(e)'")
            }
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= s.count, s[i..<(i + 4)].allSatisfy(\.properties.isASCIIHexDigit),
              let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16) else {
            throw fail("invalid \\u escape")
        }
        i += 4
        return v
    }

    mutating func number() throws -> JSON {
        let start = i
        if s[i] == "-" { i += 1 }
        while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
        var isInteger = true
        if i < s.count, s[i] == "." {
            isInteger = false
            i += 1
            while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
        }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            isInteger = false
            i += 1
            if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
            while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
        }
        let text = String(String.UnicodeScalarView(s[start..<i]))
        if isInteger, let v = Int(text) { return .integer(v) }
        guard let d = Double(text) else { i = start; throw fail("invalid number '\(text)'") }
        return .number(d)
    }
}

extension JSON {
    /// Serialises with two-space indentation (or on one line), keys in order.
    public func serialized(pretty: Bool = true) -> String {
        String(decoding: bytes(pretty: pretty), as: UTF8.self)
    }

    /// `serialized` as UTF-8 bytes: what documents are written as. Written
    /// byte by byte into one buffer, as a run document can hold millions of
    /// numbers.
    public func bytes(pretty: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(into out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .integer(let v): JSON.append(String(v), to: &out)
        case .number(let d): JSON.write(d, into: &out)
        case .float(let f): JSON.write(f, into: &out)
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]".utf8; return }
            // Arrays of scalars stay on one line: tensors remain readable.
            let flat = indent == nil || items.allSatisfy(\.isScalar)
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out += (flat ? ", " : ",").utf8 }
                if !flat, let n = indent { JSON.newline(n + 1, into: &out) }
                item.write(into: &out, indent: flat ? nil : indent.map { $0 + 1 })
            }
            if !flat, let n = indent { JSON.newline(n, into: &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (k, (key, value)) in members.enumerated() {
                if k > 0 { out += (indent == nil ? ", " : ",").utf8 }
                if let n = indent { JSON.newline(n + 1, into: &out) }
                JSON.quote(key, into: &out)
                out += ": ".utf8
                value.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if let n = indent { JSON.newline(n, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ level: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    /// Numbers, booleans and nulls (and arrays of them: tensor values) stay
    /// on one line; strings and objects get a line each.
    private var isScalar: Bool {
        switch self {
        case .array(let items): return items.allSatisfy(\.isScalar)
        case .object, .string: return false
        default: return true
        }
    }

    /// Shortest round-trip text, as Python's `json.dumps` writes floats;
    /// NaN and infinities as the strings the run document uses.
    private static func write(_ d: Double, into out: inout [UInt8]) {
        if d.isNaN { out += "\"nan\"".utf8; return }
        if d.isInfinite { out += (d > 0 ? "\"inf\"" : "\"-inf\"").utf8; return }
        if d == d.rounded(), Swift.abs(d) < 1e16 {
            // Whole numbers keep Python's ".0" (1.0, not 1 or 1e+00).
            if d == 0 && d.sign == .minus { out.append(UInt8(ascii: "-")) }
            append(String(Int64(d)), to: &out)
            out += ".0".utf8
            return
        }
        append(d.description, to: &out)
    }

    /// Appends a short string's UTF-8 bytes in one copy.
    private static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    private static func write(_ f: Float, into out: inout [UInt8]) {
        if !f.isFinite || (f == f.rounded() && Swift.abs(f) < 1e16) {
            write(Double(f), into: &out)  // "nan", "1.0": the same text as the Double it equals
            return
        }
        append(f.description, to: &out)
    }

    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\"".utf8
            case UInt8(ascii: "\\"): out += "\\\\".utf8
            case UInt8(ascii: "\n"): out += "\\n".utf8
            case UInt8(ascii: "\r"): out += "\\r".utf8
            case UInt8(ascii: "\t"): out += "\\t".utf8
            case ..<0x20:
                let hex = String(byte, radix: 16)
                out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
            default:
                out.append(byte)  // UTF-8 bytes of other characters are copied as they are
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
