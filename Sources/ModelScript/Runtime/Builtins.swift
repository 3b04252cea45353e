import Autograd

/// Python's builtins that model scripts may call: `print range len abs float
/// int bool min max sum isinstance` (and `str`, `repr`, `round`, `list`, `tuple`).
enum Builtins {
    static let names: Set<String> = ["print", "range", "len", "abs", "float", "int", "bool", "min", "max",
                                     "sum", "isinstance", "str", "repr", "round", "list", "tuple", "True", "False", "None"]

    static func value(named name: String, interpreter ip: Interpreter) -> Value? {
        guard names.contains(name) else { return nil }
        return .function(Function(name) { [unowned ip] args, kwargs in try call(name, args, kwargs, ip) })
    }

    private static func call(_ name: String, _ args: [Value], _ kwargs: [(String, Value)], _ ip: Interpreter) throws -> Value {
        switch name {
        case "print":
            var sep = " ", end = "\n"
            for (key, value) in kwargs {
                switch (key, value) {
                case ("sep", .string(let s)): sep = s
                case ("end", .string(let s)): end = s
                case ("flush", _): break
                default: throw Raise.type("'\(key)' is an invalid keyword argument for print()")
                }
            }
            ip.write(args.map(ip.str).joined(separator: sep) + end)
            return .none
        case "range":
            let ints = try args.map { v -> Int in
                guard case .int(let i) = v else { throw Raise.type("'\(v.typeName)' object cannot be interpreted as an integer") }
                return i
            }
            switch ints.count {
            case 1: return .range(0, ints[0], 1)
            case 2: return .range(ints[0], ints[1], 1)
            case 3:
                guard ints[2] != 0 else { throw Raise.value("range() arg 3 must not be zero") }
                return .range(ints[0], ints[1], ints[2])
            default: throw Raise.type("range expected at most 3 arguments, got \(ints.count)")
            }
        case "len":
            guard args.count == 1 else { throw Raise.type("len() takes exactly one argument (\(args.count) given)") }
            switch args[0] {
            case .tensor(let t):
                guard t.rank > 0 else { throw Raise.type("len() of a 0-d tensor") }
                return .int(t.shape[0])
            case .range(let a, let b, let s): return .int(Swift.stride(from: a, to: b, by: s).underestimatedCount)
            case .list, .tuple, .size, .string, .namedTuple: return .int(try ip.items(of: args[0]).count)
            case .object(let o as ModuleObject) where o.module is Sequential: return .int(o.module.children.count)
            default: throw Raise.type("object of type '\(args[0].typeName)' has no len()")
            }
        case "abs":
            guard args.count == 1 else { throw Raise.type("abs() takes exactly one argument (\(args.count) given)") }
            switch args[0] {
            case .int(let i): return .int(Swift.abs(i))
            case .float(let d): return .float(Swift.abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .tensor(let t): return .tensor(try t.abs())
            default: throw Raise.type("bad operand type for abs(): '\(args[0].typeName)'")
            }
        case "float":
            guard let v = args.first else { return .float(0) }
            switch v {
            case .int(let i): return .float(Double(i))
            case .float: return v
            case .bool(let b): return .float(b ? 1 : 0)
            case .tensor(let t): return .float(try Builtins.scalar(t))
            case .string(let s):
                let lowered = s.trimmingCharacters(in: .whitespaces).lowercased()
                if ["inf", "+inf", "infinity"].contains(lowered) { return .float(.infinity) }
                if ["-inf", "-infinity"].contains(lowered) { return .float(-.infinity) }
                if lowered == "nan" { return .float(.nan) }
                guard let d = Double(lowered) else { throw Raise.value("could not convert string to float: \(Interpreter.quote(s))") }
                return .float(d)
            default: throw Raise.type("float() argument must be a string or a real number, not '\(v.typeName)'")
            }
        case "int":
            guard let v = args.first else { return .int(0) }
            switch v {
            case .int: return v
            case .float(let d):
                guard d.isFinite else {
                    throw d.isNaN ? Raise.value("cannot convert float NaN to integer") : Raise(type: "OverflowError", message: "cannot convert float infinity to integer")
                }
                guard let i = Int(exactly: d.rounded(.towardZero)) else { throw PythonNumbers.overflow }
                return .int(i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .tensor(let t):
                let v = try Builtins.scalar(t)
                guard v.isFinite else {
                    throw v.isNaN ? Raise.value("cannot convert float NaN to integer") : Raise(type: "OverflowError", message: "cannot convert float infinity to integer")
                }
                guard let i = Int(exactly: v.rounded(.towardZero)) else { throw PythonNumbers.overflow }
                return .int(i)
            case .string(let s):
                guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw Raise.value("invalid literal for int() with base 10: \(Interpreter.quote(s))") }
                return .int(i)
            default: throw Raise.type("int() argument must be a string, a bytes-like object or a real number, not '\(v.typeName)'")
            }
        case "bool":
            guard let v = args.first else { return .bool(false) }
            return .bool(try ip.truthValue(v))
        case "str":
            return .string(args.first.map(ip.str) ?? "")
        case "repr":
            guard args.count == 1 else { throw Raise.type("repr() takes exactly one argument (\(args.count) given)") }
            return .string(ip.repr(args[0]))
        case "round":
            guard let v = args.first, let n = PythonNumbers.number(v) else { throw Raise.type("round() needs a number") }
            if args.count > 1, case .int(let digits) = args[1] {
                let scale = Foundation.pow(10.0, Double(digits))
                return .float((PythonNumbers.double(n) * scale).rounded(.toNearestOrEven) / scale)
            }
            guard let i = Int(exactly: PythonNumbers.double(n).rounded(.toNearestOrEven)) else { throw PythonNumbers.overflow }
            return .int(i)
        case "list":
            return .list(ListBox(try args.first.map { try ip.items(of: $0) } ?? []))
        case "tuple":
            return .tuple(try args.first.map { try ip.items(of: $0) } ?? [])
        case "min", "max":
            let items = args.count == 1 ? try ip.items(of: args[0]) : args
            guard var best = items.first else { throw Raise.value("\(name)() arg is an empty sequence") }
            for item in items.dropFirst() {
                let better = try ip.truthValue(ip.compare(name == "min" ? .lt : .gt, item, best))
                if better { best = item }
            }
            return best
        case "sum":
            guard let iterable = args.first else { throw Raise.type("sum() takes at least 1 positional argument (0 given)") }
            var total: Value = args.count > 1 ? args[1] : .int(0)
            for item in try ip.items(of: iterable) { total = try ip.binary(.add, total, item) }
            return total
        case "isinstance":
            guard args.count == 2 else { throw Raise.type("isinstance expected 2 arguments, got \(args.count)") }
            return .bool(try isInstance(args[0], args[1], ip))
        default:
            throw Raise.unsupported("builtin '\(name)' is not supported in model scripts")
        }
    }

    /// `int(t)` / `float(t)`: one element, or Python's ValueError.
    static func scalar(_ t: Tensor) throws -> Double {
        guard t.numel == 1 else { throw Raise.value("only one element tensors can be converted to Python scalars") }
        return try t.item()
    }

    private static func isInstance(_ value: Value, _ type: Value, _ ip: Interpreter) throws -> Bool {
        if case .tuple(let types) = type { return try types.contains { try isInstance(value, $0, ip) } }
        guard case .function(let f) = type else { throw Raise.type("isinstance() arg 2 must be a type, a tuple of types, or a union") }
        switch (f.name, value) {
        case ("torch.nn.Module", .object(is ModuleObject)): return true
        case (let name, .object(let o as ModuleObject)): return name == "torch.nn.\(o.module.typeName)"
        case ("torch.nn.Parameter", .tensor(let t)): return t.isParameter
        case ("int", .int), ("int", .bool), ("float", .float), ("bool", .bool), ("str", .string),
             ("list", .list), ("tuple", .tuple), ("tuple", .size), ("tuple", .namedTuple),
             ("torch.Tensor", .tensor), ("torch.Size", .size):
            return true
        default:
            return false
        }
    }
}

import Foundation
