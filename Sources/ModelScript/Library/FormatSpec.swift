/// A parsed format specification, `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`,
/// as CPython 3.11's `parse_internal_render_format_spec`
/// (Python/formatter_unicode.c) reads it. Characters are Unicode scalars, as
/// Python's str indexes them.
struct FormatSpec {
    enum Grouping: Equatable {
        case none
        /// `,`: every three digits.
        case comma
        /// `_`: every three digits, or four for `b`, `o`, `x` and `X`.
        case underscore
        case underscoreFour
    }

    var fill: Unicode.Scalar = " "
    var align: Unicode.Scalar
    var alternate = false
    var sign: Unicode.Scalar?
    var noNegativeZero = false
    /// -1 when not given.
    var width = -1
    var grouping = Grouping.none
    /// -1 when not given.
    var precision = -1
    /// nil when not given and the type has no default (floats).
    var type: Unicode.Scalar?

    /// Parses `spec`; `typeName` names the formatted object's type in errors.
    init(_ spec: String, defaultType: Unicode.Scalar?, defaultAlign: Unicode.Scalar, typeName: String) throws {
        let s = Array(spec.unicodeScalars)
        let end = s.count
        var pos = 0
        align = defaultAlign
        type = defaultType
        var alignSpecified = false, fillSpecified = false

        // A fill character needs an alignment after it.
        if end - pos >= 2 && Self.isAlignment(s[pos + 1]) {
            align = s[pos + 1]
            fill = s[pos]
            fillSpecified = true
            alignSpecified = true
            pos += 2
        } else if end - pos >= 1 && Self.isAlignment(s[pos]) {
            align = s[pos]
            alignSpecified = true
            pos += 1
        }
        if end - pos >= 1 && (s[pos] == " " || s[pos] == "+" || s[pos] == "-") {
            sign = s[pos]
            pos += 1
        }
        if end - pos >= 1 && s[pos] == "z" {
            noNegativeZero = true
            pos += 1
        }
        if end - pos >= 1 && s[pos] == "#" {
            alternate = true
            pos += 1
        }
        // The special case for 0-padding (backwards compatible); strs, left
        // aligned by default, stay so.
        if !fillSpecified && end - pos >= 1 && s[pos] == "0" {
            fill = "0"
            if !alignSpecified && defaultAlign == ">" { align = "=" }
            pos += 1
        }
        if let w = try Self.integer(s, &pos) { width = w }
        if end - pos >= 1 && s[pos] == "," {
            grouping = .comma
            pos += 1
        }
        if end - pos >= 1 && s[pos] == "_" {
            if grouping != .none { throw PythonError.value("Cannot specify both ',' and '_'.") }
            grouping = .underscore
            pos += 1
        }
        // "_," is an error; ",," leaves the second comma to be read as the type.
        if end - pos >= 1 && s[pos] == "," && grouping == .underscore {
            throw PythonError.value("Cannot specify both ',' and '_'.")
        }
        if end - pos >= 1 && s[pos] == "." {
            pos += 1
            guard let p = try Self.integer(s, &pos) else {
                throw PythonError.value("Format specifier missing precision")
            }
            precision = p
        }
        if end - pos > 1 {
            throw PythonError.value("Invalid format specifier '\(spec)' for object of type '\(typeName)'")
        }
        if end - pos == 1 {
            type = s[pos]
            pos += 1
        }

        if grouping != .none {
            switch type {
            case "d", "e", "f", "g", "E", "G", "%", "F", nil:
                break  // PEP 378
            case "b", "o", "x", "X":
                // PEP 515: '_' every four digits; ',' is not allowed.
                guard grouping == .underscore else { throw invalidSeparator(",", type!) }
                grouping = .underscoreFour
            default:
                throw invalidSeparator(grouping == .comma ? "," : "_", type!)
            }
        }
        try PythonError.checkLength(width)
    }

    private func invalidSeparator(_ separator: String, _ type: Unicode.Scalar) -> PythonError {
        PythonError.value("Cannot specify '\(separator)' with \(Self.quoted(type)).")
    }

    static func isAlignment(_ c: Unicode.Scalar) -> Bool { c == "<" || c == ">" || c == "=" || c == "^" }

    /// `get_integer`: decimal digits (any script's), nil when there are none.
    private static func integer(_ s: [Unicode.Scalar], _ pos: inout Int) throws -> Int? {
        var value = 0
        var count = 0
        while pos < s.count, let digit = decimalValue(s[pos]) {
            if value > (Int.max - digit) / 10 { throw PythonError.value("Too many decimal digits in format string") }
            value = value * 10 + digit
            pos += 1
            count += 1
        }
        return count == 0 ? nil : value
    }

