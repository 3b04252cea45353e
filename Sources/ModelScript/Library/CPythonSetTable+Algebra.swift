/// The ways CPython 3.11 builds and combines sets (Objects/setobject.c),
/// each following its C code path — which matters, because two sets with the
/// same keys can iterate differently depending on how they were made. See
/// Note [Set operands] for what the caller passes.
///
/// Note [Set operands]: setobject.c treats an argument differently by what
/// it is, so the interpreter says which:
/// - `.same` when the argument is the receiver object itself (`s | s`,
///   `s -= s`, `s.update(s)`): CPython tests identity, not equality, and an
///   equal but distinct set takes another path (with another resize).
/// - `.set` for any set or frozenset object (a snapshot of its table).
/// - `.dict` for an exact dict (not a subclass, not a view): its keys in
///   dict order with the hashes the dict stored.
/// - `.items` for any other iterable (list, tuple, range, str, generator,
///   dict views), produced on demand so that an unhashable item or a failing
///   iterator stops the operation where CPython's stops.
/// The operators `| & - ^` and their in-place forms take only sets (CPython
/// returns NotImplemented otherwise); the methods take any operand.
extension CPythonSetTable {
    public enum Operand {
        case same
        case set(CPythonSetTable)
        case dict([Entry])
        case items(() throws -> Entry?)

        /// `.items` over entries already hashed.
        public static func iterable<S: Sequence>(_ entries: S) -> Operand where S.Element == Entry {
            var iterator = entries.makeIterator()
            return .items { iterator.next() }
        }

        /// A later argument of a multi-argument method, where `.same` still
        /// means the receiver but the working result is another object.
        func resolvingSame(to receiver: CPythonSetTable) -> Operand {
            if case .same = self { return .set(receiver) }
            return self
        }
    }

    /// `set(x)` and `frozenset(x)` (`make_new_set`). `.same` has no meaning
    /// here. (`frozenset(f)` of an exact frozenset is `f` itself: the
    /// interpreter returns the object.)
    public init(_ operand: Operand, equal: Equal) throws {
        if case .same = operand { preconditionFailure("a new set has no receiver to be the same as") }
        self.init()
        try update(operand, equal: equal)
    }

    /// `s.copy()`, and the copy that `|`, `union`, `-` and others start from
    /// (`set_copy`: a new set merged with this one, which copies the slots
    /// when the table size stays and there are no dummies, and reinserts the
    /// keys in table order otherwise).
    public func copy() -> CPythonSetTable {
        var result = CPythonSetTable()
        // An empty target takes a path that never compares keys.
        result.merge(self) { _, _ in false }
        return result
    }

    // MARK: Union

    /// `s |= t`, `s.update(t)`, and the SET_UPDATE of a display's `*t`
    /// (`set_update_internal`).
    public mutating func update(_ other: Operand, equal: Equal) throws {
        switch other {
        case .same:
            return
        case .set(let table):
            try merge(table, equal: equal)
        case .dict(let keys):
            try merge(dictKeys: keys, equal: equal)
        case .items(let next):
            while let (key, hash) = try next() {
                try add(key, hash: hash, equal: equal)
            }
        }
    }

    /// `s.update(*others)`.
    public mutating func update(_ others: [Operand], equal: Equal) throws {
        for other in others {
            try update(other, equal: equal)
        }
    }

    /// `s | t` (`[t]`) and `s.union(*others)`: a copy updated with each
    /// operand in turn, the receiver itself skipped.
    public func union(_ others: [Operand], equal: Equal) throws -> CPythonSetTable {
        var result = copy()
        for other in others {
            if case .same = other { continue }
            try result.update(other, equal: equal)
        }
        return result
    }

    // MARK: Intersection

