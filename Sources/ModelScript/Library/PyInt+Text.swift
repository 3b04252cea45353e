import Foundation

/// Ints to and from text: `int(text, base)` with Python's literal rules
/// (`PyLong_FromUnicodeObject` and `PyLong_FromString` of CPython 3.11),
/// `str`, `hex`, `oct` and `bin`, and CPython 3.11's limit of 4300 digits on
/// decimal (and other non-power-of-two base) conversions.
extension PyInt {
    // MARK: - Writing

    /// The digits of the value in `radix` (2 through 36), with a leading `-`
    /// for a negative value and no prefix: `hex(n)` is `"0x"` and
    /// `String(n.absoluteValue, radix: 16)` after the sign. No digit limit.
    public func toString(radix: Int = 10, uppercase: Bool = false) -> String {
        precondition((2...36).contains(radix), "radix must be 2 through 36")
        if isZero { return "0" }
        var digits: [UInt8] = []  // least significant first
        let alphabet = Array((uppercase ? "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "0123456789abcdefghijklmnopqrstuvwxyz").utf8)
        if radix & (radix - 1) == 0 {
            let bits = radix.trailingZeroBitCount
            let length = bitLength
            var i = 0
            while i < length {
                var digit = 0
                for k in 0..<bits where Limbs.bit(limbs, i + k) { digit |= 1 << k }
                digits.append(alphabet[digit])
                i += bits
            }
        } else {
            let (chunk, perChunk) = Self.chunk(radix)
            var rest = limbs
            while !rest.isEmpty {
                var r: UInt64
                (rest, r) = Limbs.divide(rest, small: chunk)
                for _ in 0..<perChunk {
                    if rest.isEmpty && r == 0 { break }
                    digits.append(alphabet[Int(r % UInt64(radix))])
                    r /= UInt64(radix)
                }
            }
        }
        if negative { digits.append(UInt8(ascii: "-")) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// The largest power of `radix` in a limb, and its exponent.
    private static func chunk(_ radix: Int) -> (power: UInt64, digits: Int) {
        var power = UInt64(radix), digits = 1
        while true {
            let (next, overflow) = power.multipliedReportingOverflow(by: UInt64(radix))
            if overflow { return (power, digits) }
            power = next
            digits += 1
        }
    }

    /// `str(n)` and `repr(n)`: decimal, refused past `maxStrDigits` digits
    /// (0: no limit) as CPython 3.11 refuses past `sys.get_int_max_str_digits()`.
    public func decimalString(maxStrDigits: Int = defaultMaxStrDigits) throws -> String {
        if maxStrDigits > 0 && bitLength > 1 {
            // At least floor((bits - 1) * log10(2)) + 1 digits: refuse a long
            // conversion whose result would be refused anyway.
            let fewest = Int(Double(bitLength - 1) * 0.301029995) + 1
            if fewest > maxStrDigits { throw Self.limitToString(maxStrDigits) }
        }
        let text = toString(radix: 10)
        if maxStrDigits > 0 && text.utf8.count - (negative ? 1 : 0) > maxStrDigits {
            throw Self.limitToString(maxStrDigits)
        }
        return text
    }

    static func limitToString(_ limit: Int) -> PythonError {
        PythonError.value("Exceeds the limit (\(limit) digits) for integer string conversion; "
            + "use sys.set_int_max_str_digits() to increase the limit")
    }

    static func limitToInt(_ limit: Int, digits: Int) -> PythonError {
        PythonError.value("Exceeds the limit (\(limit) digits) for integer string conversion: "
            + "value has \(digits) digits; use sys.set_int_max_str_digits() to increase the limit")
    }

    // MARK: - Reading

    /// `int(text, base)`: nil for an invalid literal (the interpreter raises
    /// ValueError "invalid literal for int() with base B: 'text'", quoting
    /// the text as `repr` does). Base 0 reads a `0x`/`0o`/`0b` prefix, or
    /// decimal without leading zeros. Any script's decimal digits and
    /// Unicode whitespace are accepted, as in Python.
    ///
    /// Throws ValueError for a base outside 2...36 and 0, and for more than
    /// `maxStrDigits` digits (0: no limit) in a base that is not a power of
    /// two; MemoryError beyond Note [PyInt bounds].
    public init?(_ text: String, radix base: Int = 10, maxStrDigits: Int = defaultMaxStrDigits) throws {
        if base != 0 && !(2...36).contains(base) {
            throw PythonError.value("int() base must be >= 2 and <= 36, or 0")
        }
        let s = Self.asciiDigitsAndSpaces(text)
        func at(_ i: Int) -> UInt8 { i < s.count ? s[i] : 0 }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0d).contains(c) }
        func lower(_ c: UInt8) -> UInt8 { c | 0x20 }

        var i = 0
        while isSpace(at(i)) { i += 1 }
        var negative = false
        if at(i) == UInt8(ascii: "+") {
            i += 1
        } else if at(i) == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var radix = base
        var errorIfNonzero = false  // "0777": C's octal, only valid when zero
        if radix == 0 {
            if at(i) != UInt8(ascii: "0") {
                radix = 10
            } else {
                switch lower(at(i + 1)) {
                case UInt8(ascii: "x"): radix = 16
                case UInt8(ascii: "o"): radix = 8
                case UInt8(ascii: "b"): radix = 2
                default:
                    errorIfNonzero = true
                    radix = 10
                }
            }
        }
        if at(i) == UInt8(ascii: "0") {
            let p = lower(at(i + 1))
            if (radix == 16 && p == UInt8(ascii: "x")) || (radix == 8 && p == UInt8(ascii: "o"))
                || (radix == 2 && p == UInt8(ascii: "b")) {
                i += 2
                if at(i) == UInt8(ascii: "_") { i += 1 }  // one underscore may follow the prefix
            }
        }
        if at(i) == UInt8(ascii: "_") { return nil }

        var digits: [UInt8] = []
        var previous: UInt8 = 0
        while true {
            let c = at(i)
            if c == UInt8(ascii: "_") {
                if previous == UInt8(ascii: "_") { return nil }
            } else if let d = Self.digitValue(c), d < radix {
                digits.append(d)
            } else {
                break
            }
            previous = c
            i += 1
        }
        if previous == UInt8(ascii: "_") { return nil }
        let binary = radix & (radix - 1) == 0
        if !binary && maxStrDigits > 0 && digits.count > maxStrDigits {
            throw Self.limitToInt(maxStrDigits, digits: digits.count)
        }
        let nonzero = digits.firstIndex { $0 != 0 }
        if errorIfNonzero && nonzero != nil { return nil }
        if digits.isEmpty { return nil }
        while isSpace(at(i)) { i += 1 }
        if i != s.count { return nil }

        let significant = digits[(nonzero ?? digits.count)...]
        guard !significant.isEmpty else {
            self = .zero
            return
        }
        // The value has more than (count - 1) * log2(radix) bits.
        let fewestBits = Int(Double(significant.count - 1) * Self.log2Table[radix]) + 1
        try Self.checkBound(fewestBits)
        var limbs: [UInt64]
        if binary {
            let bits = radix.trailingZeroBitCount
            limbs = [UInt64](repeating: 0, count: (significant.count * bits + 63) / 64)
            var position = 0
            for d in significant.reversed() {
                let limb = position >> 6, offset = UInt64(position & 63)
                limbs[limb] |= UInt64(d) << offset
                if offset + UInt64(bits) > 64 { limbs[limb + 1] |= UInt64(d) >> (64 - offset) }
                position += bits
            }
            Limbs.normalize(&limbs)
        } else {
            let (_, perChunk) = Self.chunk(radix)
            limbs = []
            var start = significant.startIndex
            while start < significant.endIndex {
                let end = min(start + perChunk, significant.endIndex)
                var value: UInt64 = 0, scale: UInt64 = 1
                for d in significant[start..<end] {
                    value = value * UInt64(radix) + UInt64(d)
                    scale *= UInt64(radix)
                }
                limbs = Limbs.multiply(limbs, small: scale, adding: value)
                start = end
            }
        }
        self.init(negative: negative, limbs: limbs)
        try Self.checkBound(bitLength)
    }

    /// log2(radix), rounded down a little so that bounds computed from it
    /// never refuse a value that fits.
    private static let log2Table: [Double] = (0...36).map { $0 < 2 ? 0 : Foundation.log2(Double($0)) - 1e-9 }

    /// `_PyLong_DigitValue`: 0-9, then a-z and A-Z as 10-35.
    private static func digitValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `_PyUnicode_TransformDecimalAndSpaceToASCII`: ASCII stays, other
    /// whitespace becomes a space and other decimal digits their ASCII
    /// digit; anything else ends the text with a `?` that no literal accepts.
    private static func asciiDigitsAndSpaces(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for c in text.unicodeScalars {
            if c.value < 127 {
                out.append(UInt8(c.value))
            } else if c.properties.isWhitespace {
                out.append(UInt8(ascii: " "))
            } else if let d = FormatSpec.decimalValue(c) {
                out.append(UInt8(ascii: "0") + UInt8(d))
            } else {
                out.append(UInt8(ascii: "?"))
                break
            }
        }
        return out
    }
}
