import Foundation

/// `repr(x)` and `str(x)` of a float, as CPython 3.11 writes them: the
/// shortest text that reads back as `x`, in exponent form below 1e-4 and from
/// 1e16 up (`1e-05`, `0.0001`, `1e+16`, `inf`, `nan`, `-0.0`).
public func pythonRepr(_ x: Double) -> String {
    FloatToString.string(x, type: "r", precision: 0, flags: [.addDot0])
}

/// CPython's `PyOS_double_to_string` (Python/pystrtod.c): a float as text for
/// a presentation type and precision. The digits are correctly rounded, as
/// `_Py_dg_dtoa`'s are; `format_float_short` then lays them out, and is
/// ported here line for line.
enum FloatToString {
    struct Flags: OptionSet {
        let rawValue: Int
        /// Always write a sign (`Py_DTSF_SIGN`).
        static let sign = Flags(rawValue: 1)
        /// Write `.0` after an integer in fixed notation (`Py_DTSF_ADD_DOT_0`).
        static let addDot0 = Flags(rawValue: 2)
        /// The alternate form, `#` (`Py_DTSF_ALT`).
        static let alt = Flags(rawValue: 4)
        /// Drop the sign of a result that rounds to zero, `z` (`Py_DTSF_NO_NEG_0`).
        static let noNegativeZero = Flags(rawValue: 8)
    }

    /// type: one of "eEfFgGr"; precision as CPython's callers pass it.
    static func string(_ value: Double, type: Character, precision: Int, flags: Flags) -> String {
        var precision = precision
        var upper = false
        let mode: Int
        var code = type
        switch type {
        case "E", "e":
            upper = type == "E"
            code = "e"
            mode = 2
            precision += 1
        case "F", "f":
            upper = type == "F"
            code = "f"
            mode = 3
        case "G", "g":
            upper = type == "G"
            code = "g"
            mode = 2
            if precision == 0 { precision = 1 }
        default:
            code = "r"
            mode = 0
        }
        return formatShort(value, code: code, mode: mode, precision: precision, flags: flags, upper: upper)
    }

