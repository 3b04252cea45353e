import Foundation
@testable import ModelScript

/// A Python value as fixtures/python-lib/setorder.json writes it: int, bool,
/// float ({"f": repr}), str, tuple (an array).
indirect enum PyKey: CustomStringConvertible {
    case int(Int)
    case bool(Bool)
    case float(Double)
    case str(String)
    case tuple([PyKey])

    init(_ json: JSON) {
        switch json {
        case .bool(let b): self = .bool(b)
        case .integer(let i): self = .int(i)
        case .string(let s): self = .str(s)
        case .array(let items): self = .tuple(items.map(PyKey.init))
        default:
            guard let repr = json["f"]?.stringValue, let d = Double(repr) else {
                preconditionFailure("not a golden value: \(json.serialized(pretty: false))")
            }
            self = .float(d)
        }
    }

    var hash: Int {
        switch self {
        case .int(let i): return PythonHash.hash(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return PythonHash.hash(d)!
        case .str(let s): return PythonHash.hash(s)
        case .tuple(let items): return PythonHash.hash(tuple: items.map(\.hash))
        }
    }

    var entry: CPythonSetTable<PyKey>.Entry { (self, hash) }

    /// Python's `==`: numbers by value across int, bool and float; strs by
    /// code points (Swift's `==` would equate canonically equivalent ones).
    static func equal(_ a: PyKey, _ b: PyKey) -> Bool {
        switch (a, b) {
        case let (.str(x), .str(y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case let (.tuple(x), .tuple(y)): return x.count == y.count && zip(x, y).allSatisfy(equal)
        case (.str, _), (_, .str), (.tuple, _), (_, .tuple): return false
        default: break
        }
        switch (a.number, b.number) {
        case let (.exact(x), .exact(y)): return x == y
        case let (.inexact(x), .inexact(y)): return x == y
        case let (.exact(i), .inexact(d)), let (.inexact(d), .exact(i)):
            guard let e = Double(exactly: i) else { return false }
            return e == d
        }
    }

    enum Number { case exact(Int), inexact(Double) }

    var number: Number {
        switch self {
        case .int(let i): return .exact(i)
        case .bool(let b): return .exact(b ? 1 : 0)
        case .float(let d): return .inexact(d)
        default: preconditionFailure("not a number")
        }
    }

    /// The same type and value: which of several equal keys the set kept.
    static func same(_ a: PyKey, _ b: PyKey) -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case let (.float(x), .float(y)): return x.bitPattern == y.bitPattern
        case let (.str(x), .str(y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case let (.tuple(x), .tuple(y)): return x.count == y.count && zip(x, y).allSatisfy(same)
        default: return false
        }
    }

    var description: String {
        switch self {
        case .int(let i): return String(i)
        case .bool(let b): return b ? "True" : "False"
        case .float(let d): return pythonRepr(d)
        case .str(let s): return s.debugDescription
        case .tuple(let items):
            return "(" + items.map(\.description).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        }
    }
}

/// Replays one scenario of setorder.json (its format is in
/// tools/make_setorder_goldens.py) on CPythonSetTable, step by step.
struct SetOrderReplay {
    typealias Table = CPythonSetTable<PyKey>

    var vars: [String: Table] = ["a": Table(), "b": Table(), "c": Table()]

    static func equal(_ a: PyKey, _ b: PyKey) -> Bool { PyKey.equal(a, b) }

    static func entries(_ json: JSON?) -> [Table.Entry] {
        (json?.arrayValue ?? []).map { PyKey($0).entry }
    }

    /// An operand as Note [Set operands] describes; `receiver` is the
    /// variable of the set the operation is called on.
    func operand(_ json: JSON, receiver: String?) throws -> Table.Operand {
        if let name = json["var"]?.stringValue {
            return name == receiver ? .same : .set(vars[name]!)
        }
        if let items = json["set"] {
            return .set(try Table(.iterable(Self.entries(items)), equal: Self.equal))
        }
        if let keys = json["dict"] {
            return .dict(Self.entries(keys))
        }
        return .iterable(Self.entries(json["list"]))
    }

    func operands(_ json: JSON?, receiver: String) throws -> [Table.Operand] {
        try (json?.arrayValue ?? []).map { try operand($0, receiver: receiver) }
    }

    /// A new set as a step's "from" describes it.
    func make(_ from: JSON) throws -> Table {
        if from["empty"] != nil { return Table() }
        if let items = from["list"] ?? from["comp"] {
            return try Table(.iterable(Self.entries(items)), equal: Self.equal)
        }
        if let r = from["range"]?.arrayValue?.compactMap(\.goldenInt) {
            let ints = stride(from: r[0], to: r[1], by: r.count > 2 ? r[2] : 1).map { PyKey.int($0).entry }
            return try Table(.iterable(ints), equal: Self.equal)
        }
        if let items = from["display"] {
            return Table.display(Self.entries(items), allLiterals: false, equal: Self.equal)
        }
        if let items = from["const"] {
            return Table.display(Self.entries(items), allLiterals: true,
                                 rebuilds: from["rebuilds"]!.goldenInt!, equal: Self.equal)
        }
        if let pieces = from["star"]?.arrayValue {
            var table = Table()
            for piece in pieces {
                if let item = piece["item"] {
                    let (key, hash) = PyKey(item).entry
                    table.add(key, hash: hash, equal: Self.equal)
                } else {
                    try table.update(operand(piece["star"]!, receiver: nil), equal: Self.equal)
                }
            }
            return table
        }
        if let spec = from["operand"] {
            return try Table(operand(spec, receiver: nil), equal: Self.equal)
        }
        if let name = from["copy"]?.stringValue {
            return vars[name]!.copy()
        }
        if let name = from["frozenset"]?.stringValue {
            return try Table(.set(vars[name]!), equal: Self.equal)
        }
        preconditionFailure("unknown source \(from.serialized(pretty: false))")
    }

    /// What a step leaves: the iteration order it checks, and what pop or
    /// remove returned ("KeyError" when they raised).
    struct Outcome {
        var order: [PyKey]
        var ret: PyKey?
        var error: String?
    }

    mutating func run(_ step: JSON) throws -> Outcome {
        let op = step["op"]!.stringValue!
        let dst = step["dst"]!.stringValue!
        let name = step["name"]?.stringValue ?? ""
        var ret: PyKey?
        var error: String?
        switch op {
        case "new":
            vars[dst] = try make(step["from"]!)
        case "iterconst":
            let table = Table.constantFrozenset(Self.entries(step["values"]), rebuilds: step["rebuilds"]!.goldenInt!,
                                                equal: Self.equal)
            return Outcome(order: table.keys)
        case "add", "discard", "remove":
            let (key, hash) = PyKey(step["key"]!).entry
            if op == "add" {
                vars[dst]!.add(key, hash: hash, equal: Self.equal)
            } else if !vars[dst]!.discard(key, hash: hash, equal: Self.equal) && op == "remove" {
                error = "KeyError"
            }
        case "pop":
            ret = vars[dst]!.pop()
            if ret == nil { error = "KeyError" }
        case "clear":
            vars[dst]!.clear()
        case "binop":
            let lhs = step["lhs"]!.stringValue!
            let table = vars[lhs]!
            let rhs = try operand(step["rhs"]!, receiver: lhs)
            switch name {
            case "|": vars[dst] = try table.union([rhs], equal: Self.equal)
            case "&": vars[dst] = try table.intersection(rhs, equal: Self.equal)
            case "-": vars[dst] = try table.difference(rhs, equal: Self.equal)
            case "^": vars[dst] = try table.symmetricDifference(rhs, equal: Self.equal)
            default: preconditionFailure("unknown operator \(name)")
            }
        case "method":
            let lhs = step["lhs"]!.stringValue!
            let table = vars[lhs]!
            let args = try operands(step["args"], receiver: lhs)
            switch name {
            case "union": vars[dst] = try table.union(args, equal: Self.equal)
            case "intersection": vars[dst] = try table.intersection(args, equal: Self.equal)
            case "difference": vars[dst] = try table.difference(args, equal: Self.equal)
            case "symmetric_difference": vars[dst] = try table.symmetricDifference(args[0], equal: Self.equal)
            case "copy": vars[dst] = table.copy()
            default: preconditionFailure("unknown method \(name)")
            }
        case "inplace":
            let args = try operands(step["args"], receiver: dst)
            switch name {
            case "|=": try vars[dst]!.update(args[0], equal: Self.equal)
            case "&=": try vars[dst]!.intersectionUpdate([args[0]], equal: Self.equal)
            case "-=": try vars[dst]!.differenceUpdate(args[0], equal: Self.equal)
            case "^=": try vars[dst]!.symmetricDifferenceUpdate(args[0], equal: Self.equal)
            case "update": try vars[dst]!.update(args, equal: Self.equal)
            case "intersection_update": try vars[dst]!.intersectionUpdate(args, equal: Self.equal)
            case "difference_update": try vars[dst]!.differenceUpdate(args, equal: Self.equal)
            case "symmetric_difference_update": try vars[dst]!.symmetricDifferenceUpdate(args[0], equal: Self.equal)
            default: preconditionFailure("unknown in-place operation \(name)")
            }
        case "big":
            let n = step["from"]!["weyl"]!.goldenInt!
            vars[dst] = try Table(.iterable((0..<n).map { PyKey.int(Self.weyl($0)).entry }), equal: Self.equal)
        default:
            preconditionFailure("unknown step \(op)")
        }
        return Outcome(order: vars[dst]!.keys, ret: ret, error: error)
    }

    /// The generator's weyl(n) sequence, term k.
    static func weyl(_ k: Int) -> Int {
        Int((UInt64(k + 1) &* 11_400_714_819_323_198_485) >> 2) - (1 << 61)
    }

    /// The generator's checksum of an order of ints.
    static func signature(_ order: [PyKey]) -> UInt64 {
        order.reduce(UInt64(0)) { sig, key in
            guard case .int(let i) = key else { return sig }
            return sig &* 1_000_003 &+ UInt64(bitPattern: Int64(i))
        }
    }

    /// Where the outcome differs from the step's golden, or nil.
    static func mismatch(_ outcome: Outcome, _ step: JSON) -> String? {
        func show(_ keys: [PyKey]) -> String { "[" + keys.map(\.description).joined(separator: ", ") + "]" }
        if let expectedError = step["error"]?.stringValue, outcome.error != expectedError {
            return "expected \(expectedError), got none"
        }
        if step["error"] == nil, let error = outcome.error {
            return "unexpected \(error)"
        }
        if let r = step["ret"], step["error"] == nil {
            let expected = PyKey(r)
            guard let got = outcome.ret, PyKey.same(got, expected) else {
                return "returned \(outcome.ret?.description ?? "nothing"), CPython \(expected)"
            }
        }
        let out = step["out"]!
        if let n = out["n"]?.goldenInt {
            let head = out["head"]!.arrayValue!.map(PyKey.init)
            let sig = UInt64(out["sig"]!.stringValue!)!
            let got = outcome.order
            if got.count != n || !zip(got, head).allSatisfy(PyKey.same) || signature(got) != sig {
                return "order of \(got.count) keys differs (first \(show(Array(got.prefix(8)))), CPython \(show(Array(head.prefix(8)))))"
            }
            return nil
        }
        let expected = out.arrayValue!.map(PyKey.init)
        if expected.count == outcome.order.count && zip(expected, outcome.order).allSatisfy(PyKey.same) {
            return nil
        }
        return "got \(show(outcome.order)), CPython \(show(expected))"
    }
}
