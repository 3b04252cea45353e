import Autograd

/// A value as a dict key or set element, hashed and compared as Python does:
/// `1`, `1.0` and `True` are the same key; strings by value; tuples by their
/// elements; tensors, modules and other objects by identity.
struct HashKey: Hashable {
    let value: Value
    /// What the object's own `__hash__` returned.
    private var userHash: Int?
    var userHashValue: Int? { userHash }

    init(_ value: Value) throws {
        try HashKey.check(value)
        self.value = value
        self.userHash = try HashKey.userHash(of: value)
    }

    /// `__hash__` of an instance of a script class, if its class has one
    /// (None there, Python's marker for "unhashable", raises).
    private static func userHash(of value: Value) throws -> Int? {
        guard case .object(let o as InstanceObject) = value, let ip = o.cls.interpreter else { return nil }
        guard let method = o.cls.lookup("__hash__") else { return nil }
        // `__hash__ = object.__hash__`: the identity hash, as without one.
        if case .function(let f) = method, f.name == "object.__hash__" { return nil }
        if case .none = method { throw Raise.type("unhashable type: '\(o.cls.name)'") }
        let result = try ip.call(ip.bind(method, to: value, class: o.cls), [], [])
        switch result {
        case .int(let h): return h
        // A wider int is reduced as hash() reduces it.
        case .bigInt(let n): return PythonHash.hash(n)
        case .bool(let b): return b ? 1 : 0
        default: throw Raise.type("__hash__ method should return an integer")
        }
    }

    private static func check(_ value: Value) throws {
        switch value {
        case .list: throw Raise.type("unhashable type: 'list'")
        case .object(is DictObject): throw Raise.type("unhashable type: 'dict'")
        case .object(let s as SetObject) where !s.frozen: throw Raise.type("unhashable type: 'set'")
        case .tuple(let items): for item in items { try check(item) }
        default: break
        }
    }

    static func == (a: HashKey, b: HashKey) -> Bool {
        if a.userHash != nil || b.userHash != nil {
            guard case .object(let o as InstanceObject) = a.userHash != nil ? a.value : b.value, let ip = o.cls.interpreter else { return false }
            return (try? ip.equals(a.value, b.value)) ?? false
        }
        return same(a.value, b.value)
    }

    private static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.tuple(x), .tuple(y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (.tensor(x), .tensor(y)): return x === y
        case let (.object(x), .object(y)): return x === y
        case let (.dtype(x), .dtype(y)): return x == y
        case let (.gradFn(x), .gradFn(y)): return x === y
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case let (.module(x), .module(y)): return x == y
        case let (.function(x), .function(y)): return x === y
        case let (.size(x), .size(y)): return x == y
        default:
            if let x = PythonNumbers.number(a), let y = PythonNumbers.number(b) {
                return PythonNumbers.numbersEqual(x, y)
            }
            return false
        }
    }

    func hash(into hasher: inout Hasher) {
        if let userHash {
            hasher.combine(Double(userHash))
            return
        }
        switch value {
        // Equal numbers of any type are the same key, so they hash alike.
        case .int(let i): hasher.combine(PythonHash.hash(i))
        case .bigInt(let n): hasher.combine(PythonHash.hash(n))
        case .bool(let b): hasher.combine(b ? 1 : 0)
        case .float(let d): hasher.combine(PythonHash.hash(d) ?? d.bitPattern.hashValue)
        case .string(let s): hasher.combine(s)
        case .tuple(let items): for item in items { HashKey(unchecked: item).hash(into: &hasher) }
        case .tensor(let t): hasher.combine(ObjectIdentifier(t))
        case .object(let o): hasher.combine(ObjectIdentifier(o))
        case .gradFn(let n): hasher.combine(ObjectIdentifier(n))
        case .function(let f): hasher.combine(ObjectIdentifier(f))
        case .dtype(let d): hasher.combine(d.torchName)
        case .module(let m): hasher.combine(m)
        case .size(let dims): hasher.combine(dims)
        default: hasher.combine(0)
        }
    }

    private init(unchecked value: Value) {
        self.value = value
        self.userHash = try? HashKey.userHash(of: value)
    }
}

/// A Python dict: insertion-ordered, keys hashed as `HashKey`.
final class DictObject: ScriptObject {
    private var keysInOrder: [Value?] = []
    private var valuesInOrder: [Value] = []
    private var index: [HashKey: Int] = [:]
    /// `collections.defaultdict`'s factory, called for a missing key.
    var defaultFactory: Value?

    override init(typeName: String = "dict") { super.init(typeName: typeName) }

    var count: Int { index.count }

    var keys: [Value] { keysInOrder.compactMap { $0 } }

    var items: [(Value, Value)] {
        var out: [(Value, Value)] = []
        out.reserveCapacity(index.count)
        for (k, key) in keysInOrder.enumerated() { if let key { out.append((key, valuesInOrder[k])) } }
        return out
    }

    func get(_ key: Value) throws -> Value? {
        guard let i = index[try HashKey(key)] else { return nil }
        return valuesInOrder[i]
    }

    func set(_ key: Value, _ value: Value) throws {
        let hashed = try HashKey(key)
        if let i = index[hashed] {
            valuesInOrder[i] = value
            return
        }
        index[hashed] = keysInOrder.count
        keysInOrder.append(key)
        valuesInOrder.append(value)
    }

    @discardableResult
    func remove(_ key: Value) throws -> Value? {
        guard let i = index.removeValue(forKey: try HashKey(key)) else { return nil }
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

    private func compact() {
        let kept = items
        removeAll()
        for (k, v) in kept { try? set(k, v) }
    }

    func copy() -> DictObject {
        let out = DictObject(typeName: typeName)
        for (k, v) in items { try? out.set(k, v) }
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

    static let equal: Table.Equal = { $0 == $1 }

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
            let iterator = try makeIterator(value)
            return .items { try iterator.next().map(SetObject.entry) }
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

extension HashKey {
    /// CPython's `hash()` of the key where it is reproducible (numbers,
    /// strings with PYTHONHASHSEED=0, tuples and frozensets of those, a
    /// class's own `__hash__`); for a value CPython hashes by address, a
    /// stand-in that keeps sets deterministic (a tensor's creation number).
    var pythonHash: Int { HashKey.pythonHash(of: value, userHash: userHashValue) }

    static func pythonHash(of value: Value, userHash: Int?) -> Int {
        if let userHash { return PythonHash.hash(userHash) }
        switch value {
        case .int(let i): return PythonHash.hash(i)
        case .bigInt(let n): return PythonHash.hash(n)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return PythonHash.hash(d) ?? 0
        case .string(let s): return PythonHash.hash(s)
        case .tuple(let items):
            return PythonHash.hash(tuple: items.map { pythonHash(of: $0, userHash: (try? HashKey.userHash(of: $0)) ?? nil) })
        case .object(let s as SetObject) where s.frozen:
            return PythonHash.hash(frozenset: s.table.entries.map(\.hash))
        case .tensor(let t): return t.id
        case .gradFn(let n): return n.sequenceNr
        default: return HashKeyIdentity.id(of: value)
        }
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
            var hasher = Hasher()
            (try? HashKey(v))?.hash(into: &hasher)
            return hasher.finalize() & 0x7fff_ffff_ffff
        }
    }
}
