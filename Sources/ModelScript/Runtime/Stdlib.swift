import Autograd
import Foundation

/// The parts of Python's standard library scripts use: `math`, `random`
/// (CPython's Mersenne Twister), `sys`, `time`, `collections`, `itertools`,
/// `functools`, `typing`, `warnings`, `copy`.
extension Interpreter {
    func pythonModuleAttribute(_ module: String, _ name: String) throws -> Value {
        func function(_ body: @escaping ([Value], [(String, Value)]) throws -> Value) -> Value {
            .function(Function("\(module).\(name)", body))
        }
        switch module {
        case "math": return try mathAttribute(name, function)
        case "random": return try randomAttribute(name, function)
        case "sys":
            switch name {
            case "argv": return .list(ListBox([.string(path)]))
            case "version": return .string("3.11.7 (autograd-viz)")
            case "version_info": return .tuple([.int(3), .int(11), .int(7), .string("final"), .int(0)])
            case "platform": return .string("linux")
            case "maxsize": return .int(Int.max)
            case "stdout", "stderr": return .object(StreamObject(name: name))
            case "float_info":
                return .namedTuple(name: "sys.float_info", fields: [("max", .float(Double.greatestFiniteMagnitude)),
                                                                     ("min", .float(Double.leastNormalMagnitude)),
                                                                     ("epsilon", .float(Double.ulpOfOne))])
            case "exit":
                return function { args, _ in
                    throw Raise(type: "SystemExit", message: try args.first.map { try self.str($0) } ?? "", args: args.isEmpty ? [] : [args[0]])
                }
            case "getrecursionlimit": return function { _, _ in .int(Interpreter.maxCallDepth) }
            case "setrecursionlimit":
                return function { _, _ in throw Raise.unsupported("sys.setrecursionlimit is not supported by autograd-viz (the limit is \(Interpreter.maxCallDepth))") }
            case "modules": return .object(DictObject())
            default: break
            }
        case "time":
            switch name {
            case "time": return function { _, _ in .float(Date().timeIntervalSince1970) }
            case "perf_counter", "monotonic", "process_time":
                return function { _, _ in .float(Double(DispatchTime.now().uptimeNanoseconds) / 1e9) }
            case "perf_counter_ns", "time_ns", "monotonic_ns":
                return function { _, _ in .int(Int(DispatchTime.now().uptimeNanoseconds)) }
            case "sleep": return function { _, _ in .none }
            default: break
            }
        case "collections": return try collectionsAttribute(name, function)
        case "itertools": return try itertoolsAttribute(name, function)
        case "functools":
            switch name {
            case "partial":
                return function { args, kwargs in
                    guard let f = args.first else { throw Raise.type("type 'partial' takes at least one argument") }
                    return .object(PartialObject(function: f, args: Array(args.dropFirst()), kwargs: kwargs))
                }
            case "reduce":
                return function { [unowned self] args, _ in
                    guard args.count >= 2 else { throw Raise.type("reduce expected at least 2 arguments, got \(args.count)") }
                    let iterator = try self.makeIterator(args[1])
                    var accumulated: Value
                    if args.count > 2 {
                        accumulated = args[2]
                    } else {
                        guard let first = try iterator.next() else { throw Raise.type("reduce() of empty iterable with no initial value") }
                        accumulated = first
                    }
                    while let item = try iterator.next() { accumulated = try self.call(args[0], [accumulated, item], []) }
                    return accumulated
                }
            case "wraps":
                // Copies the wrapped function's name and docstring onto the wrapper.
                return function { [unowned self] args, _ in
                    guard let wrapped = args.first else { throw Raise.type("wraps() missing 1 required positional argument: 'wrapped'") }
                    return .function(Function("wraps") { [unowned self] args, _ in
                        guard let wrapper = args.first else { return .none }
                        if case .object(let f as FunctionObject) = wrapper {
                            for key in ["__name__", "__qualname__", "__doc__", "__module__"] {
                                if let v = try? self.getAttribute(wrapped, key) { f.attributes[key] = v }
                            }
                            f.attributes["__wrapped__"] = wrapped
                        }
                        return wrapper
                    })
                }
            case "lru_cache", "cache":
                return function { [unowned self] args, kwargs in
                    if let f = args.first, self.isCallable(f) { return .object(CachedFunction(f, maxsize: 128)) }
                    var maxsize: Int? = 128
                    switch args.first ?? kwargs.first(where: { $0.0 == "maxsize" })?.1 ?? .int(128) {
                    case .none: maxsize = nil
                    case .int(let n): maxsize = max(n, 0)
                    case let other: throw Raise.type("Expected first argument to be an integer, a callable, or None, not \(self.typeName(of: other))")
                    }
                    return .function(Function("lru_cache") { args, _ in
                        guard let f = args.first else { return .none }
                        return .object(CachedFunction(f, maxsize: maxsize))
                    })
                }
            default: break
            }
        case "typing", "__future__":
            // Annotations are never evaluated; names used elsewhere stand for `object`.
            return .object(classes.object)
        case "warnings":
            switch name {
            case "warn":
                return function { [unowned self] args, kwargs in
                    let message = try args.first.map { try self.str($0) } ?? ""
                    var category = "UserWarning"
                    if args.count > 1, case .object(let cls as ClassObject) = args[1] { category = cls.name }
                    if case .object(let cls as ClassObject)? = kwargs.first(where: { $0.0 == "category" })?.1 { category = cls.name }
                    self.warn("\(category): \(message)")
                    return .none
                }
            case "filterwarnings", "simplefilter", "resetwarnings": return function { _, _ in .none }
            default: break
            }
        case "copy":
            switch name {
            case "copy", "deepcopy":
                return function { [unowned self] args, _ in try self.copyValue(Self.one(args, name), deep: name == "deepcopy") }
            default: break
            }
        default: break
        }
        throw Raise.attribute("module '\(module)' has no attribute '\(name)'")
    }