    /// `s & t` and `s.intersection(t)` (`set_intersection`). Two sets: the
    /// smaller is iterated (the argument when sizes tie) and its keys are the
    /// ones kept. Anything else is iterated, stopping once every key of the
    /// receiver has been found.
    public func intersection(_ other: Operand, equal: Equal) throws -> CPythonSetTable {
        var result = CPythonSetTable()
        switch other {
        case .same:
            return copy()
        case .set(let table):
            let (iterated, probed) = table.count > count ? (self, table) : (table, self)
            for (key, hash) in iterated.entries {
                if try probed.contains(key, hash: hash, equal: equal) {
                    try result.add(key, hash: hash, equal: equal)
                }
            }
            return result
        case .dict(let keys):
            return try intersection(.iterable(keys), equal: equal)
        case .items(let next):
            while let (key, hash) = try next() {
                guard try contains(key, hash: hash, equal: equal) else { continue }
                try result.add(key, hash: hash, equal: equal)
                if result.count >= count { break }
            }
            return result
        }
    }

    /// `s.intersection(*others)`: no operand is a copy; each further operand
    /// intersects the result so far.
    public func intersection(_ others: [Operand], equal: Equal) throws -> CPythonSetTable {
        guard let first = others.first else { return copy() }
        var result = try intersection(first, equal: equal)
        for other in others.dropFirst() {
            result = try result.intersection(other.resolvingSame(to: self), equal: equal)
        }
        return result
    }

    /// `s &= t` (`[t]`) and `s.intersection_update(*others)`: the
    /// intersection's table replaces this one (`set_swap_bodies`), so even
    /// `s.intersection_update()` rebuilds it as a copy; `pop`'s finger stays.
    public mutating func intersectionUpdate(_ others: [Operand], equal: Equal) throws {
        takeBody(of: try intersection(others, equal: equal))
    }

    // MARK: Difference

    /// `s - t` and `s.difference(t)` (`set_difference`). Against a set or
    /// dict a quarter the receiver's size or smaller, and against any other
    /// iterable: a copy with the operand's keys discarded. Otherwise a new
    /// set of the receiver's keys not in the operand, in table order.
    public func difference(_ other: Operand, equal: Equal) throws -> CPythonSetTable {
        let otherCount: Int
        switch other {
        case .same: otherCount = count
        case .set(let table): otherCount = table.count
        case .dict(let keys): otherCount = keys.count
        case .items: return try copyAndDifference(other, equal: equal)
        }
        if count >> 2 > otherCount {
            return try copyAndDifference(other, equal: equal)
        }
        let probed: CPythonSetTable
        switch other {
        case .set(let table): probed = table
        case .dict(let keys): probed = try CPythonSetTable(.dict(keys), equal: equal)
        default: probed = self
        }
        var result = CPythonSetTable()
        for (key, hash) in entries {
            if try !probed.contains(key, hash: hash, equal: equal) {
                try result.add(key, hash: hash, equal: equal)
            }
        }
        return result
    }

    /// `set_copy_and_difference`.
    private func copyAndDifference(_ other: Operand, equal: Equal) throws -> CPythonSetTable {
        var result = copy()
        try result.differenceUpdate(other, equal: equal)
        return result
    }

    /// `s.difference(*others)`: the first operand as `difference`, the rest
    /// discarded from the result.
    public func difference(_ others: [Operand], equal: Equal) throws -> CPythonSetTable {
        guard let first = others.first else { return copy() }
        var result = try difference(first, equal: equal)
        for other in others.dropFirst() {
            try result.differenceUpdate(other.resolvingSame(to: self), equal: equal)
        }
        return result
    }

    /// `s -= t` and one operand of `s.difference_update` (`set_difference_
    /// update_internal`): `s -= s` clears; otherwise each key is discarded,
    /// and when dummies then fill more than a quarter of the table it is
    /// rebuilt, as after an add that fills it.
    public mutating func differenceUpdate(_ other: Operand, equal: Equal) throws {
        switch other {
        case .same:
            clear()
            return
        case .set(let table):
            // A set more than 8 times larger is first cut down to the
            // intersection (which changes what is compared, not the result).
            let source = table.count >> 3 > count ? try intersection(.set(table), equal: equal) : table
            for (key, hash) in source.entries {
                try discard(key, hash: hash, equal: equal)
            }
        case .dict(let keys):
            for (key, hash) in keys {
                try discard(key, hash: hash, equal: equal)
            }
        case .items(let next):
            while let (key, hash) = try next() {
                try discard(key, hash: hash, equal: equal)
            }
        }
        if fill - count <= mask / 4 { return }
        resize(minUsed: count > 50000 ? count * 2 : count * 4)
    }

