import Autograd

/// A value as a dict key or set element, hashed and compared as Python does:
/// `1`, `1.0` and `True` are the same key; strings by value; tuples and
/// frozensets by their elements; instances through their class's `__hash__`
/// and `__eq__`; tensors, modules and other objects by identity.
///
/// The hash is computed once, when the key is made (user `__hash__` inside
/// tuples included, so its errors propagate), and compared before equality,
/// as CPython's tables do: `__eq__` only runs between keys of equal hash.
struct HashKey: Hashable {
    let value: Value
    /// CPython's `hash()` of the value where CPython's is reproducible
    /// (numbers, strings with PYTHONHASHSEED=0, tuples and frozensets of
    /// those, a class's own `__hash__`); for a value CPython hashes by
    /// address, a stand-in that keeps tables deterministic (creation order).
    let pythonHash: Int

    /// Where `==` leaves an error raised by `__eq__`, for the table that
    /// looked the key up (nil: such errors count as "not equal").
    private let errors: KeyErrors?

    init(_ value: Value, errors: KeyErrors? = nil) throws {
        self.value = value
        self.pythonHash = try HashKey.hash(of: value)
        self.errors = errors
    }

    private init(value: Value, pythonHash: Int) {
        self.value = value
        self.pythonHash = pythonHash
        self.errors = nil
    }

    /// The key as a table keeps it: its hash, no error sink.
    var stored: HashKey { HashKey(value: value, pythonHash: pythonHash) }

    private static func hash(of value: Value) throws -> Int {
        switch value {
        case .int(let i): return PythonHash.hash(i)
        case .bigInt(let n): return PythonHash.hash(n)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return PythonHash.hash(d) ?? 0
        case .string(let s): return PythonHash.hash(s)
        case .tuple(let items): return PythonHash.hash(tuple: try items.map(hash(of:)))
        case .size(let dims): return PythonHash.hash(tuple: dims.map(PythonHash.hash))
        case .namedTuple(_, let fields): return PythonHash.hash(tuple: try fields.map { try hash(of: $0.1) })
        case .list: throw Raise.type("unhashable type: 'list'")
        case .object(is DictObject): throw Raise.type("unhashable type: 'dict'")
        case .object(let s as SetObject):
            guard s.frozen else { throw Raise.type("unhashable type: 'set'") }
            return PythonHash.hash(frozenset: s.table.entries.map(\.hash))
        case .object(let o as InstanceObject):
            guard let method = o.cls.lookup("__hash__"), let ip = o.cls.interpreter else { return o.serial }
            // `__hash__ = object.__hash__`: the identity hash, as without one.
            if case .function(let f) = method, f.name == "object.__hash__" { return o.serial }
            if case .none = method { throw Raise.type("unhashable type: '\(o.cls.name)'") }
            switch try ip.call(ip.bind(method, to: value, class: o.cls), [], []) {
            // slot_tp_hash: a 64-bit result as it is (-1 is reserved for
            // errors, so -2), a wider one reduced as hash() reduces ints.
            case .int(let h): return h == -1 ? -2 : h
            case .bigInt(let n): return PythonHash.hash(n)
            case .bool(let b): return b ? 1 : 0
            default: throw Raise.type("__hash__ method should return an integer")
            }
        case .object(let o): return o.serial
        case .tensor(let t): return t.id
        case .gradFn(let n): return n.sequenceNr
        case .range(let a, let b, let s):
            // range_hash: (len, start, step), with start and step left out
            // where they do not decide the elements.
            let count = Interpreter.rangeCount(a, b, s) ?? Int.max
            return PythonHash.hash(tuple: [count, count == 0 ? -1 : a, count <= 1 ? -1 : s].map(PythonHash.hash))
        case .dtype(let d): return PythonHash.hash(d.torchName)
        case .module(let m): return PythonHash.hash(m)
        case .function(let f): return PythonHash.hash(f.name)
        case .none, .ellipsis, .context: return 0
        }
    }


