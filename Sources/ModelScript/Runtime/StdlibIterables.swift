import Autograd

/// `collections`, `itertools` and `random`.
extension Interpreter {
    func collectionsAttribute(_ name: String, _ function: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) throws -> Value {
        switch name {
        case "defaultdict":
            return .object(classes.builtin("defaultdict", moduleName: "collections", base: builtinType("dict")) { [unowned self] args, kwargs in
                let d = DictObject(typeName: "defaultdict")
                if let factory = args.first, !factory.isNone {
                    guard self.isCallable(factory) else { throw Raise.type("first argument must be callable or None") }
                    d.defaultFactory = factory
                }
                if args.count > 1 { try d.update(from: args[1], self) }
                for (k, v) in kwargs { try d.set(.string(k), v) }
                return .object(d)
            })
        case "OrderedDict":
            return .object(classes.builtin("OrderedDict", moduleName: "collections", base: builtinType("dict")) { [unowned self] args, kwargs in
                let d = DictObject(typeName: "OrderedDict")
                if let first = args.first { try d.update(from: first, self) }
                for (k, v) in kwargs { try d.set(.string(k), v) }
                return .object(d)
            })
        case "Counter":
            return .object(classes.builtin("Counter", moduleName: "collections", base: builtinType("dict")) { [unowned self] args, kwargs in
                let d = DictObject(typeName: "Counter")
                if let first = args.first {
                    if case .object(let other as DictObject) = first {
                        for (k, v) in other.items { try d.set(k, v) }
                    } else {
                        for item in try self.items(of: first) {
                            let current = try d.get(item) ?? .int(0)
                            try d.set(item, try self.binary(.add, current, .int(1)))
                        }
                    }
                }
                for (k, v) in kwargs { try d.set(.string(k), v) }
                return .object(d)
            })
        case "namedtuple":
            return function { [unowned self] args, kwargs in try self.makeNamedTuple(args, kwargs) }
        case "deque":
            return .object(classes.builtin("deque", moduleName: "collections") { [unowned self] args, kwargs in
                var maxlen: Int?
                if args.count > 1, case .int(let m) = args[1] { maxlen = m }
                if case .int(let m)? = kwargs.first(where: { $0.0 == "maxlen" })?.1 { maxlen = m }
                let items = try args.first.map { try self.items(of: $0) } ?? []
                return .object(DequeObject(maxlen.map { Array(items.suffix($0)) } ?? items, maxlen: maxlen))
            })
        default:
            throw Raise.attribute("module 'collections' has no attribute '\(name)'")
        }
    }

