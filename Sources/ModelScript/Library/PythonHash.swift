import Foundation

/// CPython's numeric hashes (Python/pyhash.c, `_Py_HashDouble`): reduction
/// modulo the Mersenne prime 2**61 - 1, so that `hash(2.0) == hash(2)`.
/// `random.seed(float)` seeds with the float's hash.
public enum PythonHash {
    static let bits = 61
    static let modulus: UInt64 = (1 << 61) - 1
    static let infinity = 314_159

    /// `hash(x)` for a float. NaN hashes by object identity in CPython 3.10+,
    /// so it has no value here: nil.
    public static func hash(_ v: Double) -> Int? {
        if v.isNaN { return nil }
        if v.isInfinite { return v > 0 ? infinity : -infinity }
        var e: Int32 = 0
        var m = frexp(v, &e)
        var sign: UInt64 = 1
        if m < 0 { sign = UInt64.max; m = -m }  // -1 as an unsigned hash
        var x: UInt64 = 0
        var exponent = Int(e)
        // 28 bits at a time, as CPython does.
        while m != 0 {
            x = ((x << 28) & modulus) | x >> UInt64(bits - 28)
            m *= 268_435_456.0
            exponent -= 28
            let y = UInt64(m)
            m -= Double(y)
            x += y
            if x >= modulus { x -= modulus }
        }
        exponent = exponent >= 0 ? exponent % bits : bits - 1 - ((-1 - exponent) % bits)
        x = ((x << UInt64(exponent)) & modulus) | x >> UInt64(bits - exponent)
        x = x &* sign
        if x == UInt64.max { x = UInt64.max - 1 }  // -1 is reserved for errors: -2
        return Int(bitPattern: UInt(x))
    }

    /// `hash(n)` for an int.
    public static func hash(_ n: Int) -> Int {
        let r = Int(UInt64(n.magnitude) % modulus)
        let h = n < 0 ? -r : r
        return h == -1 ? -2 : h
    }
}