    /// `copy.copy` / `copy.deepcopy` of containers (tensors are cloned by deepcopy).
    private func copyValue(_ value: Value, deep: Bool) throws -> Value {
        guard deep else { return try copyOnce(value, deep: false) }
        return try nested("while calling a Python object") { try copyOnce(value, deep: true) }
    }

    private func copyOnce(_ value: Value, deep: Bool) throws -> Value {
        switch value {
        case .list(let box): return .list(ListBox(deep ? try box.items.map { try copyValue($0, deep: true) } : box.items))
        case .tuple(let items) where deep: return .tuple(try items.map { try copyValue($0, deep: true) })
        case .object(let d as DictObject):
            let out = DictObject()
            for (k, v) in d.items { try out.set(k, deep ? try copyValue(v, deep: true) : v) }
            return .object(out)
        case .object(let s as SetObject): return .object(s.copy())
        case .tensor(let t) where deep: return .tensor(try t.clone().detach())
        case .object(let o as InstanceObject):
            let out = InstanceObject(o.cls)
            for (k, v) in o.attributes { out.attributes[k] = deep ? try copyValue(v, deep: true) : v }
            return .object(out)
        case .object(is ModuleObject) where deep:
            throw Raise.unsupported("copy.deepcopy of a module is not supported by autograd-viz")
        default: return value
        }
    }

    // MARK: math