    /// `s.difference_update(*others)`; `.same` clears (the receiver is the
    /// set being updated).
    public mutating func differenceUpdate(_ others: [Operand], equal: Equal) throws {
        for other in others {
            try differenceUpdate(other, equal: equal)
        }
    }

    // MARK: Symmetric difference

    /// `s ^= t` and `s.symmetric_difference_update(t)`: each key of the
    /// operand is discarded if present, else added. A dict's keys are walked
    /// directly; another iterable is first made into a set.
    public mutating func symmetricDifferenceUpdate(_ other: Operand, equal: Equal) throws {
        let toggled: [Entry]
        switch other {
        case .same:
            clear()
            return
        case .dict(let keys):
            toggled = keys
        case .set(let table):
            toggled = table.entries
        case .items:
            toggled = try CPythonSetTable(other, equal: equal).entries
        }
        for (key, hash) in toggled {
            if try !discard(key, hash: hash, equal: equal) {
                try add(key, hash: hash, equal: equal)
            }
        }
    }

    /// `s ^ t` and `s.symmetric_difference(t)`: NOTE a new set made from
    /// the *operand*, then updated with the receiver — not the other way.
    public func symmetricDifference(_ other: Operand, equal: Equal) throws -> CPythonSetTable {
        var result = try CPythonSetTable(other.resolvingSame(to: self), equal: equal)
        try result.symmetricDifferenceUpdate(.set(self), equal: equal)
        return result
    }

    // MARK: Displays

    /// `frozenset(list(s))`: the same keys added again in this table's order.
    public func rebuilt(equal: Equal) rethrows -> CPythonSetTable {
        var result = CPythonSetTable()
        for (key, hash) in entries {
            try result.add(key, hash: hash, equal: equal)
        }
        return result
    }

    /// The frozenset constant CPython 3.11 makes of a display of literals
    /// (after constant folding: `-1`, `2**10`, `(1, 'a')` are literals). It
    /// is what `for x in {3, 1, 2}` and comprehensions over such a display
    /// iterate, and what a display of more than two literals is built from.
    ///
    /// The compiler adds the items in order (`PyFrozenSet_New` of a tuple),
    /// then `merge_consts_recursive` rebuilds the frozenset from its own
    /// iteration order: `rebuilds` is 1. Code-object creation rebuilds it
    /// once more (2) when interning changes one of its str items: a str of
    /// at least two ASCII letters, digits or underscores equal to a string
    /// already interned (an identifier of the module, a builtin's name...).
    /// Two equal constant frozensets in one module share the first one's
    /// table; that is the interpreter's to remember.
    public static func constantFrozenset(_ items: [Entry], rebuilds: Int = 1, equal: Equal) rethrows -> CPythonSetTable {
        var result = CPythonSetTable()
        for (key, hash) in items {
            try result.add(key, hash: hash, equal: equal)
        }
        for _ in 0..<rebuilds {
            result = try result.rebuilt(equal: equal)
        }
        return result
    }

    /// A set display without starred items, `{a, b, c}`. Items in order
    /// (BUILD_SET), except that more than two literals compile to an empty
    /// set updated with the frozenset constant (BUILD_SET 0, LOAD_CONST,
    /// SET_UPDATE). A display with `*t` is an add per item and an `update`
    /// per starred operand, in order.
    public static func display(_ items: [Entry], allLiterals: Bool, rebuilds: Int = 1,
                               equal: Equal) rethrows -> CPythonSetTable {
        var result = CPythonSetTable()
        if allLiterals && items.count > 2 {
            try result.merge(constantFrozenset(items, rebuilds: rebuilds, equal: equal), equal: equal)
            return result
        }
        for (key, hash) in items {
            try result.add(key, hash: hash, equal: equal)
        }
        return result
    }
}
