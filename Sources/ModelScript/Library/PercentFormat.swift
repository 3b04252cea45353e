/// One argument of `fmt % args`, as the interpreter describes it: what each
/// conversion may ask of it. `str` and `repr` are called only when a `%s`,
/// `%r` or `%a` needs them.
public struct PercentArgument {
    /// `type(x).__name__`, for the error messages.
    public var typeName: String
    /// `operator.index(x)`: set for ints and bools.
    public var integer: Int?
    /// `operator.index(x)` for an int beyond 64 bits (`integer` is nil then).
    public var bigInteger: PyInt?
    /// `float(x)` for a real number (int, bool, float); nil for anything else.
    public var real: Double?
    /// The text of a str.
    public var text: String?
    public var str: () throws -> String
    public var repr: () throws -> String

    public init(typeName: String, integer: Int? = nil, real: Double? = nil, text: String? = nil,
                str: @escaping () throws -> String, repr: @escaping () throws -> String) {
        self.typeName = typeName
        self.integer = integer
        self.real = real
        self.text = text
        self.str = str
        self.repr = repr
    }

    public static func of(_ i: Int) -> PercentArgument {
        PercentArgument(typeName: "int", integer: i, real: Double(i), str: { String(i) }, repr: { String(i) })
    }

    public static func of(_ b: Bool) -> PercentArgument {
        let text = b ? "True" : "False"
        return PercentArgument(typeName: "bool", integer: b ? 1 : 0, real: b ? 1 : 0, str: { text }, repr: { text })
    }

    public static func of(_ x: Double) -> PercentArgument {
        PercentArgument(typeName: "float", real: x, str: { pythonRepr(x) }, repr: { pythonRepr(x) })
    }

    /// A str; its repr (Python's quoting) comes from the interpreter.
    public static func of(_ s: String, repr: String) -> PercentArgument {
        PercentArgument(typeName: "str", text: s, str: { s }, repr: { repr })
    }
}

/// The right operand of `fmt % args`.
public enum PercentArguments {
    /// A tuple: its items, consumed in order.
    case tuple([PercentArgument])
    /// Anything that is neither a tuple nor a mapping: the one argument.
    case single(PercentArgument)
    /// A mapping — for CPython anything with `__getitem__` that is not a
    /// tuple or a str, lists included: `%(key)s` formats `lookup(key)` (which
    /// raises the interpreter's KeyError or TypeError), a plain `%s` the
    /// mapping itself.
    case mapping(PercentArgument, lookup: (String) throws -> PercentArgument)
}

/// `ascii(x)` from `repr(x)`: every non-ASCII character escaped as `\xhh`,
/// `\uhhhh` or `\Uhhhhhhhh`.
public func pythonASCII(_ repr: String) -> String {
    var out = ""
    for c in repr.unicodeScalars {
        if c.isASCII {
            out.unicodeScalars.append(c)
            continue
        }
        let hex = String(c.value, radix: 16)
        let (mark, width) = c.value < 0x100 ? ("x", 2) : c.value < 0x10000 ? ("u", 4) : ("U", 8)
        out += "\\" + mark + String(repeating: "0", count: width - hex.count) + hex
    }
    return out
}

/// `format % args` for a str, as CPython 3.11's `PyUnicode_Format`
/// (Objects/unicodeobject.c): flags `-+ #0`, width and precision (`*` taking
/// them from the arguments), the `h`, `l`, `L` length modifiers ignored,
/// conversions `d i u o x X e E f F g G c s r a %`, and CPython's errors
/// raised at the same point of the string.
public func percentFormat(_ format: String, _ args: PercentArguments) throws -> String {
    var formatter = PercentFormatter(format: Array(format.unicodeScalars), args: args)
    return try formatter.run()
}

/// The state of `PyUnicode_Format`, with its `fmtpos`/`fmtcnt` bookkeeping
/// kept as CPython keeps it: the errors for a truncated specifier depend on it.
private struct PercentFormatter {
    struct Flags: OptionSet {
        let rawValue: Int
        static let leftJustify = Flags(rawValue: 1)
        static let sign = Flags(rawValue: 2)
        static let blank = Flags(rawValue: 4)
        static let alternate = Flags(rawValue: 8)
        static let zero = Flags(rawValue: 16)
    }

