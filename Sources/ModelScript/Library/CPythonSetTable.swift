/// CPython 3.11's set table (Objects/setobject.c), slot for slot, so that a
/// set iterates — and prints, and pops — in the order CPython's does.
///
/// A set is an open-addressing hash table: `{5, 100, 37}` prints as written
/// but `set([3, 1, 2])` prints `{1, 2, 3}`, because iteration walks the slots.
/// Which slot a key lands in depends on its hash, on every earlier add and
/// discard (deleted keys leave dummies that later adds reuse), on when the
/// table was resized and on which C function built the set (a copy may copy
/// the slots or reinsert the keys). This type reproduces all of that: the
/// probe sequence (9 linear probes, then `i = i*5 + 1 + perturb`), dummies,
/// `fill` against `used`, the resize rule and `set_table_resize`'s
/// reinsertion, and `pop`'s finger. Set algebra is in
/// CPythonSetTable+Algebra.swift.
///
/// Keys are stored with their Python hash (`PythonHash`); wherever CPython
/// compares keys, the caller's `equal` closure answers as
/// `PyObject_RichCompareBool(stored, probe, Py_EQ)` does: identity first,
/// then `==`. It is only called for keys with equal hashes. The closure must
/// not mutate the set being searched (CPython restarts the search when an
/// `__eq__` does; this type has no such case).
public struct CPythonSetTable<Key> {
    public typealias Equal = (Key, Key) throws -> Bool
    public typealias Entry = (key: Key, hash: Int)

    enum Slot {
        case empty
        /// A deleted key's slot: it keeps probe chains going past it, and
        /// counts towards `fill` until the next resize.
        case dummy
        case active(Key, Int)
    }

    /// PySet_MINSIZE: the table of a new or cleared set.
    static var minSize: Int { 8 }
    /// LINEAR_PROBES: slots tried one after another before jumping.
    static var linearProbes: UInt { 9 }
    /// PERTURB_SHIFT.
    static var perturbShift: UInt { 5 }

    /// `so->table`; its count is a power of two, `mask + 1`.
    private(set) var slots: [Slot]
    /// `so->fill`: active slots plus dummies.
    private(set) var fill = 0
    /// `so->used`: active slots, `len(s)`.
    public private(set) var count = 0
    /// `so->finger`: where `pop` starts looking. Kept across `clear()`,
    /// resizes and in-place intersection, as CPython keeps it.
    private(set) var finger = 0

    var mask: Int { slots.count - 1 }

    /// An empty set: `set()`.
    public init() {
        slots = Array(repeating: .empty, count: Self.minSize)
    }

    public var isEmpty: Bool { count == 0 }

    /// The keys in iteration order (`list(s)`, `print(s)`).
    public var keys: [Key] {
        slots.compactMap { if case .active(let k, _) = $0 { return k } else { return nil } }
    }

    /// The keys with their hashes in iteration order.
    public var entries: [Entry] {
        slots.compactMap { if case .active(let k, let h) = $0 { return (k, h) } else { return nil } }
    }

    // MARK: Lookup

    /// The probe sequence from `hash`: `body` gets each slot index in turn
    /// and returns true to stop. Shared by lookup, add and clean insertion,
    /// as their C loops are the same loop.
    @inline(__always)
    static func probe(_ hash: Int, mask: Int, _ body: (Int) throws -> Bool) rethrows {
        let mask = UInt(mask)
        var perturb = UInt(bitPattern: hash)
        var i = perturb & mask
        while true {
            // Linear probing only when the run fits before the table's end.
            let probes = i + linearProbes <= mask ? linearProbes : 0
            for j in i...(i + probes) {
                if try body(Int(j)) { return }
            }
            perturb >>= perturbShift
            i = (i &* 5 &+ 1 &+ perturb) & mask
        }
    }

    /// `set_lookkey`: the slot holding a key equal to `key`, or nil.
    func index(of key: Key, hash: Int, equal: Equal) rethrows -> Int? {
        var found: Int?
        try Self.probe(hash, mask: mask) { i in
            switch slots[i] {
            case .empty:
                return true
            case .active(let stored, let h) where h == hash:
                if try equal(stored, key) {
                    found = i
                    return true
                }
                return false
            default:
                return false
            }
        }
        return found
    }

    /// `key in s`.
    public func contains(_ key: Key, hash: Int, equal: Equal) rethrows -> Bool {
        try index(of: key, hash: hash, equal: equal) != nil
    }

    /// The stored key equal to `key` (which may differ from it: `1.0` finds
    /// the stored `1`).
    public func member(_ key: Key, hash: Int, equal: Equal) rethrows -> Key? {
        guard let i = try index(of: key, hash: hash, equal: equal), case .active(let k, _) = slots[i] else {
            return nil
        }
        return k
    }

    // MARK: Mutation