    /// `collections.namedtuple(typename, field_names)`: a class whose
    /// instances are tuples with named fields.
    private func makeNamedTuple(_ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        guard args.count >= 2, case .string(let typeName) = args[0] else {
            throw Raise.type("namedtuple() missing required argument 'field_names'")
        }
        let fields: [String]
        switch args[1] {
        case .string(let s): fields = s.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        default: fields = try items(of: args[1]).map { v in
            guard case .string(let s) = v else { throw Raise.type("Type names and field names must be strings") }
            return s
        }
        }
        var defaults: [Value] = []
        if let d = kwargs.first(where: { $0.0 == "defaults" })?.1, !d.isNone { defaults = try items(of: d) }
        let tupleClass = builtinType("tuple")
        let cls = ClassObject(name: typeName, moduleName: "__main__", bases: [tupleClass], kind: .plain)
        try cls.computeMRO()
        cls.interpreter = self
        func values(_ self_: Value) -> [Value] {
            guard case .object(let o as InstanceObject) = self_, case .tuple(let items)? = o.attributes["__values__"] else { return [] }
            return items
        }
        cls.namespace["__init__"] = .function(Function("\(typeName).__new__") { [unowned self] args, kwargs in
            guard case .object(let o as InstanceObject)? = args.first else { return .none }
            var given = Array(args.dropFirst())
            guard given.count <= fields.count else {
                throw Raise.type("\(typeName).__new__() takes \(fields.count + 1) positional arguments but \(given.count + 1) were given")
            }
            var bound = [Value?](repeating: nil, count: fields.count)
            for (i, v) in given.enumerated() { bound[i] = v }
            for (k, v) in kwargs {
                guard let i = fields.firstIndex(of: k) else { throw Raise.type("\(typeName).__new__() got an unexpected keyword argument '\(k)'") }
                if bound[i] != nil { throw Raise.type("\(typeName).__new__() got multiple values for argument '\(k)'") }
                bound[i] = v
            }
            let firstDefault = fields.count - defaults.count
            var missing: [String] = []
            for i in fields.indices where bound[i] == nil {
                if i >= firstDefault { bound[i] = defaults[i - firstDefault] } else { missing.append(fields[i]) }
            }
            if !missing.isEmpty { throw Raise.type("\(typeName).__new__() missing \(Self.missingList(missing, "positional"))") }
            given = bound.map { $0! }
            o.attributes["__values__"] = .tuple(given)
            for (f, v) in zip(fields, given) { o.attributes[f] = v }
            _ = self
            return .none
        })
        cls.namespace["__getitem__"] = .function(Function("\(typeName).__getitem__") { [unowned self] args, _ in
            try self.getItem(.tuple(values(args[0])), args[1])
        })
        cls.namespace["__iter__"] = .function(Function("\(typeName).__iter__") { args, _ in .object(SequenceIterator(values(args[0]))) })
        cls.namespace["__len__"] = .function(Function("\(typeName).__len__") { args, _ in .int(values(args[0]).count) })
        cls.namespace["__add__"] = .function(Function("\(typeName).__add__") { [unowned self] args, _ in
            let other: [Value]
            if case .object(let o as InstanceObject) = args[1], o.attributes["__values__"] != nil { other = values(args[1]) }
            else if case .tuple(let t) = args[1] { other = t }
            else { throw Raise.type("can only concatenate tuple (not \"\(self.typeName(of: args[1]))\") to tuple") }
            return .tuple(values(args[0]) + other)
        })
        for (dunder, op) in [("__lt__", CompareOp.lt), ("__le__", .le), ("__gt__", .gt), ("__ge__", .ge)] {
            cls.namespace[dunder] = .function(Function("\(typeName).\(dunder)") { [unowned self] args, _ in
                let other: [Value]
                if case .object(let o as InstanceObject) = args[1], o.attributes["__values__"] != nil { other = values(args[1]) }
                else if case .tuple(let t) = args[1] { other = t }
                else { return .object(NotImplementedValue.shared) }
                return .bool(try self.less(op, .tuple(values(args[0])), .tuple(other)))
            })
        }
        cls.namespace["__contains__"] = .function(Function("\(typeName).__contains__") { [unowned self] args, _ in
            .bool(try self.contains(.tuple(values(args[0])), args[1]))
        })
        cls.namespace["__eq__"] = .function(Function("\(typeName).__eq__") { [unowned self] args, _ in
            let other: [Value]
            if case .object(let o as InstanceObject) = args[1], o.attributes["__values__"] != nil { other = values(args[1]) } else if case .tuple(let t) = args[1] { other = t } else { return .bool(false) }
            return .bool(try self.equals(.tuple(values(args[0])), .tuple(other)))
        })
        cls.namespace["__hash__"] = .function(Function("\(typeName).__hash__") { args, _ in
            .int(try HashKey(.tuple(values(args[0]))).pythonHash)
        })
        cls.namespace["__repr__"] = .function(Function("\(typeName).__repr__") { [unowned self] args, _ in
            .string(typeName + "(" + (try zip(fields, values(args[0])).map { "\($0)=\(try self.repr($1))" }).joined(separator: ", ") + ")")
        })
        cls.namespace["_asdict"] = .function(Function("_asdict") { args, _ in
            let d = DictObject()
            for (f, v) in zip(fields, values(args[0])) { try d.set(.string(f), v) }
            return .object(d)
        })
        cls.namespace["_replace"] = .function(Function("_replace") { [unowned self] args, kwargs in
            var current = values(args[0])
            for (k, v) in kwargs {
                guard let i = fields.firstIndex(of: k) else { throw Raise.value("Got unexpected field names: ['\(k)']") }
                current[i] = v
            }
            return try self.instantiate(cls, current, [])
        })
        cls.namespace["_fields"] = .tuple(fields.map(Value.string))
        cls.namespace["_make"] = .object(MethodWrapper(.classMethod, .function(Function("_make") { [unowned self] args, _ in
            guard args.count == 2, case .object(let c as ClassObject) = args[0] else { throw Raise.type("_make() takes 1 argument") }
            return try self.instantiate(c, try self.items(of: args[1]), [])
        })))
        let fieldDefaults = DictObject()
        for (f, d) in zip(fields.suffix(defaults.count), defaults) { try fieldDefaults.set(.string(f), d) }
        cls.namespace["_field_defaults"] = .object(fieldDefaults)
        return .object(cls)
    }