    struct Spec {
        var ch: Unicode.Scalar = "\0"
        var flags: Flags = []
        var width = -1
        var precision = -1
        /// Whether the result is a number whose sign the padding goes after.
        var sign = false
    }

    let format: [Unicode.Scalar]
    var position = 0
    var count: Int
    var out = String.UnicodeScalarView()

    var items: [PercentArgument]
    var single: PercentArgument?
    var argumentCount: Int
    var argumentIndex: Int
    let lookup: ((String) throws -> PercentArgument)?

    init(format: [Unicode.Scalar], args: PercentArguments) {
        self.format = format
        count = format.count
        switch args {
        case .tuple(let xs):
            items = xs
            argumentCount = xs.count
            argumentIndex = 0
            lookup = nil
        case .single(let x):
            items = []
            single = x
            argumentCount = -1
            argumentIndex = -2
            lookup = nil
        case .mapping(let m, let find):
            items = []
            single = m
            argumentCount = -1
            argumentIndex = -2
            lookup = find
        }
    }

    /// `FORMAT_READ`: past the end is the string's terminating NUL.
    func read() -> Unicode.Scalar { position < format.count ? format[position] : "\0" }

    mutating func run() throws -> String {
        while true {
            count -= 1
            if count < 0 { break }
            if read() != "%" {
                let start = position
                position += 1
                while count >= 0 && read() != "%" {
                    position += 1
                    count -= 1
                }
                if count < 0 { position -= 1 }
                out.append(contentsOf: format[start..<position])
            } else {
                position += 1
                try formatArgument()
            }
        }
        if argumentIndex < argumentCount && lookup == nil {
            throw PythonError.type("not all arguments converted during string formatting")
        }
        return String(out)
    }

    mutating func nextArgument() throws -> PercentArgument {
        guard argumentIndex < argumentCount else { throw PythonError.type("not enough arguments for format string") }
        argumentIndex += 1
        return argumentCount < 0 ? single! : items[argumentIndex - 1]
    }

    /// `unicode_format_arg`.
    mutating func formatArgument() throws {
        var spec = Spec()
        spec.ch = read()
        if spec.ch == "%" {
            position += 1
            count -= 1
            out.append("%")
            return
        }
        try parse(&spec)
        if let text = try convert(&spec) { output(&spec, Array(text.unicodeScalars)) }
        if lookup != nil && argumentIndex < argumentCount {
            throw PythonError.type("not all arguments converted during string formatting")
        }
    }