    /// `Py_UNICODE_TODECIMAL`: the value of a decimal digit of any script.
    static func decimalValue(_ c: Unicode.Scalar) -> Int? {
        if c.isASCII { return c >= "0" && c <= "9" ? Int(c.value) - 48 : nil }
        guard c.properties.numericType == .decimal, let v = c.properties.numericValue else { return nil }
        return Int(v)
    }

    /// `'c'` for printable ASCII, `'\x..'` otherwise, as CPython's messages quote a type code.
    static func quoted(_ c: Unicode.Scalar) -> String {
        c.value > 32 && c.value < 128 ? "'\(Character(c))'" : "'\\x\(String(c.value, radix: 16))'"
    }

    static func unknownCode(_ c: Unicode.Scalar, _ typeName: String) -> PythonError {
        PythonError.value("Unknown format code \(quoted(c)) for object of type '\(typeName)'")
    }
}

/// How CPython lays out a formatted number (`calc_number_widths` and
/// `fill_number`): padding, sign, prefix, padding, grouped digits, decimal
/// point, remainder, padding, where only one padding is non-empty.
enum NumberLayout {
    /// `digits` are the ASCII digits before any decimal point or exponent;
    /// `remainder` what follows the decimal point (or the digits, when there is
    /// none: an exponent, "%", "inf", or the character of type 'c').
    static func layout(sign numberSign: Unicode.Scalar?, prefix: String, digits: [UInt8], hasDecimal: Bool,
                       remainder: String, spec: FormatSpec, uppercase: Bool = false) -> String {
        var signChar: Unicode.Scalar?
        switch spec.sign {
        case "+": signChar = numberSign == "-" ? "-" : "+"
        case " ": signChar = numberSign == "-" ? "-" : " "
        default: signChar = numberSign == "-" ? "-" : nil
        }
        let prefixCount = prefix.unicodeScalars.count
        let remainderCount = remainder.unicodeScalars.count
        let nonDigit = (signChar == nil ? 0 : 1) + prefixCount + (hasDecimal ? 1 : 0) + remainderCount
        let minWidth = spec.fill == "0" && spec.align == "=" ? spec.width - nonDigit : 0

        var grouped = ""
        if !digits.isEmpty {
            let (size, separator): (Int?, Character) = {
                switch spec.grouping {
                case .none: return (nil, ",")
                case .comma: return (3, ",")
                case .underscore: return (3, "_")
                case .underscoreFour: return (4, "_")
                }
            }()
            grouped = group(digits, minWidth: minWidth, size: size, separator: separator)
        }
        let groupedCount = grouped.unicodeScalars.count
        var left = 0, inner = 0, right = 0
        let padding = spec.width - (nonDigit + groupedCount)
        if padding > 0 {
            switch spec.align {
            case "<": right = padding
            case "^": left = padding / 2; right = padding - left
            case "=": inner = padding
            default: left = padding
            }
        }
        let fill = String(Character(spec.fill))
        var out = String(repeating: fill, count: left)
        if let s = signChar { out.unicodeScalars.append(s) }
        out += uppercase ? prefix.uppercased() : prefix
        out += String(repeating: fill, count: inner)
        out += uppercase ? grouped.uppercased() : grouped
        if hasDecimal { out += "." }
        out += remainder
        out += String(repeating: fill, count: right)
        return out
    }

    /// `_PyUnicode_InsertThousandsGrouping`: the digits with a separator every
    /// `size` digits (none when nil), zero-padded on the left, separators
    /// included, to at least `minWidth` characters.
    static func group(_ digits: [UInt8], minWidth: Int, size: Int?, separator: Character) -> String {
        var minWidth = max(0, minWidth)
        var remaining = digits.count
        var pieces: [String] = []  // right to left
        var useSeparator = false
        var broken = false
        func take(_ length: Int) {
            let zeros = max(0, length - remaining)
            let chars = max(0, min(remaining, length))
            if useSeparator { pieces.append(String(separator)) }
            pieces.append(String(repeating: "0", count: zeros)
                + String(decoding: digits[(remaining - chars)..<remaining], as: UTF8.self))
            remaining -= chars
        }
        if let size = size {
            while true {
                let length = min(size, max(remaining, minWidth, 1))
                take(length)
                useSeparator = true
                minWidth -= length
                if remaining <= 0 && minWidth <= 0 { broken = true; break }
                minWidth -= 1
            }
        }
        if !broken { take(max(remaining, minWidth, 1)) }
        return pieces.reversed().joined()
    }

    /// `calc_padding` for strings: the left and right padding around `count` characters.
    static func padding(count: Int, width: Int, align: Unicode.Scalar) -> (left: Int, right: Int) {
        let total = max(width, count)
        let left: Int
        switch align {
        case ">": left = total - count
        case "^": left = (total - count) / 2
        default: left = 0
        }
        return (left, total - count - left)
    }
}
