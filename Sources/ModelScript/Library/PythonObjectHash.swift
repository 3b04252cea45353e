/// CPython 3.11's hashes of str, bytes, tuple and frozenset, which decide
/// where those keys sit in a set's table (CPythonSetTable) and so the order
/// a set prints in.
///
/// str and bytes hash with SipHash-1-3 keyed by the interpreter's hash
/// secret (Python/pyhash.c). CPython draws the secret at random unless
/// PYTHONHASHSEED is set; these are the hashes for PYTHONHASHSEED=0, whose
/// secret is all zeros — the setting CPython's own goldens are made with.
extension PythonHash {
    /// `hash(s)`: SipHash-1-3 over the string's internal representation,
    /// one, two or four little-endian bytes per code point as its largest
    /// code point needs (PEP 393's Latin-1, UCS-2, UCS-4), not over UTF-8.
    public static func hash(_ s: String) -> Int {
        let scalars = s.unicodeScalars
        let widest = scalars.reduce(0) { max($0, $1.value) }
        let width = widest < 0x100 ? 1 : widest < 0x1_0000 ? 2 : 4
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * width)
        for scalar in scalars {
            var v = scalar.value
            for _ in 0..<width {
                bytes.append(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
        }
        return hash(bytes: bytes)
    }

    /// `hash(b)` for bytes (`_Py_HashBytes`): 0 for empty input
    /// (Py_HASH_CUTOFF is 0 in 3.11, so no other input is special).
    public static func hash(bytes: [UInt8]) -> Int {
        if bytes.isEmpty { return 0 }
        let x = Int(bitPattern: UInt(SipHash13.hash(bytes, k0: 0, k1: 0)))
        return x == -1 ? -2 : x
    }

    /// `hash(t)` for a tuple of items with these hashes (3.11's
    /// `tuplehash`, after xxHash's round).
    public static func hash(tuple hashes: [Int]) -> Int {
        let prime1: UInt64 = 11_400_714_785_074_694_791
        let prime2: UInt64 = 14_029_467_366_897_019_727
        let prime5: UInt64 = 2_870_177_450_012_600_261
        var acc = prime5
        for h in hashes {
            acc &+= UInt64(bitPattern: Int64(h)) &* prime2
            acc = acc << 31 | acc >> 33
            acc &*= prime1
        }
        // The length, mangled to keep hash(()) what it was before 3.8.
        acc &+= UInt64(hashes.count) ^ (prime5 ^ 3_527_539)
        if acc == UInt64.max { return 1_546_275_796 }
        return Int(bitPattern: UInt(acc))
    }

    /// `hash(f)` for a frozenset of items with these hashes, in any order
    /// (`frozenset_hash`: the null and dummy slots it also folds in cancel
    /// out, leaving the active entries).
    public static func hash(frozenset hashes: [Int]) -> Int {
        func shuffle(_ h: UInt64) -> UInt64 { ((h ^ 89_869_747) ^ (h << 16)) &* 3_644_798_167 }
        var hash: UInt64 = 0
        for h in hashes {
            hash ^= shuffle(UInt64(bitPattern: Int64(h)))
        }
        hash ^= (UInt64(hashes.count) &+ 1) &* 1_927_868_237
        hash ^= (hash >> 11) ^ (hash >> 25)
        hash = hash &* 69069 &+ 907_133_923
        if hash == UInt64.max { hash = 590_923_713 }
        return Int(bitPattern: UInt(hash))
    }
}

/// SipHash-1-3 as Python/pyhash.c computes it: one compression round per
/// 8-byte block, three finalization rounds, and the result folded as
/// `v0 ^ v1 ^ v2 ^ v3`.
enum SipHash13 {
    static func hash(_ bytes: [UInt8], k0: UInt64, k1: UInt64) -> UInt64 {
        var v0 = k0 ^ 0x736f_6d65_7073_6575
        var v1 = k1 ^ 0x646f_7261_6e64_6f6d
        var v2 = k0 ^ 0x6c79_6765_6e65_7261
        var v3 = k1 ^ 0x7465_6462_7974_6573

        func rotate(_ x: UInt64, _ b: UInt64) -> UInt64 { x << b | x >> (64 - b) }
        func sipRound() {
            v0 &+= v1; v2 &+= v3
            v1 = rotate(v1, 13) ^ v0; v3 = rotate(v3, 16) ^ v2
            v0 = rotate(v0, 32)
            v2 &+= v1; v0 &+= v3
            v1 = rotate(v1, 17) ^ v2; v3 = rotate(v3, 21) ^ v0
            v2 = rotate(v2, 32)
        }

        let blocks = bytes.count / 8
        for block in 0..<blocks {
            var m: UInt64 = 0
            for i in 0..<8 { m |= UInt64(bytes[block * 8 + i]) << UInt64(8 * i) }
            v3 ^= m
            sipRound()
            v0 ^= m
        }
        var b = UInt64(truncatingIfNeeded: bytes.count) << 56
        for (i, byte) in bytes[(blocks * 8)...].enumerated() {
            b |= UInt64(byte) << UInt64(8 * i)
        }
        v3 ^= b
        sipRound()
        v0 ^= b
        v2 ^= 0xff
        sipRound()
        sipRound()
        sipRound()
        return (v0 ^ v1) ^ (v2 ^ v3)
    }
}