    private func mathAttribute(_ name: String, _ function: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) throws -> Value {
        func real(_ v: Value) throws -> Double {
            switch v {
            case .int(let i): return Double(i)
            case .bigInt(let n): return try n.toDouble()
            case .float(let d): return d
            case .bool(let b): return b ? 1 : 0
            case .tensor(let t) where t.numel == 1: return try t.item()
            default: throw Raise.type("must be real number, not \(typeName(of: v))")
            }
        }
        func integer(_ v: Value) throws -> Int {
            switch v {
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            case .bigInt: throw Raise(type: "OverflowError", message: "Python int too large to convert to C long")
            default: throw Raise.type("'\(typeName(of: v))' object cannot be interpreted as an integer")
            }
        }
        func anyInteger(_ v: Value) throws -> PyInt {
            if case .bigInt(let n) = v { return n }
            return PyInt(try integer(v))
        }
        func unary(_ f: @escaping (Double) throws -> Double) -> Value {
            function { args, _ in
                guard args.count == 1 else { throw Raise.type("math.\(name)() takes exactly one argument (\(args.count) given)") }
                let r = try f(try real(args[0]))
                return .float(r)
            }
        }
        func domain(_ ok: Bool) throws { if !ok { throw Raise.value("math domain error") } }
        func overflow(_ r: Double, _ x: Double) throws -> Double {
            if r.isInfinite && x.isFinite { throw Raise(type: "OverflowError", message: "math range error") }
            return r
        }
        switch name {
        case "pi": return .float(Double.pi)
        case "e": return .float(M_E)
        case "tau": return .float(2 * Double.pi)
        case "inf": return .float(.infinity)
        case "nan": return .float(.nan)
        case "sqrt": return unary { x in try domain(x >= 0 || x.isNaN); return x.squareRoot() }
        case "exp": return unary { x in try overflow(Foundation.exp(x), x) }
        case "expm1": return unary { x in try overflow(Foundation.expm1(x), x) }
        case "log":
            return function { args, _ in
                guard !args.isEmpty, args.count <= 2 else { throw Raise.type("log expected 1 or 2 arguments, got \(args.count)") }
                let x = try real(args[0])
                try domain(x > 0)
                if args.count == 2 {
                    let b = try real(args[1])
                    try domain(b > 0)
                    guard Foundation.log(b) != 0 else { throw Raise(type: "ZeroDivisionError", message: "float division by zero") }
                    return .float(Foundation.log(x) / Foundation.log(b))
                }
                return .float(Foundation.log(x))
            }
        case "log2": return unary { x in try domain(x > 0); return Foundation.log2(x) }
        case "log10": return unary { x in try domain(x > 0); return Foundation.log10(x) }
        case "log1p": return unary { x in try domain(x > -1); return Foundation.log1p(x) }
        case "sin": return unary { x in try domain(x.isFinite || x.isNaN); return Foundation.sin(x) }
        case "cos": return unary { x in try domain(x.isFinite || x.isNaN); return Foundation.cos(x) }
        case "tan": return unary { x in try domain(x.isFinite || x.isNaN); return Foundation.tan(x) }
        case "asin": return unary { x in try domain(abs(x) <= 1 || x.isNaN); return Foundation.asin(x) }
        case "acos": return unary { x in try domain(abs(x) <= 1 || x.isNaN); return Foundation.acos(x) }
        case "atan": return unary { Foundation.atan($0) }
        case "sinh": return unary { x in try overflow(Foundation.sinh(x), x) }
        case "cosh": return unary { x in try overflow(Foundation.cosh(x), x) }
        case "tanh": return unary { Foundation.tanh($0) }
        case "asinh": return unary { Foundation.asinh($0) }
        case "acosh": return unary { x in try domain(x >= 1 || x.isNaN); return Foundation.acosh(x) }
        case "atanh": return unary { x in try domain(abs(x) < 1 || x.isNaN); return Foundation.atanh(x) }
        case "erf": return unary { Foundation.erf($0) }
        case "erfc": return unary { Foundation.erfc($0) }
        case "gamma": return unary { x in try domain(!(x <= 0 && x.rounded() == x)); return try overflow(Foundation.tgamma(x), x) }
        case "lgamma": return unary { x in try domain(!(x <= 0 && x.rounded() == x)); return Foundation.lgamma(x) }
        case "fabs": return unary { abs($0) }
        case "degrees": return unary { $0 * 180 / Double.pi }
        case "radians": return unary { $0 * Double.pi / 180 }
        case "atan2":
            return function { args, _ in
                guard args.count == 2 else { throw Raise.type("atan2 expected 2 arguments, got \(args.count)") }
                return .float(Foundation.atan2(try real(args[0]), try real(args[1])))
            }
        case "pow":
            return function { args, _ in
                guard args.count == 2 else { throw Raise.type("pow expected 2 arguments, got \(args.count)") }
                let x = try real(args[0]), y = try real(args[1])
                if x == 0 && y < 0 { throw Raise.value("math domain error") }
                if x < 0 && y.rounded() != y && y.isFinite { throw Raise.value("math domain error") }
                return .float(try overflow(Foundation.pow(x, y), x))
            }
        case "hypot":
            return function { args, _ in
                .float(try args.map(real).reduce(0) { Foundation.hypot($0, $1) })
            }
        case "copysign":
            return function { args, _ in
                guard args.count == 2 else { throw Raise.type("copysign expected 2 arguments, got \(args.count)") }
                return .float(Foundation.copysign(try real(args[0]), try real(args[1])))
            }
        case "fmod":
            return function { args, _ in
                guard args.count == 2 else { throw Raise.type("fmod expected 2 arguments, got \(args.count)") }
                let y = try real(args[1])
                try domain(y != 0)
                return .float(Foundation.fmod(try real(args[0]), y))
            }
        case "floor", "ceil", "trunc":
            return function { args, _ in
                let v = try Self.one(args, name)
                switch v {
                case .int, .bigInt: return v
                case .bool(let b): return .int(b ? 1 : 0)
                default: break
                }
                let x = try real(v)
                let r = name == "floor" ? x.rounded(.down) : name == "ceil" ? x.rounded(.up) : x.rounded(.towardZero)
                return .integer(try PyInt(truncating: r))
            }
        case "isnan": return function { args, _ in .bool(try real(Self.one(args, name)).isNaN) }
        case "isinf": return function { args, _ in .bool(try real(Self.one(args, name)).isInfinite) }
        case "isfinite": return function { args, _ in .bool(try real(Self.one(args, name)).isFinite) }
        case "isclose":
            return function { args, kwargs in
                guard args.count == 2 else { throw Raise.type("isclose() takes exactly 2 positional arguments (\(args.count) given)") }
                let a = try real(args[0]), b = try real(args[1])
                let rel = try kwargs.first { $0.0 == "rel_tol" }.map { try real($0.1) } ?? 1e-9
                let absTol = try kwargs.first { $0.0 == "abs_tol" }.map { try real($0.1) } ?? 0
                guard rel >= 0, absTol >= 0 else { throw Raise.value("tolerances must be non-negative") }
                if a == b { return .bool(true) }
                if a.isInfinite || b.isInfinite { return .bool(false) }
                let diff = abs(b - a)
                return .bool(diff <= abs(rel * b) || diff <= abs(rel * a) || diff <= absTol)
            }
        case "factorial":
            return function { args, _ in
                let n = try integer(Self.one(args, name))
                guard n >= 0 else { throw Raise.value("factorial() not defined for negative values") }
                // Note [PyInt bounds]: one product per factor.
                guard n <= 20_000 else { throw Raise(type: "MemoryError", message: "factorial(\(n)) would take too long (the interpreter's limit)") }
                var r = PyInt(1)
                for k in stride(from: 2, through: n, by: 1) { r = try r * PyInt(k) }
                return .integer(r)
            }
        case "gcd", "lcm":
            return function { args, _ in
                var r = PyInt(name == "gcd" ? 0 : 1)
                for v in args {
                    let b = try anyInteger(v).absoluteValue
                    if name == "gcd" {
                        r = try Interpreter.gcd(r, b)
                    } else {
                        if r.isZero || b.isZero { r = .zero; continue }
                        r = try r.floorDivided(by: Interpreter.gcd(r, b)) * b
                    }
                }
                return .integer(r)
            }
        case "comb", "perm":
            return function { args, _ in
                let n = try anyInteger(args.first ?? .none)
                let k = args.count > 1 ? try anyInteger(args[1]) : n
                if n.negative { throw Raise.value("n must be a non-negative integer") }
                if k.negative { throw Raise.value("k must be a non-negative integer") }
                if k > n { return .int(0) }
                // Note [PyInt bounds]: one product and one division per factor.
                let kk = name == "comb" ? min(k, n - k) : k
                guard let steps = kk.asInt, steps <= 20_000 else {
                    throw Raise(type: "MemoryError", message: "\(name)() of these arguments would take too long (the interpreter's limit)")
                }
                var r = PyInt(1)
                for i in 0..<steps {
                    r = try r * (n - PyInt(i))
                    if name == "comb" { r = try r.floorDivided(by: PyInt(i + 1)) }
                }
                return .integer(r)
            }
        case "prod":
            return function { [unowned self] args, kwargs in
                var total: Value = kwargs.first { $0.0 == "start" }?.1 ?? .int(1)
                for item in try self.items(of: Self.one(args, name)) { total = try self.binary(.mul, total, item) }
                return total
            }
        case "fsum":
            return function { [unowned self] args, _ in
                // Shewchuk's exactly rounded sum, as CPython's math.fsum.
                var partials: [Double] = []
                for item in try self.items(of: Self.one(args, name)) {
                    var x = try real(item)
                    var kept: [Double] = []
                    for var y in partials {
                        if abs(x) < abs(y) { swap(&x, &y) }
                        let hi = x + y
                        let lo = y - (hi - x)
                        if lo != 0 { kept.append(lo) }
                        x = hi
                    }
                    kept.append(x)
                    partials = kept
                }
                return .float(partials.reduce(0, +))
            }
        case "dist":
            return function { [unowned self] args, _ in
                guard args.count == 2 else { throw Raise.type("dist expected 2 arguments, got \(args.count)") }
                let p = try self.items(of: args[0]).map(real), q = try self.items(of: args[1]).map(real)
                guard p.count == q.count else { throw Raise.value("both points must have the same number of dimensions") }
                return .float(zip(p, q).reduce(0) { Foundation.hypot($0, $1.0 - $1.1) })
            }
        case "modf":
            return function { args, _ in
                let x = try real(Self.one(args, name))
                if x.isInfinite { return .tuple([.float(Foundation.copysign(0, x)), .float(x)]) }
                let whole = x.rounded(.towardZero)
                return .tuple([.float(Foundation.copysign(x - whole, x)), .float(whole)])
            }
        case "frexp":
            return function { args, _ in
                let x = try real(Self.one(args, name))
                guard x != 0, x.isFinite else { return .tuple([.float(x), .int(0)]) }
                let e = Int(x.exponent) + 1
                return .tuple([.float(Foundation.scalbn(x, -e)), .int(e)])
            }
        case "ldexp":
            return function { args, _ in
                guard args.count == 2 else { throw Raise.type("ldexp expected 2 arguments, got \(args.count)") }
                let x = try real(args[0]), e = try integer(args[1])
                return .float(try overflow(Foundation.scalbn(x, e), x))
            }
        case "exp2": return unary { x in try overflow(Foundation.exp2(x), x) }
        case "cbrt": return unary { Foundation.cbrt($0) }
        case "remainder":
            return function { args, _ in
                guard args.count == 2 else { throw Raise.type("remainder expected 2 arguments, got \(args.count)") }
                let y = try real(args[1])
                try domain(y != 0)
                return .float(Foundation.remainder(try real(args[0]), y))
            }
        case "isqrt":
            return function { args, _ in
                let n = try anyInteger(Self.one(args, name))
                guard !n.negative else { throw Raise.value("isqrt() argument must be nonnegative") }
                guard !n.isZero else { return .int(0) }
                // Newton's iteration from above: a power of two over the root.
                var x = try PyInt(1).shiftedLeft(by: (n.bitLength + 1) / 2)
                while true {
                    let y = try (x + n.floorDivided(by: x)).shiftedRight(by: 1)
                    if y >= x { return .integer(x) }
                    x = y
                }
            }
        default:
            throw Raise.attribute("module 'math' has no attribute '\(name)'")
        }
    }
}

