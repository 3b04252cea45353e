/// The built-in `format(value, spec)` (and `str.format`'s and f-strings'
/// `{value:spec}`) for ints, bools, floats and strs: CPython 3.11's
/// format-spec mini-language (Python/formatter_unicode.c) with its exact
/// output and error messages. The locale is C's, as in a Python script that
/// never calls `locale.setlocale`: `n` formats like `d` and `g`.
public enum PythonFormat {
    /// `format(n, spec)` for an int of any `BinaryInteger` type.
    public static func format<T: BinaryInteger>(_ value: T, spec: String, typeName: String = "int") throws -> String {
        if spec.isEmpty { return String(value) }
        let parsed = try FormatSpec(spec, defaultType: "d", defaultAlign: ">", typeName: typeName)
        switch parsed.type {
        case "b", "c", "d", "o", "x", "X", "n":
            return try formatInteger(value, parsed)
        case "e", "E", "f", "F", "g", "G", "%":
            let x = Double(value)
            if x.isInfinite { throw PythonError.overflow("int too large to convert to float") }
            return try formatFloat(x, parsed)
        default:
            throw FormatSpec.unknownCode(parsed.type!, typeName)
        }
    }

    /// `format(b, spec)` for a bool: `str(b)` for an empty spec, an int otherwise.
    public static func format(_ value: Bool, spec: String) throws -> String {
        if spec.isEmpty { return value ? "True" : "False" }
        return try format(value ? 1 : 0, spec: spec, typeName: "bool")
    }

    /// `format(x, spec)` for a float.
    public static func format(_ value: Double, spec: String, typeName: String = "float") throws -> String {
        if spec.isEmpty { return pythonRepr(value) }
        let parsed = try FormatSpec(spec, defaultType: nil, defaultAlign: ">", typeName: typeName)
        switch parsed.type {
        case nil, "e", "E", "f", "F", "g", "G", "n", "%":
            return try formatFloat(value, parsed)
        default:
            throw FormatSpec.unknownCode(parsed.type!, typeName)
        }
    }

    /// `format(s, spec)` for a str.
    public static func format(_ value: String, spec: String, typeName: String = "str") throws -> String {
        if spec.isEmpty { return value }
        let parsed = try FormatSpec(spec, defaultType: "s", defaultAlign: "<", typeName: typeName)
        guard parsed.type == "s" else { throw FormatSpec.unknownCode(parsed.type!, typeName) }
        return try formatString(value, parsed)
    }

    // MARK: - format_string_internal

    static func formatString(_ value: String, _ spec: FormatSpec) throws -> String {
        if let sign = spec.sign {
            throw PythonError.value(sign == " " ? "Space not allowed in string format specifier"
                                                : "Sign not allowed in string format specifier")
        }
        if spec.noNegativeZero {
            throw PythonError.value("Negative zero coercion (z) not allowed in string format specifier")
        }
        if spec.alternate { throw PythonError.value("Alternate form (#) not allowed in string format specifier") }
        if spec.align == "=" { throw PythonError.value("'=' alignment not allowed in string format specifier") }
        let scalars = value.unicodeScalars
        var count = scalars.count
        if (spec.width == -1 || spec.width <= count) && (spec.precision == -1 || spec.precision >= count) {
            return value
        }
        var text = value
        if spec.precision >= 0 && count >= spec.precision {
            count = spec.precision
            text = String(String.UnicodeScalarView(scalars.prefix(count)))
        }
        let (left, right) = NumberLayout.padding(count: count, width: spec.width, align: spec.align)
        let fill = String(Character(spec.fill))
        return String(repeating: fill, count: left) + text + String(repeating: fill, count: right)
    }

    // MARK: - format_long_internal

    static func formatInteger<T: BinaryInteger>(_ value: T, _ spec: FormatSpec) throws -> String {
        if spec.precision != -1 { throw PythonError.value("Precision not allowed in integer format specifier") }
        if spec.noNegativeZero {
            throw PythonError.value("Negative zero coercion (z) not allowed in integer format specifier")
        }
        if spec.type == "c" {
            if spec.sign != nil { throw PythonError.value("Sign not allowed with integer format specifier 'c'") }
            if spec.alternate {
                throw PythonError.value("Alternate form (#) not allowed with integer format specifier 'c'")
            }
            guard let code = Int64(exactly: value) else {
                throw PythonError.overflow("Python int too large to convert to C long")
            }
            guard code >= 0 && code <= 0x10ffff, let scalar = Unicode.Scalar(UInt32(code)) ?? surrogate(code) else {
                throw PythonError.overflow("%c arg not in range(0x110000)")
            }
            return NumberLayout.layout(sign: nil, prefix: "", digits: [], hasDecimal: false,
                                       remainder: String(String.UnicodeScalarView([scalar])), spec: spec)
        }
        let (base, prefix): (Int, String) = {
            switch spec.type {
            case "b": return (2, "0b")
            case "o": return (8, "0o")
            case "x", "X": return (16, "0x")
            default: return (10, "")
            }
        }()
        let digits = Array(String(value.magnitude, radix: base).utf8)
        return NumberLayout.layout(sign: value < 0 ? "-" : nil, prefix: spec.alternate ? prefix : "", digits: digits,
                                   hasDecimal: false, remainder: "", spec: spec, uppercase: spec.type == "X")
    }

    /// Swift has no scalar for a lone surrogate, which Python's str can hold;
    /// such a character formats as U+FFFD here.
    private static func surrogate(_ code: Int64) -> Unicode.Scalar? {
        (0xd800...0xdfff).contains(code) ? "\u{fffd}" : nil
    }

    // MARK: - format_float_internal

    static func formatFloat(_ value: Double, _ spec: FormatSpec) throws -> String {
        if spec.precision > Int(Int32.max) { throw PythonError.value("precision too big") }
        try PythonError.checkLength(spec.precision)
        var flags: FloatToString.Flags = []
        if spec.alternate { flags.insert(.alt) }
        if spec.noNegativeZero { flags.insert(.noNegativeZero) }
        var type: Character = spec.type.map { Character($0) } ?? "r"
        var defaultPrecision = 6
        if spec.type == nil {
            // No type: like repr without a precision, else like 'g' with at
            // least one digit after the point.
            flags.insert(.addDot0)
            defaultPrecision = 0
        }
        if type == "n" { type = "g" }
        var x = value
        var percent = false
        if type == "%" {
            type = "f"
            x *= 100
            percent = true
        }
        var precision = spec.precision
        if precision < 0 {
            precision = defaultPrecision
        } else if type == "r" {
            type = "g"
        }
        var text = FloatToString.string(x, type: type, precision: precision, flags: flags)
        if percent { text += "%" }

        // Split off the sign, then the digits before any point or exponent.
        var bytes = Array(text.utf8)[...]
        var sign: Unicode.Scalar?
        if bytes.first == UInt8(ascii: "-") {
            sign = "-"
            bytes = bytes.dropFirst()
        }
        let digitEnd = bytes.firstIndex { !($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) } ?? bytes.endIndex
        let hasDecimal = digitEnd < bytes.endIndex && bytes[digitEnd] == UInt8(ascii: ".")
        let remainderStart = hasDecimal ? digitEnd + 1 : digitEnd
        return NumberLayout.layout(sign: sign, prefix: "", digits: Array(bytes[..<digitEnd]), hasDecimal: hasDecimal,
                                   remainder: String(decoding: bytes[remainderStart...], as: UTF8.self), spec: spec)
    }
}