    static func == (a: HashKey, b: HashKey) -> Bool {
        guard a.pythonHash == b.pythonHash else { return false }
        do {
            return try equal(a.value, b.value)
        } catch {
            (a.errors ?? b.errors)?.record(error)
            return false
        }
    }

    /// Python's `==` between keys: identity first, then values, as
    /// `PyObject_RichCompare` after CPython's identity shortcut.
    static func equal(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)) where x === y: return true
        // The identity of a float, as `Interpreter.identical` reads it: a NaN
        // key finds itself.
        case let (.float(x), .float(y)) where x.bitPattern == y.bitPattern: return true
        case (.object(let o as InstanceObject), _), (_, .object(let o as InstanceObject)):
            guard let ip = o.cls.interpreter else { return false }
            return try ip.equals(a, b)
        case let (.tuple(x), .tuple(y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !(try equal(p, q)) { return false }
            return true
        case let (.size(x), .tuple(y)), let (.tuple(y), .size(x)):
            return try equal(.tuple(x.map(Value.int)), .tuple(y))
        case let (.object(x as SetObject), .object(y as SetObject)):
            guard x.count == y.count else { return false }
            for item in x.items where !(try y.contains(item)) { return false }
            return true
        default: return same(a, b)
        }
    }

    /// Equality of keys without user code.
    private static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.tensor(x), .tensor(y)): return x === y
        case let (.object(x), .object(y)): return x === y
        case let (.dtype(x), .dtype(y)): return x == y
        case let (.gradFn(x), .gradFn(y)): return x === y
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case let (.module(x), .module(y)): return x == y
        case let (.function(x), .function(y)): return x === y
        case let (.context(x), .context(y)): return x === y
        case let (.size(x), .size(y)): return x == y
        case let (.range(a1, b1, s1), .range(a2, b2, s2)): return Interpreter.rangesEqual((a1, b1, s1), (a2, b2, s2))
        case let (.namedTuple(_, x), .namedTuple(_, y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0.1, $1.1) }
        default:
            if let x = PythonNumbers.number(a), let y = PythonNumbers.number(b) {
                return PythonNumbers.numbersEqual(x, y)
            }
            return false
        }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(pythonHash) }
}

/// The first error an `__eq__` raised inside `HashKey.==` (which cannot
/// throw), kept by the table that runs the lookup, for it to raise once the
/// lookup returns. Per table, not global: interpreters may run side by side.
final class KeyErrors {
    private var first: Error?

    func record(_ error: Error) {
        if first == nil { first = error }
    }

    /// Raises what an `__eq__` raised during the last table operation.
    func raise() throws {
        if let error = first {
            first = nil
            throw error
        }
    }
}

/// A Python dict: insertion-ordered, keys hashed as `HashKey`.
final class DictObject: ScriptObject {
    private var keysInOrder: [HashKey?] = []
    private var valuesInOrder: [Value] = []
    private var index: [HashKey: Int] = [:]
    private let keyErrors = KeyErrors()
    /// `collections.defaultdict`'s factory, called for a missing key.
    var defaultFactory: Value?

    override init(typeName: String = "dict") { super.init(typeName: typeName) }

    var count: Int { index.count }

    var keys: [Value] { keysInOrder.compactMap { $0?.value } }

    var items: [(Value, Value)] {
        var out: [(Value, Value)] = []
        out.reserveCapacity(index.count)
        for (k, key) in keysInOrder.enumerated() { if let key { out.append((key.value, valuesInOrder[k])) } }
        return out
    }

    func get(_ key: Value) throws -> Value? {
        let found = index[try HashKey(key, errors: keyErrors)]
        try keyErrors.raise()
        return found.map { valuesInOrder[$0] }
    }

    func set(_ key: Value, _ value: Value) throws {
        try set(HashKey(key, errors: keyErrors), value)
    }

