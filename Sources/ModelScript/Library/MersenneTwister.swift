/// MT19937 exactly as CPython's Modules/_randommodule.c runs it: the same
/// seeding (`init_by_array` over the 32-bit words of the seed), the same
/// 53-bit floats (`genrand_res53`) and the same `getrandbits` word order, so
/// a seeded generator yields CPython's numbers bit for bit.
///
/// This is the engine only; what `random.Random` builds on it (ranges,
/// samples, distributions) is `PythonRandom`.
public struct MersenneTwister: Sendable {
    private static let n = 624
    private static let m = 397
    private static let matrixA: UInt32 = 0x9908_b0df
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7fff_ffff

    private var state: [UInt32]
    private var index: Int

    /// Seeds with `init_by_array(key)`. CPython's key is the absolute value of
    /// the seed in 32-bit words, least significant first, with no leading
    /// zero words, and `[0]` for zero.
    public init(key: [UInt32]) {
        state = [UInt32](repeating: 0, count: Self.n)
        index = Self.n
        seed(key: key)
    }

    public mutating func seed(key: [UInt32]) {
        let key = key.isEmpty ? [0] : key
        initGenrand(19_650_218)
        let n = Self.n
        var i = 1, j = 0
        for _ in 0..<max(n, key.count) {
            let previous = state[i - 1] ^ (state[i - 1] >> 30)
            state[i] = (state[i] ^ (previous &* 1_664_525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1
            j += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            let previous = state[i - 1] ^ (state[i - 1] >> 30)
            state[i] = (state[i] ^ (previous &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
        }
        state[0] = 0x8000_0000  // MSB is 1, assuring a non-zero initial array
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<Self.n {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = Self.n
    }

    /// `genrand_uint32`: the next 32 random bits.
    public mutating func next() -> UInt32 {
        if index >= Self.n { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let n = Self.n, m = Self.m
        state.withUnsafeMutableBufferPointer { mt in
            func mixed(_ a: Int, _ b: Int) -> UInt32 {
                let y = (mt[a] & Self.upperMask) | (mt[b] & Self.lowerMask)
                return (y >> 1) ^ (y & 1 == 0 ? 0 : Self.matrixA)
            }
            for k in 0..<(n - m) { mt[k] = mt[k + m] ^ mixed(k, k + 1) }
            for k in (n - m)..<(n - 1) { mt[k] = mt[k + m - n] ^ mixed(k, k + 1) }
            mt[n - 1] = mt[m - 1] ^ mixed(n - 1, 0)
        }
        index = 0
    }

    /// `random()`: a float in [0, 1) with 53 random bits (`genrand_res53`).
    public mutating func random() -> Double {
        let a = Double(next() >> 5), b = Double(next() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` as 32-bit words, least significant first: one call of
    /// `next()` per word, the last (most significant) word keeping only the
    /// top bits of its draw. `k` must be positive.
    public mutating func randomWords(bits k: Int) -> [UInt32] {
        precondition(k > 0)
        if k <= 32 { return [next() >> UInt32(32 - k)] }
        var words: [UInt32] = []
        words.reserveCapacity((k - 1) / 32 + 1)
        var left = k
        while left > 0 {
            var r = next()
            if left < 32 { r >>= UInt32(32 - left) }
            words.append(r)
            left -= 32
        }
        return words
    }
}
