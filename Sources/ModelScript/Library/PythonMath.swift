import Foundation

/// Float arithmetic with CPython's exceptions, for the library code that must
/// fail where Python fails (`random`'s distributions): the `math` functions
/// are glibc's, as in CPython, wrapped the way Modules/mathmodule.c wraps them.
enum PythonMath {
    /// `math_1`: NaN from a non-NaN argument is a domain error; an infinite
    /// result from a finite argument an overflow (or, for functions that
    /// cannot overflow, a domain error).
    private static func checked(_ x: Double, _ r: Double, canOverflow: Bool) throws -> Double {
        if r.isNaN && !x.isNaN { throw PythonError.value("math domain error") }
        if r.isInfinite && x.isFinite {
            throw canOverflow ? PythonError.overflow("math range error") : PythonError.value("math domain error")
        }
        return r
    }

    static func log(_ x: Double) throws -> Double {
        if x.isNaN || (x.isInfinite && x > 0) { return x }
        if x <= 0 { throw PythonError.value("math domain error") }
        return Foundation.log(x)
    }

    static func exp(_ x: Double) throws -> Double { try checked(x, Foundation.exp(x), canOverflow: true) }
    static func sqrt(_ x: Double) throws -> Double { try checked(x, Foundation.sqrt(x), canOverflow: false) }
    static func cos(_ x: Double) throws -> Double { try checked(x, Foundation.cos(x), canOverflow: false) }
    static func sin(_ x: Double) throws -> Double { try checked(x, Foundation.sin(x), canOverflow: false) }
    static func acos(_ x: Double) throws -> Double { try checked(x, Foundation.acos(x), canOverflow: false) }

    /// `a / b` for floats.
    static func divide(_ a: Double, _ b: Double) throws -> Double {
        if b == 0 { throw PythonError.zeroDivision("float division by zero") }
        return a / b
    }

    /// `a % b` for floats: the result takes the sign of `b`.
    static func remainder(_ a: Double, _ b: Double) throws -> Double {
        if b == 0 { throw PythonError.zeroDivision("float modulo") }
        var mod = fmod(a, b)
        if mod != 0 {
            if (b < 0) != (mod < 0) { mod += b }
        } else {
            mod = copysign(0, b)
        }
        return mod
    }

    /// `a ** b` for floats (`float_pow`): the special cases CPython sorts out
    /// before calling the platform's pow.
    static func power(_ base: Double, _ exponent: Double) throws -> Double {
        var iv = base
        let iw = exponent
        func isOddInteger(_ x: Double) -> Bool { fmod(Swift.abs(x), 2.0) == 1.0 }
        if iw == 0 { return 1 }
        if iv.isNaN { return iv }
        if iw.isNaN { return iv == 1 ? 1 : iw }
        if iw.isInfinite {
            iv = Swift.abs(iv)
            if iv == 1 { return 1 }
            return (iw > 0) == (iv > 1) ? Swift.abs(iw) : 0
        }
        if iv.isInfinite {
            let odd = isOddInteger(iw)
            if iw > 0 { return odd ? iv : Swift.abs(iv) }
            return odd ? copysign(0, iv) : 0
        }
        if iv == 0 {
            if iw < 0 { throw PythonError.zeroDivision("0.0 cannot be raised to a negative power") }
            return isOddInteger(iw) ? iv : 0
        }
        var negate = false
        if iv < 0 {
            // A negative base to a fractional power is complex in Python.
            if iw != floor(iw) { throw PythonError.notImplemented("complex result of float ** float") }
            iv = -iv
            negate = isOddInteger(iw)
        }
        if iv == 1 { return negate ? -1 : 1 }
        let r = Foundation.pow(iv, iw)
        if r.isInfinite { throw PythonError.overflow("(34, 'Numerical result out of range')") }
        return negate ? -r : r
    }
}