    /// `format_float_short`.
    private static func formatShort(_ d: Double, code: Character, mode: Int, precision: Int, flags: Flags,
                                    upper: Bool) -> String {
        var negative = d.sign == .minus
        if d.isNaN || d.isInfinite {
            let text = d.isNaN ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf")
            if d.isNaN { negative = false }  // the sign of a NaN is ignored
            return (negative ? "-" : flags.contains(.sign) ? "+" : "") + text
        }
        let (digits, decimalPoint) = FloatDigits.digits(d, mode: mode, count: precision)
        if flags.contains(.noNegativeZero) && negative && (digits.isEmpty || digits == [UInt8(ascii: "0")]) {
            negative = false
        }
        var decpt = decimalPoint
        let digitsLength = digits.count
        var useExp = false
        let addDot0 = flags.contains(.addDot0), alt = flags.contains(.alt)

        // Where the decimal point goes, and whether to use an exponent.
        var vdigitsEnd = digitsLength
        switch code {
        case "e":
            useExp = true
            vdigitsEnd = precision
        case "f":
            vdigitsEnd = decpt + precision
        case "g":
            if decpt <= -4 || decpt > (addDot0 ? precision - 1 : precision) { useExp = true }
            if alt { vdigitsEnd = precision }
        default:  // "r": exponent form from 1e16 on
            if decpt <= -4 || decpt > 16 { useExp = true }
        }
        var exp = 0
        if useExp {
            exp = decpt - 1
            decpt = 1
        }
        // vdigitsStart < decpt <= vdigitsEnd, or vdigitsStart < decpt <
        // vdigitsEnd with add_dot_0_if_integer and no exponent.
        let vdigitsStart = decpt <= 0 ? decpt - 1 : 0
        if !useExp && addDot0 {
            vdigitsEnd = max(vdigitsEnd, decpt + 1)
        } else {
            vdigitsEnd = max(vdigitsEnd, decpt)
        }

        var out: [UInt8] = []
        out.reserveCapacity(vdigitsEnd - vdigitsStart + 8)
        let zero = UInt8(ascii: "0"), dot = UInt8(ascii: ".")
        if negative {
            out.append(UInt8(ascii: "-"))
        } else if flags.contains(.sign) {
            out.append(UInt8(ascii: "+"))
        }
        // Leading zero padding.
        if decpt <= 0 {
            out += repeatElement(zero, count: decpt - vdigitsStart)
            out.append(dot)
            out += repeatElement(zero, count: -decpt)
        } else {
            out += repeatElement(zero, count: -vdigitsStart)
        }
        // The digits, with the decimal point if it falls among them.
        if 0 < decpt && decpt <= digitsLength {
            out += digits[0..<decpt]
            out.append(dot)
            out += digits[decpt...]
        } else {
            out += digits
        }
        // Trailing zeros.
        if digitsLength < decpt {
            out += repeatElement(zero, count: decpt - digitsLength)
            out.append(dot)
            out += repeatElement(zero, count: vdigitsEnd - decpt)
        } else {
            out += repeatElement(zero, count: vdigitsEnd - digitsLength)
        }
        // A trailing point goes unless the alternate form keeps it.
        if out.last == dot && !alt { out.removeLast() }
        var text = String(decoding: out, as: UTF8.self)
        if useExp {
            // "%+.02d": a sign and at least two digits.
            let magnitude = String(exp.magnitude)
            text += (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        return text
    }
}

/// The digits `_Py_dg_dtoa` returns for a finite double: ASCII digits with no
/// trailing zeros, and the position of the decimal point (the value is
/// 0.DIGITS × 10**decpt). Zero is "0" with decpt 1.
///
/// Mode 0 is the shortest round-trip string (Swift's `description` finds the
/// same digits: the shortest, and among those the closest to the value);
/// modes 2 (n significant digits) and 3 (n digits after the point) are
/// correctly rounded, ties to even, which glibc's printf also guarantees.
enum FloatDigits {
    static func digits(_ d: Double, mode: Int, count: Int) -> ([UInt8], Int) {
        let x = Swift.abs(d)
        if x == 0 { return ([UInt8(ascii: "0")], 1) }
        switch mode {
        case 0: return shortest(x)
        case 2: return parse(printf(x, "%.*e", max(count, 1) - 1))
        default: return parse(printf(x, "%.*f", count))
        }
    }

    private static func shortest(_ x: Double) -> ([UInt8], Int) {
        parse(Array(x.description.utf8))
    }

    /// Digits and decpt of "ddd.ddd", with an optional exponent ("e+16", "e-05").
    private static func parse(_ text: [UInt8]) -> ([UInt8], Int) {
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            mantissa = text[..<e]
        }
        var digits: [UInt8] = []
        var decpt = 0
        var seenPoint = false
        for c in mantissa {
            // Any non-digit is the decimal point, should a locale make it ','.
            if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") { seenPoint = true; continue }
            if !seenPoint { decpt += 1 }
            digits.append(c)
        }
        return normalized(digits, decpt + exponent)
    }

    /// Leading zeros move the point; trailing zeros go. Nothing left (a value
    /// that rounds to zero in mode 3) is no digits at all, as in dtoa.
    private static func normalized(_ digits: [UInt8], _ decpt: Int) -> ([UInt8], Int) {
        var start = 0, decpt = decpt
        while start < digits.count && digits[start] == UInt8(ascii: "0") { start += 1; decpt -= 1 }
        var end = digits.count
        while end > start && digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
        if start == end { return ([], 0) }
        return (Array(digits[start..<end]), decpt)
    }

    /// glibc's correctly rounded conversion of one double.
    private static func printf(_ x: Double, _ format: String, _ precision: Int) -> [UInt8] {
        let capacity = precision + 330
        var buffer = [CChar](repeating: 0, count: capacity)
        let length = withVaList([Int32(clamping: precision), x]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, format, args) }
        }
        return buffer[0..<Int(length)].map { UInt8(bitPattern: $0) }
    }
}
