import Foundation

/// CPython 3.11's `random.Random` (Lib/random.py over `_random.Random`),
/// call for call: the same seed gives the same numbers, the same indices and
/// the same exceptions, with the same draws consumed before an exception.
///
/// Populations are sizes: `choice`, `sample` and `choices` return indices into
/// the caller's sequence, which is what CPython's algorithms compute anyway.
/// Ints are Swift `Int`s; a range may still span all of them
/// (`randrange(Int.min, Int.max)` draws from 2**64 - 1 values, as in Python).
public struct PythonRandom: Sendable {
    private var twister: MersenneTwister
    /// The second normal value of the last `gauss` pair; `seed` forgets it.
    private var gaussNext: Double?

    public init(seed: Int) {
        twister = MersenneTwister(key: Self.words(of: UInt64(seed.magnitude)))
    }

    // MARK: - Seeding

    /// `seed(n)` for an int: all of its bits, sign dropped.
    public mutating func seed(_ n: Int) {
        seed(magnitudeWords: Self.words(of: UInt64(n.magnitude)))
    }

    /// `seed(n)` for an int of any size, given |n| in 32-bit words, least
    /// significant first.
    public mutating func seed(magnitudeWords words: [UInt32]) {
        var key = words
        while key.count > 1, key.last == 0 { key.removeLast() }
        twister.seed(key: key)
        gaussNext = nil
    }

    /// `seed(x)` for a float: seeds with `hash(x)` as an unsigned 64-bit
    /// number. NaN hashes by identity in CPython, so it seeds nothing
    /// reproducible: an error here.
    public mutating func seed(_ x: Double) throws {
        guard let hash = PythonHash.hash(x) else {
            throw PythonError.notImplemented("random.seed(nan) depends on object identity in CPython; seed with a number")
        }
        seed(magnitudeWords: Self.words(of: UInt64(bitPattern: Int64(hash))))
    }

    /// `seed(s)` for a str (version 2): the int whose big-endian bytes are
    /// the UTF-8 text followed by its SHA-512 digest.
    public mutating func seed(_ s: String) {
        let bytes = Array(s.utf8)
        let all = bytes + SHA512.digest(bytes)
        var words: [UInt32] = []
        var i = all.count
        while i > 0 {
            var word: UInt32 = 0
            for j in max(0, i - 4)..<i { word = word << 8 | UInt32(all[j]) }
            words.append(word)
            i -= 4
        }
        seed(magnitudeWords: words)
    }

    private static func words(of magnitude: UInt64) -> [UInt32] {
        magnitude >> 32 == 0 ? [UInt32(magnitude)] : [UInt32(truncatingIfNeeded: magnitude), UInt32(magnitude >> 32)]
    }

    // MARK: - Bits and integers

    /// `random()`: a float in [0, 1).
    public mutating func random() -> Double { twister.random() }