    private func set(_ hashed: HashKey, _ value: Value) throws {
        let found = index[hashed]
        try keyErrors.raise()
        if let i = found {
            valuesInOrder[i] = value
            return
        }
        // `dict.fromkeys(range(10**9))` would fill the memory: bounded, as lists are.
        try PythonError.checkLength(index.count + 1)
        // Stored without the sink: only the key being looked up carries it.
        let stored = hashed.stored
        index[stored] = keysInOrder.count
        keysInOrder.append(stored)
        valuesInOrder.append(value)
    }

    @discardableResult
    func remove(_ key: Value) throws -> Value? {
        let found = index.removeValue(forKey: try HashKey(key, errors: keyErrors))
        try keyErrors.raise()
        guard let i = found else { return nil }
        keysInOrder[i] = nil
        let value = valuesInOrder[i]
        valuesInOrder[i] = .none
        if keysInOrder.count > 32 && index.count * 2 < keysInOrder.count { compact() }
        return value
    }

    func removeAll() {
        keysInOrder = []
        valuesInOrder = []
        index = [:]
    }

    /// Drops the holes left by removals; the keys keep their hashes, so no
    /// `__hash__` runs again.
    private func compact() {
        let kept = zip(keysInOrder, valuesInOrder).compactMap { k, v in k.map { ($0, v) } }
        removeAll()
        for (k, v) in kept {
            index[k] = keysInOrder.count
            keysInOrder.append(k)
            valuesInOrder.append(v)
        }
    }

    func copy() -> DictObject {
        let out = DictObject(typeName: typeName)
        // The keys keep their hashes: no `__hash__` runs again.
        out.keysInOrder = keysInOrder
        out.valuesInOrder = valuesInOrder
        out.index = index
        out.defaultFactory = defaultFactory
        return out
    }

    /// `d.update(other)`, `{**other}`: a dict, or pairs.
    func update(from other: Value, _ ip: Interpreter) throws {
        switch other {
        case .object(let d as DictObject):
            for (k, v) in d.items { try set(k, v) }
        default:
            if case .object = other, ip.lookupSpecial(other, "keys") != nil {
                let keys = try ip.items(of: ip.call(ip.lookupSpecial(other, "keys")!, [], []))
                for k in keys { try set(k, try ip.getItem(other, k)) }
                return
            }
            let pairs: [Value]
            do { pairs = try ip.items(of: other) } catch {
                throw Raise.type("'\(ip.typeName(of: other))' object is not iterable")
            }
            for (position, pair) in pairs.enumerated() {
                let parts: [Value]
                do { parts = try ip.items(of: pair) } catch {
                    throw Raise.type("cannot convert dictionary update sequence element #\(position) to a sequence")
                }
                guard parts.count == 2 else {
                    throw Raise.value("dictionary update sequence element #\(position) has length \(parts.count); 2 is required")
                }
                try set(parts[0], parts[1])
            }
        }
    }
}

/// A Python set (or frozenset) over CPython's own hash table
/// (Library/CPythonSetTable), so it iterates and prints in CPython's order:
/// `set([3, 1, 2])` is `{1, 2, 3}`. Keys are `HashKey`s (Python's equality),
/// each with the hash CPython gives it where CPython's is reproducible.
final class SetObject: ScriptObject {
    typealias Table = CPythonSetTable<HashKey>
    private(set) var table = Table()
    let frozen: Bool

    init(frozen: Bool = false, table: Table = Table()) {
        self.frozen = frozen
        self.table = table
        super.init(typeName: frozen ? "frozenset" : "set")
    }

    /// Equality after equal hashes (the table compares those first).
    static let equal: Table.Equal = { try HashKey.equal($0.value, $1.value) }

    var count: Int { table.count }
    var items: [Value] { table.keys.map(\.value) }

    /// A value as the table stores it: its key and CPython's hash.
    static func entry(_ v: Value) throws -> Table.Entry {
        let key = try HashKey(v)
        return (key, key.pythonHash)
    }

    func contains(_ v: Value) throws -> Bool {
        let (key, hash) = try Self.entry(v)
        return try table.contains(key, hash: hash, equal: Self.equal)
    }

