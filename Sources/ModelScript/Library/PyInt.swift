/// Python's int: unbounded, exact, with Python's semantics for every
/// operator (floor division, two's-complement bitwise operators on negative
/// numbers, correctly rounded conversion to float) and CPython 3.11's
/// messages for what raises.
///
/// The interpreter keeps `Int` on its fast path and switches to `PyInt` only
/// when an operation overflows: `PyInt(i)` is cheap, and `asInt` hands a
/// result back as an `Int` whenever it fits.
///
/// Note [PyInt bounds]: CPython grows an int until memory runs out, which in
/// a debugger means a hung or killed process. Here every result that could
/// grow by more than a bit (`*`, `**`, `<<`, parsing) refuses more than
/// `maxBitLength` bits (2**20, about 315,653 decimal digits, 128 KiB) with a
/// MemoryError; `+`, `-` and `~` grow a result by at most one bit and do not
/// check. Within the bound an operation takes at most a few tenths of a
/// second in an optimized build (a 2**20-bit power, a 2**20-bit by
/// 2**19-bit division). Two operations are slow on small results, and are
/// refused by their cost instead, with a MemoryError too: `pow(a, b, m)`
/// past `modularPowerBudget` (bits of b times the square of m's 64-bit
/// limbs: a 16,384-bit exponent with a 4096-bit modulus, about a second) and
/// the modular inverse of a negative exponent past `inverseBudget` (bits of m
/// times its limbs: a modulus of about 131,000 bits).
/// Decimal text is further limited, as in CPython 3.11, to 4300 digits
/// (`sys.get_int_max_str_digits()`), which keeps conversions to and from
/// decimal short whatever the bound; lifted (`maxStrDigits: 0`), a 2**20-bit
/// int takes about 1.6 s to write in decimal, as `description` does.
public struct PyInt: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// |value| in base 2**64, least significant limb first, without high
    /// zero limbs: zero is the empty array.
    var limbs: [UInt64]
    /// Whether the value is below zero (never true for zero).
    var negative: Bool

    /// The most bits a product, power, left shift or parsed literal may have.
    public static let maxBitLength = 1 << 20

    /// Note [PyInt bounds]: the most `pow(a, b, m)` may cost, in exponent
    /// bits times squared modulus limbs.
    static let modularPowerBudget = 1 << 26

    /// Note [PyInt bounds]: the most a modular inverse may cost, in modulus
    /// bits times modulus limbs.
    static let inverseBudget = 1 << 28

    /// CPython 3.11's default `sys.get_int_max_str_digits()`.
    public static let defaultMaxStrDigits = 4300

    init(negative: Bool, limbs: [UInt64]) {
        var limbs = limbs
        Limbs.normalize(&limbs)
        self.limbs = limbs
        self.negative = negative && !limbs.isEmpty
    }

    public init(_ value: Int) {
        negative = value < 0
        limbs = value == 0 ? [] : [UInt64(value.magnitude)]
    }

    public init<T: BinaryInteger>(_ value: T) {
        var limbs: [UInt64] = []
        var word = UInt64(0), filled = 0
        for w in value.magnitude.words {
            // UInt is 64 bits on every platform Swift builds this for, but
            // stay correct for 32-bit words too.
            word |= UInt64(w) << UInt64(filled)
            filled += UInt.bitWidth
            if filled == 64 {
                limbs.append(word)
                word = 0
                filled = 0
            }
        }
        if filled > 0 { limbs.append(word) }
        self.init(negative: value < 0, limbs: limbs)
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    public static let zero = PyInt(0)
    public static let one = PyInt(1)

    /// The value as an `Int`, when it fits.
    public var asInt: Int? {
        switch limbs.count {
        case 0: return 0
        case 1:
            let m = limbs[0]
            if negative { return m <= UInt64(1) << 63 ? Int(truncatingIfNeeded: 0 &- m) : nil }
            return m <= UInt64(Int.max) ? Int(m) : nil
        default: return nil
        }
    }

    public var isZero: Bool { limbs.isEmpty }

    /// -1, 0 or 1.
    public var signum: Int { limbs.isEmpty ? 0 : negative ? -1 : 1 }

    /// `int.bit_length()`: the bits of |value|.
    public var bitLength: Int { Limbs.bitLength(limbs) }

    /// `int.bit_count()`: the one bits of |value|.
    public var bitCount: Int { limbs.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The decimal text, without CPython's 4300-digit limit: for Swift's own
    /// use (debugging, assertions). Python's `str` and `repr` are
    /// `decimalString()`.
    public var description: String { toString(radix: 10) }

    public static func < (a: PyInt, b: PyInt) -> Bool { compare(a, b) < 0 }

    /// -1, 0 or 1 as `a` is below, equal to or above `b`.
    static func compare(_ a: PyInt, _ b: PyInt) -> Int {
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let c = Limbs.compare(a.limbs, b.limbs)
        return a.negative ? -c : c
    }

    /// -1, 0 or 1 as `self` is below, equal to or above `other`.
    public func compare(to other: Int) -> Int { Self.compare(self, PyInt(other)) }

    /// The MemoryError of Note [PyInt bounds].
    static func tooLarge() -> PythonError {
        PythonError(type: "MemoryError",
                    message: "integer result would have more than \(maxBitLength) bits (the interpreter's limit)")
    }

    /// The MemoryError of Note [PyInt bounds] for an operation refused by its cost.
    static func tooSlow(_ what: String) -> PythonError {
        PythonError(type: "MemoryError", message: "\(what) would take too long (the interpreter's limit)")
    }

    /// Throws when a result of `bits` bits is beyond the bound.
    static func checkBound(_ bits: Int) throws {
        if bits > maxBitLength { throw tooLarge() }
    }
}