    // MARK: itertools

    func itertoolsAttribute(_ name: String, _ function: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) throws -> Value {
        switch name {
        case "count":
            return function { [unowned self] args, kwargs in
                var current = args.first ?? kwargs.first { $0.0 == "start" }?.1 ?? .int(0)
                let step = args.count > 1 ? args[1] : kwargs.first { $0.0 == "step" }?.1 ?? .int(1)
                return .object(ClosureIterator(typeName: "count") {
                    defer { current = (try? self.binary(.add, current, step)) ?? current }
                    return current
                })
            }
        case "repeat":
            return function { args, kwargs in
                guard let value = args.first else { throw Raise.type("repeat() missing required argument 'object' (pos 1)") }
                var remaining: Int? = nil
                if args.count > 1, case .int(let n) = args[1] { remaining = n }
                if case .int(let n)? = kwargs.first(where: { $0.0 == "times" })?.1 { remaining = n }
                return .object(ClosureIterator(typeName: "repeat") {
                    if let r = remaining {
                        guard r > 0 else { return nil }
                        remaining = r - 1
                    }
                    return value
                })
            }
        case "chain":
            return .object(chainClass)
        case "islice":
            return function { [unowned self] args, _ in
                guard args.count >= 2 else { throw Raise.type("islice expected at least 2 arguments, got \(args.count)") }
                let iterator = try self.makeIterator(args[0])
                func bound(_ v: Value, _ what: String) throws -> Int? {
                    switch v {
                    case .none: return nil
                    case .int(let i) where i >= 0: return i
                    default: throw Raise.value("\(what) for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
                    }
                }
                let (start, stop, step): (Int, Int?, Int) = args.count == 2
                    ? (0, try bound(args[1], "Stop argument"), 1)
                    : (try bound(args[1], "Indices") ?? 0, try bound(args[2], "Stop argument"), args.count > 3 ? (try bound(args[3], "Step") ?? 1) : 1)
                guard step > 0 else { throw Raise.value("Step for islice() must be a positive integer or None.") }
                var index = 0, next = start
                return .object(ClosureIterator(typeName: "islice") {
                    while true {
                        if let stop, next >= stop { return nil }
                        guard let item = try iterator.next() else { return nil }
                        defer { index += 1 }
                        if index == next {
                            next += step
                            return item
                        }
                    }
                })
            }
        case "product":
            return function { [unowned self] args, kwargs in
                var pools = try args.map { try self.items(of: $0) }
                if case .int(let r)? = kwargs.first(where: { $0.0 == "repeat" })?.1 {
                    pools = Array([[[Value]]](repeating: pools, count: max(r, 0)).joined())
                }
                var results: [[Value]] = [[]]
                for pool in pools { results = results.flatMap { prefix in pool.map { prefix + [$0] } } }
                return .object(SequenceIterator(results.map(Value.tuple), typeName: "product"))
            }
        case "combinations", "permutations", "combinations_with_replacement":
            return function { [unowned self] args, kwargs in
                guard let iterable = args.first else { throw Raise.type("\(name)() missing required argument 'iterable' (pos 1)") }
                let pool = try self.items(of: iterable)
                var r = name == "permutations" ? pool.count : -1
                if args.count > 1, case .int(let k) = args[1] { r = k }
                if case .int(let k)? = kwargs.first(where: { $0.0 == "r" })?.1 { r = k }
                guard r >= 0 else { throw Raise.value("r must be non-negative") }
                return .object(SequenceIterator(Self.arrangements(pool.count, r, kind: name).map { .tuple($0.map { pool[$0] }) }, typeName: name))
            }
        case "accumulate":
            return function { [unowned self] args, kwargs in
                guard let iterable = args.first else { throw Raise.type("accumulate() missing required argument 'iterable' (pos 1)") }
                let iterator = try self.makeIterator(iterable)
                let f = args.count > 1 ? args[1] : kwargs.first { $0.0 == "func" }?.1
                var total = kwargs.first { $0.0 == "initial" }?.1
                var emittedInitial = total == nil
                return .object(ClosureIterator(typeName: "accumulate") {
                    if !emittedInitial { emittedInitial = true; return total }
                    guard let item = try iterator.next() else { return nil }
                    if let t = total {
                        total = try f.map { try self.call($0, [t, item], []) } ?? self.binary(.add, t, item)
                    } else {
                        total = item
                    }
                    return total
                })
            }
        case "zip_longest":
            return function { [unowned self] args, kwargs in
                let iterators = try args.map { try self.makeIterator($0) }
                let fill = kwargs.first { $0.0 == "fillvalue" }?.1 ?? .none
                var done = [Bool](repeating: false, count: iterators.count)
                return .object(ClosureIterator(typeName: "zip_longest") {
                    var items: [Value] = []
                    for (k, it) in iterators.enumerated() {
                        if !done[k], let v = try it.next() { items.append(v) } else { done[k] = true; items.append(fill) }
                    }
                    return done.allSatisfy { $0 } ? nil : .tuple(items)
                })
            }
        case "cycle":
            return function { [unowned self] args, _ in
                let iterator = try self.makeIterator(Self.one(args, name))
                var seen: [Value] = [], position = 0, exhausted = false
                return .object(ClosureIterator(typeName: "cycle") {
                    if !exhausted {
                        if let v = try iterator.next() { seen.append(v); return v }
                        exhausted = true
                    }
                    guard !seen.isEmpty else { return nil }
                    defer { position = (position + 1) % seen.count }
                    return seen[position]
                })
            }
        case "starmap":
            return function { [unowned self] args, _ in
                guard args.count == 2 else { throw Raise.type("starmap expected 2 arguments, got \(args.count)") }
                let iterator = try self.makeIterator(args[1])
                return .object(ClosureIterator(typeName: "starmap") {
                    guard let item = try iterator.next() else { return nil }
                    return try self.call(args[0], try self.items(of: item), [])
                })
            }
        case "takewhile", "dropwhile":
            return function { [unowned self] args, _ in
                guard args.count == 2 else { throw Raise.type("\(name) expected 2 arguments, got \(args.count)") }
                let iterator = try self.makeIterator(args[1])
                var switched = false
                return .object(ClosureIterator(typeName: name) {
                    while let item = try iterator.next() {
                        if switched { return name == "dropwhile" ? item : nil }
                        let holds = try self.truthValue(self.call(args[0], [item], []))
                        if name == "takewhile" {
                            if holds { return item }
                            switched = true
                            return nil
                        }
                        if !holds { switched = true; return item }
                    }
                    return nil
                })
            }
        default:
            throw Raise.attribute("module 'itertools' has no attribute '\(name)'")
        }
    }

    /// `itertools.chain`, a class for its `chain.from_iterable`.
    private var chainClass: ClassObject {
        let cls = classes.builtin("chain", moduleName: "itertools") { [unowned self] args, _ in
            try self.chained(SequenceIterator(args))
        }
        if cls.namespace["from_iterable"] == nil {
            cls.namespace["from_iterable"] = .object(MethodWrapper(.staticMethod, .function(Function("from_iterable") { [unowned self] args, _ in
                try self.chained(self.makeIterator(Self.one(args, "from_iterable")))
            })))
        }
        return cls
    }

    private func chained(_ iterables: IteratorObject) throws -> Value {
        var current: IteratorObject?
        return .object(ClosureIterator(typeName: "chain") { [unowned self] in
            while true {
                if let c = current, let v = try c.next() { return v }
                guard let next = try iterables.next() else { return nil }
                current = try self.makeIterator(next)
            }
        })
    }

    /// Index tuples of combinations/permutations in itertools' order.
    static func arrangements(_ n: Int, _ r: Int, kind: String) -> [[Int]] {
        var out: [[Int]] = []
        var current: [Int] = []
        func extend(_ start: Int) {
            if current.count == r { out.append(current); return }
            switch kind {
            case "permutations":
                for i in 0..<n where !current.contains(i) { current.append(i); extend(0); current.removeLast() }
            case "combinations_with_replacement":
                for i in start..<max(start, n) { current.append(i); extend(i); current.removeLast() }
            default:
                for i in start..<max(start, n) { current.append(i); extend(i + 1); current.removeLast() }
            }
        }
        if r <= n || kind == "combinations_with_replacement" { extend(0) }
        return out
    }
}

/// `collections.deque`.
final class DequeObject: ScriptObject {
    let box: ListBox
    let maxlen: Int?
    init(_ items: [Value], maxlen: Int?) {
        self.box = ListBox(items)
        self.maxlen = maxlen
        super.init(typeName: "deque")
    }