    /// `unicode_format_arg_parse`: key, flags, width, precision, length modifier.
    mutating func parse(_ spec: inout Spec) throws {
        if spec.ch == "(" {
            guard let lookup = lookup else { throw PythonError.type("format requires a mapping") }
            position += 1
            count -= 1
            let keyStart = position
            var depth = 1
            while depth > 0 {
                count -= 1
                if count < 0 { break }
                spec.ch = read()
                if spec.ch == ")" { depth -= 1 } else if spec.ch == "(" { depth += 1 }
                position += 1
            }
            if count < 0 || depth > 0 { throw PythonError.value("incomplete format key") }
            let key = String(String.UnicodeScalarView(format[keyStart..<(position - 1)]))
            single = try lookup(key)
            argumentCount = -1
            argumentIndex = -2
        }
        while true {
            count -= 1
            if count < 0 { break }
            spec.ch = read()
            position += 1
            switch spec.ch {
            case "-": spec.flags.insert(.leftJustify); continue
            case "+": spec.flags.insert(.sign); continue
            case " ": spec.flags.insert(.blank); continue
            case "#": spec.flags.insert(.alternate); continue
            case "0": spec.flags.insert(.zero); continue
            default: break
            }
            break
        }
        if spec.ch == "*" {
            let v = try nextArgument()
            guard let w = v.integer else { throw PythonError.type("* wants int") }
            spec.width = w
            if w < 0 {
                spec.flags.insert(.leftJustify)
                spec.width = -w
            }
            advance(&spec)
        } else if isDigit(spec.ch) {
            spec.width = digit(spec.ch)
            while true {
                count -= 1
                if count < 0 { break }
                spec.ch = read()
                position += 1
                if !isDigit(spec.ch) { break }
                if spec.width > (Int.max - digit(spec.ch)) / 10 { throw PythonError.value("width too big") }
                spec.width = spec.width * 10 + digit(spec.ch)
            }
        }
        try PythonError.checkLength(spec.width)
        if spec.ch == "." {
            spec.precision = 0
            advance(&spec)
            if spec.ch == "*" {
                let v = try nextArgument()
                guard let p = v.integer else { throw PythonError.type("* wants int") }
                guard let p32 = Int32(exactly: p) else {
                    throw PythonError.overflow("Python int too large to convert to C int")
                }
                spec.precision = max(0, Int(p32))
                advance(&spec)
            } else if isDigit(spec.ch) {
                spec.precision = digit(spec.ch)
                while true {
                    count -= 1
                    if count < 0 { break }
                    spec.ch = read()
                    position += 1
                    if !isDigit(spec.ch) { break }
                    if spec.precision > (Int(Int32.max) - digit(spec.ch)) / 10 {
                        throw PythonError.value("precision too big")
                    }
                    spec.precision = spec.precision * 10 + digit(spec.ch)
                }
            }
        }
        if count >= 0 && (spec.ch == "h" || spec.ch == "l" || spec.ch == "L") { advance(&spec) }
        if count < 0 { throw PythonError.value("incomplete format") }
    }

    /// The next character, if any.
    mutating func advance(_ spec: inout Spec) {
        count -= 1
        if count >= 0 {
            spec.ch = read()
            position += 1
        }
    }

    func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    func digit(_ c: Unicode.Scalar) -> Int { Int(c.value) - 48 }

    /// `unicode_format_arg_format`: the argument converted to text (before
    /// padding), or nil when it was written already.
    mutating func convert(_ spec: inout Spec) throws -> String? {
        let v = try nextArgument()
        switch spec.ch {
        case "s":
            return try v.text ?? v.str()
        case "r":
            return try v.repr()
        case "a":
            return pythonASCII(try v.repr())
        case "i", "d", "u", "o", "x", "X":
            spec.sign = true
            return try formatLong(v, spec)
        case "e", "E", "f", "F", "g", "G":
            spec.sign = true
            guard let x = v.real else { throw PythonError.type("must be real number, not \(v.typeName)") }
            try PythonError.checkLength(spec.precision)
            var flags: FloatToString.Flags = []
            if spec.flags.contains(.alternate) { flags.insert(.alt) }
            return FloatToString.string(x, type: Character(spec.ch), precision: spec.precision < 0 ? 6 : spec.precision,
                                        flags: flags)
        case "c":
            return String(String.UnicodeScalarView([try character(v)]))
        default:
            let c = spec.ch
            let shown = c.value >= 31 && c.value <= 126 ? Character(c) : "?"
            throw PythonError.value("unsupported format character '\(shown)' (0x\(String(c.value, radix: 16))) at index \(position - 1)")
        }
    }

    /// `formatchar`.
    func character(_ v: PercentArgument) throws -> Unicode.Scalar {
        if let s = v.text {
            let scalars = Array(s.unicodeScalars)
            if scalars.count == 1 { return scalars[0] }
            throw PythonError.type("%c requires int or char")
        }
        guard let code = v.integer else { throw PythonError.type("%c requires int or char") }
        guard code >= 0 && code <= 0x10ffff else { throw PythonError.overflow("%c arg not in range(0x110000)") }
        // Swift has no scalar for a lone surrogate; it comes out as U+FFFD.
        return Unicode.Scalar(UInt32(code)) ?? "\u{fffd}"
    }

