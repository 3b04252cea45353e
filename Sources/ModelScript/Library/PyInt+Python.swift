/// `format(n, spec)` and `hash(n)` for ints of any size, beside the `Int`
/// versions they agree with.
extension PythonFormat {
    /// `format(n, spec)`: CPython 3.11's mini-language for ints. Decimal
    /// output (`''`, `d`, `n`, `,`, `_`) is refused past `maxStrDigits`
    /// digits, as `str(n)` is; `b`, `o`, `x` and `X` never are.
    public static func format(_ value: PyInt, spec: String,
                              maxStrDigits: Int = PyInt.defaultMaxStrDigits) throws -> String {
        if let small = value.asInt { return try format(small, spec: spec) }
        if spec.isEmpty { return try value.decimalString(maxStrDigits: maxStrDigits) }
        let parsed = try FormatSpec(spec, defaultType: "d", defaultAlign: ">", typeName: "int")
        switch parsed.type {
        case "b", "c", "d", "o", "x", "X", "n":
            // format_long_internal, for a value beyond a C long.
            if parsed.precision != -1 { throw PythonError.value("Precision not allowed in integer format specifier") }
            if parsed.noNegativeZero {
                throw PythonError.value("Negative zero coercion (z) not allowed in integer format specifier")
            }
            let base: Int, prefix: String
            switch parsed.type {
            case "c":
                if parsed.sign != nil { throw PythonError.value("Sign not allowed with integer format specifier 'c'") }
                if parsed.alternate {
                    throw PythonError.value("Alternate form (#) not allowed with integer format specifier 'c'")
                }
                throw PythonError.overflow("Python int too large to convert to C long")
            case "b": (base, prefix) = (2, "0b")
            case "o": (base, prefix) = (8, "0o")
            case "x", "X": (base, prefix) = (16, "0x")
            default: (base, prefix) = (10, "")
            }
            let magnitude = value.absoluteValue
            let text = base == 10 ? try magnitude.decimalString(maxStrDigits: maxStrDigits)
                                  : magnitude.toString(radix: base)
            return NumberLayout.layout(sign: value.negative ? "-" : nil, prefix: parsed.alternate ? prefix : "",
                                       digits: Array(text.utf8), hasDecimal: false, remainder: "", spec: parsed,
                                       uppercase: parsed.type == "X")
        case "e", "E", "f", "F", "g", "G", "%":
            return try formatFloat(try value.toDouble(), parsed)
        default:
            throw FormatSpec.unknownCode(parsed.type!, "int")
        }
    }
}

extension PythonHash {
    /// `hash(n)` for an int of any size: |n| modulo 2**61 - 1 with n's sign,
    /// -1 becoming -2 (`long_hash`).
    public static func hash(_ n: PyInt) -> Int {
        if let small = n.asInt { return hash(small) }
        // 2**64 = 2**3 * 2**61 ≡ 8 (mod 2**61 - 1)
        var r: UInt64 = 0
        for limb in n.limbs.reversed() {
            r = (r * 8) % modulus  // r < 2**61, so r * 8 < 2**64
            r += limb % modulus
            if r >= modulus { r -= modulus }
        }
        let h = n.negative ? -Int(r) : Int(r)
        return h == -1 ? -2 : h
    }
}

extension PyInt {
    /// `hash(n)`, as CPython computes it.
    public var pythonHash: Int { PythonHash.hash(self) }
}

extension String {
    /// The digits of `value` in `radix`, like `String(_:radix:uppercase:)` for
    /// the standard integer types (no prefix; `-` for a negative value).
    public init(_ value: PyInt, radix: Int = 10, uppercase: Bool = false) {
        self = value.toString(radix: radix, uppercase: uppercase)
    }
}