    /// Drops items from the other end beyond `maxlen`.
    func trim(fromFront: Bool) {
        guard let maxlen, box.items.count > maxlen else { return }
        if fromFront { box.items.removeFirst(box.items.count - maxlen) } else { box.items.removeLast(box.items.count - maxlen) }
    }
}

extension Interpreter {
    /// `random.X`: CPython's `random.Random`, bit for bit (Library/PythonRandom).
    func randomAttribute(_ name: String, _ function: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) throws -> Value {
        func real(_ v: Value) throws -> Double {
            switch v {
            case .int(let i): return Double(i)
            case .float(let d): return d
            case .bool(let b): return b ? 1 : 0
            default: throw Raise.type("must be real number, not \(typeName(of: v))")
            }
        }
        func integer(_ v: Value, _ what: String) throws -> Int {
            switch v {
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            case .float(let d) where d.rounded() == d:
                throw Raise.type("'float' object cannot be interpreted as an integer")
            default: throw Raise.type("'\(typeName(of: v))' object cannot be interpreted as an integer")
            }
        }
        func argument(_ args: [Value], _ kwargs: [(String, Value)], _ i: Int, _ key: String) -> Value? {
            i < args.count ? args[i] : kwargs.first { $0.0 == key }?.1
        }
        func run<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as PythonError { throw Raise(type: e.type, message: e.message) }
        }
        switch name {
        case "seed":
            return function { [unowned self] args, _ in
                switch args.first ?? .none {
                case .none: self.pythonRandom.seed(0)
                case .int(let i): self.pythonRandom.seed(i)
                case .bool(let b): self.pythonRandom.seed(b ? 1 : 0)
                case .float(let d): try run { try self.pythonRandom.seed(d) }
                case .string(let s): self.pythonRandom.seed(s)
                case let other: throw Raise.type("The only supported seed types are: None, int, float, str, bytes, and bytearray. (got \(self.typeName(of: other)))")
                }
                return .none
            }
        case "random": return function { [unowned self] _, _ in .float(self.pythonRandom.random()) }
        case "uniform":
            return function { [unowned self] args, _ in
                guard args.count == 2 else { throw Raise.type("Random.uniform() missing \(2 - args.count) required positional argument\(args.count == 1 ? "" : "s")") }
                return .float(self.pythonRandom.uniform(try real(args[0]), try real(args[1])))
            }
        case "randint":
            return function { [unowned self] args, _ in
                guard args.count == 2 else { throw Raise.type("Random.randint() missing \(2 - args.count) required positional argument\(args.count == 1 ? "" : "s")") }
                let a = try integer(args[0], "a"), b = try integer(args[1], "b")
                return .int(try run { try self.pythonRandom.randint(a, b) })
            }
        case "randrange":
            return function { [unowned self] args, kwargs in
                guard let first = argument(args, kwargs, 0, "start") else { throw Raise.type("Random.randrange() missing 1 required positional argument: 'start'") }
                let start = try integer(first, "start")
                let stop = try argument(args, kwargs, 1, "stop").flatMap { $0.isNone ? nil : try integer($0, "stop") }
                let step = try argument(args, kwargs, 2, "step").map { try integer($0, "step") } ?? 1
                return .int(try run { try self.pythonRandom.randrange(start, stop, step: step) })
            }
        case "getrandbits":
            return function { [unowned self] args, _ in
                let k = try integer(try Self.one(args, "getrandbits"), "k")
                try run { try PyInt.checkBound(k) }
                let words = try run { try self.pythonRandom.getrandbitsWords(k) }
                // Two 32-bit words, least significant first, per 64-bit limb.
                let limbs = stride(from: 0, to: words.count, by: 2).map { i in
                    UInt64(words[i]) | (i + 1 < words.count ? UInt64(words[i + 1]) << 32 : 0)
                }
                return .integer(PyInt(negative: false, limbs: limbs))
            }
        case "choice":
            return function { [unowned self] args, _ in
                let items = try self.items(of: Self.one(args, "choice"))
                return items[try run { try self.pythonRandom.choice(count: items.count) }]
            }
        case "shuffle":
            return function { [unowned self] args, _ in
                guard case .list(let box) = try Self.one(args, "shuffle") else {
                    throw Raise.type("'\(self.typeName(of: args[0]))' object does not support item assignment")
                }
                self.pythonRandom.shuffle(&box.items)
                return .none
            }
        case "sample":
            return function { [unowned self] args, kwargs in
                guard let population = argument(args, kwargs, 0, "population"), let kValue = argument(args, kwargs, 1, "k") else {
                    throw Raise.type("Random.sample() missing 1 required positional argument: 'k'")
                }
                if case .object(is SetObject) = population {
                    throw Raise.type("Population must be a sequence.  For dicts or sets, use sorted(d).")
                }
                let items = try self.items(of: population)
                let k = try integer(kValue, "k")
                let counts = try kwargs.first { $0.0 == "counts" }.map { try self.items(of: $0.1).map { try integer($0, "counts") } }
                let picked = try run { try self.pythonRandom.sample(populationSize: items.count, k: k, counts: counts) }
                return .list(ListBox(picked.map { items[$0] }))
            }
        case "choices":
            return function { [unowned self] args, kwargs in
                guard let population = argument(args, kwargs, 0, "population") else {
                    throw Raise.type("Random.choices() missing 1 required positional argument: 'population'")
                }
                let items = try self.items(of: population)
                let weights = try argument(args, kwargs, 1, "weights").flatMap { $0.isNone ? nil : try self.items(of: $0).map(real) }
                let cum = try kwargs.first { $0.0 == "cum_weights" }.flatMap { $0.1.isNone ? nil : try self.items(of: $0.1).map(real) }
                let k = try kwargs.first { $0.0 == "k" }.map { try integer($0.1, "k") } ?? 1
                let picked = try run { try self.pythonRandom.choices(populationSize: items.count, weights: weights, cumWeights: cum, k: k) }
                return .list(ListBox(try picked.map { i in
                    guard items.indices.contains(i) else { throw Raise.index("list index out of range") }
                    return items[i]
                }))
            }
        case "gauss", "normalvariate":
            return function { [unowned self] args, kwargs in
                let mu = try argument(args, kwargs, 0, "mu").map(real) ?? 0
                let sigma = try argument(args, kwargs, 1, "sigma").map(real) ?? 1
                return .float(try run { name == "gauss" ? try self.pythonRandom.gauss(mu: mu, sigma: sigma)
                                                        : try self.pythonRandom.normalvariate(mu: mu, sigma: sigma) })
            }
        case "expovariate":
            return function { [unowned self] args, _ in
                .float(try run { try self.pythonRandom.expovariate(try real(Self.one(args, "expovariate"))) })
            }
        case "triangular":
            return function { [unowned self] args, kwargs in
                let low = try argument(args, kwargs, 0, "low").map(real) ?? 0
                let high = try argument(args, kwargs, 1, "high").map(real) ?? 1
                let mode = try argument(args, kwargs, 2, "mode").flatMap { $0.isNone ? nil : try real($0) }
                return .float(try run { try self.pythonRandom.triangular(low: low, high: high, mode: mode) })
            }
        case "betavariate", "gammavariate", "lognormvariate", "weibullvariate", "vonmisesvariate":
            return function { [unowned self] args, _ in
                guard args.count == 2 else { throw Raise.type("\(name)() takes exactly 2 arguments (\(args.count) given)") }
                let a = try real(args[0]), b = try real(args[1])
                return .float(try run {
                    switch name {
                    case "betavariate": return try self.pythonRandom.betavariate(alpha: a, beta: b)
                    case "gammavariate": return try self.pythonRandom.gammavariate(alpha: a, beta: b)
                    case "lognormvariate": return try self.pythonRandom.lognormvariate(mu: a, sigma: b)
                    case "weibullvariate": return try self.pythonRandom.weibullvariate(alpha: a, beta: b)
                    default: return try self.pythonRandom.vonmisesvariate(mu: a, kappa: b)
                    }
                })
            }
        case "paretovariate":
            return function { [unowned self] args, _ in
                .float(try run { try self.pythonRandom.paretovariate(try real(Self.one(args, name))) })
            }
        default:
            throw Raise.attribute("module 'random' has no attribute '\(name)'")
        }
    }
}