    /// `mainformatlong` and `_PyUnicode_FormatLong`: "-0x00ff"-style text.
    func formatLong(_ v: PercentArgument, _ spec: Spec) throws -> String {
        let type = spec.ch
        let negative: Bool
        var digits: String
        if let i = v.integer {
            negative = i < 0
            let base = type == "o" ? 8 : (type == "x" || type == "X") ? 16 : 10
            digits = String(i.magnitude, radix: base)
        } else if let n = v.bigInteger {
            negative = n.negative
            let base = type == "o" ? 8 : (type == "x" || type == "X") ? 16 : 10
            // Decimal text is refused past the digit limit, as str(n) is.
            digits = base == 10 ? try n.absoluteValue.decimalString() : String(n.absoluteValue, radix: base)
        } else if let x = v.real {
            if type == "o" || type == "x" || type == "X" {
                throw PythonError.type("%\(Character(type)) format: an integer is required, not \(v.typeName)")
            }
            // int(x): truncation, whose digits may exceed any Int.
            if x.isNaN { throw PythonError.value("cannot convert float NaN to integer") }
            if x.isInfinite { throw PythonError.overflow("cannot convert float infinity to integer") }
            let t = x.rounded(.towardZero)
            negative = t < 0
            digits = FloatToString.string(Swift.abs(t), type: "f", precision: 0, flags: [])
        } else {
            let what = (type == "o" || type == "x" || type == "X") ? "an integer" : "a real number"
            throw PythonError.type("%\(Character(type)) format: \(what) is required, not \(v.typeName)")
        }
        if spec.precision > Int(Int32.max) - 3 { throw PythonError.overflow("precision too large") }
        try PythonError.checkLength(spec.precision)
        if spec.precision > digits.count {
            digits = String(repeating: "0", count: spec.precision - digits.count) + digits
        }
        var prefix = ""
        if spec.flags.contains(.alternate) && (type == "o" || type == "x" || type == "X") {
            prefix = type == "o" ? "0o" : "0x"
        }
        let text = (negative ? "-" : "") + prefix + digits
        return type == "X" ? text.uppercased() : text
    }

    /// `unicode_format_arg_output`: truncation, sign, prefix and padding.
    mutating func output(_ spec: inout Spec, _ text: [Unicode.Scalar]) {
        let fill: Unicode.Scalar = spec.sign && spec.flags.contains(.zero) ? "0" : " "
        var length = text.count
        if (spec.width == -1 || spec.width <= length) && (spec.precision == -1 || spec.precision >= length)
            && !spec.flags.contains(.sign) && !spec.flags.contains(.blank) {
            out.append(contentsOf: text)
            return
        }
        if spec.ch == "s" || spec.ch == "r" || spec.ch == "a" {
            if spec.precision >= 0 && length > spec.precision { length = spec.precision }
        }
        var index = 0
        var signChar: Unicode.Scalar = "\0"
        if spec.sign {
            let first = text.first ?? "\0"
            if first == "-" || first == "+" {
                signChar = first
                length -= 1
                index += 1
            } else if spec.flags.contains(.sign) {
                signChar = "+"
            } else if spec.flags.contains(.blank) {
                signChar = " "
            } else {
                spec.sign = false
            }
        }
        if spec.width < length { spec.width = length }
        if spec.sign {
            if fill != " " { out.append(signChar) }
            if spec.width > length { spec.width -= 1 }
        }
        let prefixed = spec.flags.contains(.alternate) && (spec.ch == "x" || spec.ch == "X" || spec.ch == "o")
        if prefixed {
            if fill != " " {
                out.append(contentsOf: text[index..<(index + 2)])
                index += 2
            }
            spec.width = max(0, spec.width - 2)
            length -= 2
        }
        if spec.width > length && !spec.flags.contains(.leftJustify) {
            out.append(contentsOf: repeatElement(fill, count: spec.width - length))
            spec.width = length
        }
        if fill == " " {
            if spec.sign { out.append(signChar) }
            if prefixed {
                out.append(contentsOf: text[index..<(index + 2)])
                index += 2
            }
        }
        if length > 0 { out.append(contentsOf: text[index..<(index + length)]) }
        if spec.width > length { out.append(contentsOf: repeatElement(" ", count: spec.width - length)) }
    }
}