extension Interpreter {
    /// Euclid's algorithm on non-negative ints.
    static func gcd(_ a: PyInt, _ b: PyInt) throws -> PyInt {
        var (x, y) = (a, b)
        while !y.isZero { (x, y) = (y, try x.modulo(y)) }
        return x
    }
}

/// `sys.stdout`, `sys.stderr`: `write` and `flush`.
final class StreamObject: ScriptObject {
    let name: String
    init(name: String) {
        self.name = name
        super.init(typeName: "TextIOWrapper")
    }
}

/// `functools.lru_cache(maxsize)(f)`: results by arguments, least recently
/// used dropped first, with `cache_info()` and `cache_clear()`.
final class CachedFunction: ScriptObject {
    let function: Value
    let maxsize: Int?
    var entries: [(key: HashKey, value: Value)] = []
    var hits = 0, misses = 0

    init(_ function: Value, maxsize: Int?) {
        self.function = function
        self.maxsize = maxsize
        super.init(typeName: "functools._lru_cache_wrapper")
    }

    func call(_ args: [Value], _ kwargs: [(String, Value)], _ ip: Interpreter) throws -> Value {
        let key = try HashKey(.tuple(args + kwargs.flatMap { [Value.string($0.0), $0.1] }))
        if let i = entries.firstIndex(where: { $0.key == key }) {
            hits += 1
            let entry = entries.remove(at: i)
            entries.append(entry)
            return entry.value
        }
        misses += 1
        let value = try ip.call(function, args, kwargs)
        if maxsize != 0 {
            entries.append((key, value))
            if let maxsize, entries.count > maxsize { entries.removeFirst() }
        }
        return value
    }
}