    /// `getrandbits(k)` for k up to 64.
    public mutating func getrandbits(_ k: Int) throws -> UInt64 {
        if k > 64 { throw PythonError.overflow("getrandbits(\(k)) does not fit in 64 bits; use getrandbitsWords") }
        let words = try getrandbitsWords(k)
        return words.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(32 * $1.offset) }
    }

    /// `getrandbits(k)` for any k: the int's 32-bit words, least significant
    /// first (`[0]` for k = 0).
    public mutating func getrandbitsWords(_ k: Int) throws -> [UInt32] {
        if k < 0 { throw PythonError.value("number of bits must be non-negative") }
        if k == 0 { return [0] }
        return twister.randomWords(bits: k)
    }

    /// `_randbelow(n)`: an int in [0, n), by `getrandbits(n.bit_length())`
    /// with rejection. n must be positive.
    public mutating func randbelow(_ n: UInt64) -> UInt64 {
        precondition(n > 0, "randbelow needs a positive bound")
        return randbelow(upTo: n - 1)
    }

    /// `_randbelow(max + 1)`, so that n = 2**64 is expressible.
    private mutating func randbelow(upTo max: UInt64) -> UInt64 {
        if max == UInt64.max {
            // n = 2**64 has 65 bits: draw 65, keep the draws below 2**64.
            while true {
                let words = twister.randomWords(bits: 65)
                if words[2] == 0 { return UInt64(words[0]) | UInt64(words[1]) << 32 }
            }
        }
        let n = max + 1
        let k = 64 - n.leadingZeroBitCount
        while true {
            let words = twister.randomWords(bits: k)
            let r = words.count == 1 ? UInt64(words[0]) : UInt64(words[0]) | UInt64(words[1]) << 32
            if r < n { return r }
        }
    }

    /// `randrange(stop)` (stop nil: `randrange(start)`) and
    /// `randrange(start, stop[, step])`.
    public mutating func randrange(_ start: Int, _ stop: Int? = nil, step: Int = 1) throws -> Int {
        guard let stop = stop else {
            if step != 1 { throw PythonError.type("Missing a non-None stop argument") }
            if start > 0 { return Int(randbelow(UInt64(start))) }
            throw PythonError.value("empty range for randrange()")
        }
        // width = stop - start, exactly: a sign and a 64-bit magnitude.
        let negative = stop < start
        let width = negative ? UInt64(bitPattern: Int64(start &- stop)) : UInt64(bitPattern: Int64(stop &- start))
        if step == 1 {
            if !negative && width > 0 { return offset(start, 1, randbelow(width)) }
            throw PythonError.value("empty range for randrange() (\(start), \(stop), \(negative ? "-" : "")\(width))")
        }
        if step == 0 { throw PythonError.value("zero step for randrange()") }
        // n = ceil(|width| / |step|) when width and step agree in sign.
        guard (step > 0) == !negative, width > 0 else { throw PythonError.value("empty range for randrange()") }
        let s = step.magnitude
        let n = width / UInt64(s) + (width % UInt64(s) == 0 ? 0 : 1)
        return offset(start, step, randbelow(n))
    }

    /// `randint(a, b)`: `randrange(a, b + 1)`, also for b = Int.max.
    public mutating func randint(_ a: Int, _ b: Int) throws -> Int {
        if b < Int.max { return try randrange(a, b + 1) }
        return offset(a, 1, randbelow(upTo: UInt64(bitPattern: Int64(b &- a))))
    }

    /// start + step * r, which lies in the range and so fits an Int.
    private func offset(_ start: Int, _ step: Int, _ r: UInt64) -> Int {
        Int(bitPattern: UInt(UInt64(bitPattern: Int64(start)) &+ UInt64(bitPattern: Int64(step)) &* r))
    }

    // MARK: - Sequences

    /// `choice(seq)` for a sequence of `count` items: the index chosen.
    public mutating func choice(count: Int) throws -> Int {
        if count <= 0 { throw PythonError.index("Cannot choose from an empty sequence") }
        return Int(randbelow(UInt64(count)))
    }

    /// `shuffle(x)`, in place.
    public mutating func shuffle<T>(_ x: inout [T]) {
        var i = x.count - 1
        while i >= 1 {
            let j = Int(randbelow(UInt64(i + 1)))
            x.swapAt(i, j)
            i -= 1
        }
    }

    /// `sample(population, k, counts=counts)` for a population of
    /// `populationSize` items: the indices chosen, in selection order.
    public mutating func sample(populationSize n: Int, k: Int, counts: [Int]? = nil) throws -> [Int] {
        if let counts = counts {
            var cumulative: [Int] = []
            var total = 0
            for c in counts { total += c; cumulative.append(total) }
            if cumulative.count != n { throw PythonError.value("The number of counts does not match the population") }
            cumulative.removeLast()
            if total <= 0 { throw PythonError.value("Total of counts must be greater than zero") }
            let selections = try sample(populationSize: total, k: k)
            return selections.map { s in Self.bisectRight(cumulative, s) }
        }
        if !(0 <= k && k <= n) { throw PythonError.value("Sample larger than population or is negative") }
        var result = [Int](repeating: 0, count: k)
        var setsize = 21  // size of a small set minus size of an empty list
        if k > 5 {
            let exponent = ceil(log(Double(k * 3)) / log(4.0))
            setsize = exponent >= 31 ? Int.max : setsize + (1 << (2 * Int(exponent)))
        }
        if n <= setsize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = Int(randbelow(UInt64(n - i)))
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]  // move a non-selected item into the vacancy
            }
        } else {
            var selected = Set<Int>()
            for i in 0..<k {
                var j = Int(randbelow(UInt64(n)))
                while selected.contains(j) { j = Int(randbelow(UInt64(n))) }
                selected.insert(j)
                result[i] = j
            }
        }
        return result
    }

    /// `choices(population, weights, cum_weights=..., k=k)` for a population
    /// of `populationSize` items: the k indices chosen, with replacement.
    /// Without weights an index is floor(random() * n); for an empty
    /// population that is 0, and the caller's `population[0]` raises, as in
    /// Python. Weights are summed as floats, in order, as `accumulate` sums
    /// Python floats (int weights sum exactly below 2**53).
    public mutating func choices(populationSize n: Int, weights: [Double]? = nil, cumWeights: [Double]? = nil,
                                 k: Int = 1) throws -> [Int] {
        var cumulative: [Double]
        if let cumWeights = cumWeights {
            if weights != nil { throw PythonError.type("Cannot specify both weights and cumulative weights") }
            cumulative = cumWeights
        } else if let weights = weights {
            cumulative = []
            var sum = 0.0
            for w in weights { sum += w; cumulative.append(sum) }
        } else {
            let size = Double(n)
            return (0..<max(k, 0)).map { _ in Int(floor(random() * size)) }
        }
        if cumulative.count != n { throw PythonError.value("The number of weights does not match the population") }
        guard let last = cumulative.last else { throw PythonError.index("list index out of range") }
        let total = last + 0.0
        if total <= 0.0 { throw PythonError.value("Total of weights must be greater than zero") }
        if !total.isFinite { throw PythonError.value("Total of weights must be finite") }
        let hi = n - 1
        return (0..<max(k, 0)).map { _ in Self.bisectRight(cumulative, random() * total, hi: hi) }
    }

    /// `bisect.bisect_right(a, x, 0, hi)`.
    private static func bisectRight<T: Comparable>(_ a: [T], _ x: T, hi: Int? = nil) -> Int {
        var lo = 0, hi = hi ?? a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if x < a[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    // MARK: - Distributions

    private static let twoPi = 2.0 * Double.pi
    private static let nvMagic = 4 * Foundation.exp(-0.5) / Foundation.sqrt(2.0)
    private static let log4 = Foundation.log(4.0)
    private static let sgMagic = 1.0 + Foundation.log(4.5)
    private static let e = M_E

    /// `uniform(a, b)`: a + (b - a) * random().
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * random() }

    /// `triangular(low, high, mode)`; mode nil is the midpoint.
    public mutating func triangular(low: Double = 0, high: Double = 1, mode: Double? = nil) throws -> Double {
        var u = random()
        var c = 0.5, low = low, high = high
        if let mode = mode {
            if high - low == 0 { return low }  // Python catches the ZeroDivisionError
            c = (mode - low) / (high - low)
        }
        if u > c {
            u = 1.0 - u
            c = 1.0 - c
            swap(&low, &high)
        }
        return low + (high - low) * (try PythonMath.sqrt(u * c))
    }

    /// `normalvariate(mu, sigma)`: Kinderman and Monahan's ratio method.
    public mutating func normalvariate(mu: Double = 0, sigma: Double = 1) throws -> Double {
        var z: Double
        while true {
            let u1 = random()
            let u2 = 1.0 - random()
            z = Self.nvMagic * (u1 - 0.5) / u2
            let zz = z * z / 4.0
            if zz <= -(try PythonMath.log(u2)) { break }
        }
        return mu + z * sigma
    }

    /// `gauss(mu, sigma)`: Box-Muller, one value of each pair kept for the
    /// next call.
    public mutating func gauss(mu: Double = 0, sigma: Double = 1) throws -> Double {
        var z: Double
        if let next = gaussNext {
            z = next
            gaussNext = nil
        } else {
            let x2pi = random() * Self.twoPi
            let g2rad = try PythonMath.sqrt(-2.0 * (try PythonMath.log(1.0 - random())))
            z = try PythonMath.cos(x2pi) * g2rad
            gaussNext = try PythonMath.sin(x2pi) * g2rad
        }
        return mu + z * sigma
    }

    /// `lognormvariate(mu, sigma)`: exp of a normal variate.
    public mutating func lognormvariate(mu: Double, sigma: Double) throws -> Double {
        try PythonMath.exp(try normalvariate(mu: mu, sigma: sigma))
    }

    /// `expovariate(lambd)`. A zero lambd raises after drawing, as in Python.
    public mutating func expovariate(_ lambd: Double) throws -> Double {
        try PythonMath.divide(-(try PythonMath.log(1.0 - random())), lambd)
    }

    /// `vonmisesvariate(mu, kappa)`.
    public mutating func vonmisesvariate(mu: Double, kappa: Double) throws -> Double {
        if kappa <= 1e-6 { return Self.twoPi * random() }
        let s = 0.5 / kappa
        let r = s + (try PythonMath.sqrt(1.0 + s * s))
        var z: Double
        while true {
            let u1 = random()
            z = try PythonMath.cos(Double.pi * u1)
            let d = try PythonMath.divide(z, r + z)
            let u2 = random()
            if u2 < 1.0 - d * d { break }
            if u2 <= (1.0 - d) * (try PythonMath.exp(d)) { break }
        }
        let q = 1.0 / r
        let f = try PythonMath.divide(q + z, 1.0 + q * z)
        let u3 = random()
        if u3 > 0.5 { return try PythonMath.remainder(mu + (try PythonMath.acos(f)), Self.twoPi) }
        return try PythonMath.remainder(mu - (try PythonMath.acos(f)), Self.twoPi)
    }

    /// `gammavariate(alpha, beta)`: Cheng's method for alpha > 1, Ahrens and
    /// Dieter's for alpha < 1.
    public mutating func gammavariate(alpha: Double, beta: Double) throws -> Double {
        if alpha <= 0.0 || beta <= 0.0 { throw PythonError.value("gammavariate: alpha and beta must be > 0.0") }
        if alpha > 1.0 {
            let ainv = try PythonMath.sqrt(2.0 * alpha - 1.0)
            let bbb = alpha - Self.log4
            let ccc = alpha + ainv
            while true {
                let u1 = random()
                if !(1e-7 < u1 && u1 < 0.9999999) { continue }
                let u2 = 1.0 - random()
                let v = try PythonMath.divide(try PythonMath.log(u1 / (1.0 - u1)), ainv)
                let x = alpha * (try PythonMath.exp(v))
                let z = u1 * u1 * u2
                let r = bbb + ccc * v - x
                if r + Self.sgMagic - 4.5 * z >= 0.0 { return x * beta }
                if r >= (try PythonMath.log(z)) { return x * beta }
            }
        }
        if alpha == 1.0 { return -(try PythonMath.log(1.0 - random())) * beta }
        var x: Double
        while true {
            let u = random()
            let b = (Self.e + alpha) / Self.e
            let p = b * u
            if p <= 1.0 {
                x = try PythonMath.power(p, 1.0 / alpha)
            } else {
                x = -(try PythonMath.log((b - p) / alpha))
            }
            let u1 = random()
            if p > 1.0 {
                if u1 <= (try PythonMath.power(x, alpha - 1.0)) { break }
            } else if u1 <= (try PythonMath.exp(-x)) {
                break
            }
        }
        return x * beta
    }

    /// `betavariate(alpha, beta)`, from two gamma variates.
    public mutating func betavariate(alpha: Double, beta: Double) throws -> Double {
        let y = try gammavariate(alpha: alpha, beta: 1.0)
        if y != 0 { return try PythonMath.divide(y, y + (try gammavariate(alpha: beta, beta: 1.0))) }
        return 0.0
    }

    /// `paretovariate(alpha)`.
    public mutating func paretovariate(_ alpha: Double) throws -> Double {
        let u = 1.0 - random()
        return try PythonMath.power(u, try PythonMath.divide(-1.0, alpha))
    }

    /// `weibullvariate(alpha, beta)`.
    public mutating func weibullvariate(alpha: Double, beta: Double) throws -> Double {
        let u = 1.0 - random()
        return alpha * (try PythonMath.power(-(try PythonMath.log(u)), try PythonMath.divide(1.0, beta)))
    }
}