    /// `s.add(key)` (`set_add_entry`): an equal key already present stays.
    public mutating func add(_ key: Key, hash: Int, equal: Equal) rethrows {
        var freeSlot: Int?
        var unused: Int?
        var present = false
        try Self.probe(hash, mask: mask) { i in
            switch slots[i] {
            case .empty:
                unused = i
                return true
            case .dummy:
                // NOTE: CPython 3.11 takes the *last* dummy on the probe path.
                freeSlot = i
                return false
            case .active(let stored, let h):
                if h == hash, try equal(stored, key) {
                    present = true
                    return true
                }
                return false
            }
        }
        if present { return }
        if let f = freeSlot {
            // Reusing a dummy changes neither fill nor the need to resize.
            slots[f] = .active(key, hash)
            count += 1
            return
        }
        slots[unused!] = .active(key, hash)
        fill += 1
        count += 1
        if fill * 5 >= mask * 3 {
            resize(minUsed: count > 50000 ? count * 2 : count * 4)
        }
    }

    /// `s.discard(key)` (`set_discard_entry`): whether it was there. The
    /// slot becomes a dummy; the table never shrinks here. `s.remove(key)`
    /// is this plus a KeyError when false.
    @discardableResult
    public mutating func discard(_ key: Key, hash: Int, equal: Equal) rethrows -> Bool {
        guard let i = try index(of: key, hash: hash, equal: equal) else { return false }
        slots[i] = .dummy
        count -= 1
        return true
    }

    /// `s.pop()` (`set_pop`): the first active slot from the finger on,
    /// wrapping around; nil when empty (CPython: KeyError "pop from an
    /// empty set").
    public mutating func pop() -> Key? {
        guard count > 0 else { return nil }
        var i = finger & mask
        while true {
            if case .active(let key, _) = slots[i] {
                slots[i] = .dummy
                count -= 1
                finger = i + 1
                return key
            }
            i = i == mask ? 0 : i + 1
        }
    }

    /// `s.clear()` (`set_clear_internal`): back to the 8-slot table. The
    /// finger stays.
    public mutating func clear() {
        slots = Array(repeating: .empty, count: Self.minSize)
        fill = 0
        count = 0
    }

    // MARK: Resizing

    /// `set_table_resize`: the smallest power of two above `minUsed` (at
    /// least 8), refilled with `set_insert_clean` in old-table order,
    /// dummies dropped. An 8-slot table without dummies asked for 8 slots
    /// stays as it is.
    mutating func resize(minUsed: Int) {
        var newSize = Self.minSize
        while newSize <= minUsed { newSize <<= 1 }
        if newSize == Self.minSize && slots.count == Self.minSize && fill == count { return }
        let old = slots
        slots = Array(repeating: .empty, count: newSize)
        fill = count
        for case .active(let key, let hash) in old {
            Self.insertClean(&slots, key, hash)
        }
    }

    /// `set_insert_clean`: the first empty slot on the probe path, for a
    /// key known to be absent from a table without dummies. Callers count.
    static func insertClean(_ slots: inout [Slot], _ key: Key, _ hash: Int) {
        probe(hash, mask: slots.count - 1) { i in
            guard case .empty = slots[i] else { return false }
            slots[i] = .active(key, hash)
            return true
        }
    }

    // MARK: Merging

    /// `set_merge`: adds every key of `other` (another set object; the
    /// caller skips `s.update(s)`, which CPython treats as a no-op). One
    /// resize up front; into an empty table the slots are copied when the
    /// sizes match and `other` has no dummies, else reinserted cleanly.
    mutating func merge(_ other: CPythonSetTable, equal: Equal) rethrows {
        if other.count == 0 { return }
        if (fill + other.count) * 5 >= mask * 3 {
            resize(minUsed: (count + other.count) * 2)
        }
        if fill == 0 && mask == other.mask && other.fill == other.count {
            slots = other.slots
            fill = other.fill
            count = other.count
            return
        }
        if fill == 0 {
            fill = other.count
            count = other.count
            for case .active(let key, let hash) in other.slots {
                Self.insertClean(&slots, key, hash)
            }
            return
        }
        for case .active(let key, let hash) in other.slots {
            try add(key, hash: hash, equal: equal)
        }
    }

    /// The `set_update_internal` path of an exact dict: one resize for the
    /// dict's size up front, then its keys in dict order.
    mutating func merge(dictKeys: [Entry], equal: Equal) rethrows {
        if (fill + dictKeys.count) * 5 >= mask * 3 {
            resize(minUsed: (count + dictKeys.count) * 2)
        }
        for (key, hash) in dictKeys {
            try add(key, hash: hash, equal: equal)
        }
    }

    /// `set_swap_bodies(self, other)` as in-place intersection uses it:
    /// the table, fill and used move over; the finger does not.
    mutating func takeBody(of other: CPythonSetTable) {
        slots = other.slots
        fill = other.fill
        count = other.count
    }
}

extension CPythonSetTable: Sequence {
    public struct Iterator: IteratorProtocol {
        let slots: [Slot]
        var position = 0

        public mutating func next() -> Key? {
            while position < slots.count {
                defer { position += 1 }
                if case .active(let key, _) = slots[position] { return key }
            }
            return nil
        }
    }

    /// The keys in table order, as `setiter_iternext` walks them.
    public func makeIterator() -> Iterator { Iterator(slots: slots) }

    public var underestimatedCount: Int { count }
}