    func add(_ v: Value) throws {
        let (key, hash) = try Self.entry(v)
        // `set(range(10**9))` would fill the memory: bounded, as lists are.
        try PythonError.checkLength(count + 1)
        try table.add(key, hash: hash, equal: Self.equal)
    }

    @discardableResult
    func remove(_ v: Value) throws -> Bool {
        let (key, hash) = try Self.entry(v)
        return try table.discard(key, hash: hash, equal: Self.equal)
    }

    func pop() -> Value? { table.pop()?.value }

    func removeAll() { table.clear() }

    func copy(frozen: Bool? = nil) -> SetObject { SetObject(frozen: frozen ?? self.frozen, table: table.copy()) }

    /// How setobject.c sees an argument (Note [Set operands] in Library).
    func operand(_ other: SetObject) -> Table.Operand { other === self ? .same : .set(other.table) }

    func union(_ others: [Table.Operand]) throws -> SetObject {
        SetObject(frozen: frozen, table: try table.union(others, equal: Self.equal))
    }

    func intersection(_ others: [Table.Operand]) throws -> SetObject {
        SetObject(frozen: frozen, table: try table.intersection(others, equal: Self.equal))
    }

    func difference(_ others: [Table.Operand]) throws -> SetObject {
        SetObject(frozen: frozen, table: try table.difference(others, equal: Self.equal))
    }

    func symmetricDifference(_ other: Table.Operand) throws -> SetObject {
        SetObject(frozen: frozen, table: try table.symmetricDifference(other, equal: Self.equal))
    }

    func update(_ others: [Table.Operand]) throws { try table.update(others, equal: Self.equal) }
    func intersectionUpdate(_ others: [Table.Operand]) throws { try table.intersectionUpdate(others, equal: Self.equal) }
    func differenceUpdate(_ others: [Table.Operand]) throws { try table.differenceUpdate(others, equal: Self.equal) }
    func symmetricDifferenceUpdate(_ other: Table.Operand) throws { try table.symmetricDifferenceUpdate(other, equal: Self.equal) }

    func isSubset(of other: SetObject) throws -> Bool {
        try items.allSatisfy { try other.contains($0) }
    }
}

extension Interpreter {
    /// A method's argument as a set operand: a set, a dict's keys, or the
    /// items of any other iterable, hashed as they come.
    func setOperand(_ value: Value, of receiver: SetObject) throws -> SetObject.Table.Operand {
        switch value {
        case .object(let s as SetObject): return receiver.operand(s)
        case .object(let d as DictObject) where d.typeName == "dict":
            return .dict(try d.keys.map(SetObject.entry))
        default:
            // `set(range(10**9))` grew until an allocation failed (an abort):
            // an operand holds at most as many items as a list may, and a
            // range too long for one is refused before any is hashed.
            if case .range(let a, let b, let s) = value, Interpreter.rangeCount(a, b, s).map({ $0 > Interpreter.maxSequence }) ?? true {
                throw Raise(type: "MemoryError", message: "")
            }
            let iterator = try makeIterator(value)
            var taken = 0
            return .items {
                guard let item = try iterator.next() else { return nil }
                taken += 1
                try PythonError.checkLength(taken)
                return try SetObject.entry(item)
            }
        }
    }

    /// `set(iterable)` / `frozenset(iterable)`.
    func makeSet(_ iterable: Value?, frozen: Bool) throws -> SetObject {
        guard let iterable else { return SetObject(frozen: frozen) }
        if frozen, case .object(let s as SetObject) = iterable, s.frozen { return s }
        let operand = try setOperand(iterable, of: SetObject())
        return SetObject(frozen: frozen, table: try SetObject.Table(operand, equal: SetObject.equal))
    }
}

enum HashKeyIdentity {
    /// A stable number standing in for `id()`/`hash()` of a value without identity.
    static func id(of v: Value) -> Int {
        switch v {
        case .int(let i): return PythonHash.hash(i)
        case .float(let d): return PythonHash.hash(d) ?? 0
        case .bool(let b): return b ? 1 : 0
        default:
            return (try? HashKey(v))?.pythonHash ?? 0
        }
    }
}
