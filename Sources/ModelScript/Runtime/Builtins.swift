import Autograd

/// Python's builtins that model scripts may call: `print range len abs float
/// int bool min max sum isinstance` (and `str`, `repr`, `round`, `list`, `tuple`).
enum Builtins {
    static let functionNames: [String] = [
        "print", "range", "len", "abs", "float", "int", "bool", "min", "max", "sum", "isinstance", "issubclass", "str",
        "repr", "round", "list", "tuple", "dict", "set", "frozenset", "enumerate", "zip", "sorted", "reversed", "map",
        "filter", "any", "all", "divmod", "hasattr", "getattr", "setattr", "delattr", "callable", "id", "type", "iter",
        "next", "super", "staticmethod", "classmethod", "property", "object", "format", "ord", "chr", "hex", "oct",
        "bin", "pow", "hash", "vars", "globals", "locals", "slice", "input", "open", "exec", "eval", "compile",
        "__import__", "ascii", "breakpoint", "memoryview", "bytes", "bytearray", "complex",
    ]
}

extension Interpreter {
    /// The builtin called `name` (a function, a type, an exception class or
    /// a constant), made once per interpreter.
    func builtin(named name: String) -> Value? {
        if let known = builtinCache[name] { return known }
        let value: Value
        switch name {
        case "True": value = .bool(true)
        case "False": value = .bool(false)
        case "None": value = .none
        case "NotImplemented": value = .object(NotImplementedValue.shared)
        case "Ellipsis": value = .ellipsis
        case "__name__": value = .string("__main__")
        case "object": value = .object(classes.object)
        case "type": value = .object(classes.type)
        case "int", "float", "str", "bool", "list", "tuple", "dict", "set", "frozenset", "range", "slice",
             "property", "staticmethod", "classmethod", "enumerate", "zip", "map", "filter", "reversed", "super":
            value = .object(builtinType(name))
        default:
            if classes.exceptionNames.contains(name) {
                value = .object(classes.exception(name))
            } else if Builtins.functionNames.contains(name) {
                value = .function(Function(name) { [unowned self] args, kwargs in try Builtins.call(name, args, kwargs, self) })
            } else {
                return nil
            }
        }
        builtinCache[name] = value
        return value
    }

    /// The class of a builtin type (`int`, `list`, `NoneType`, ...),
    /// callable as its constructor where Python's is.
    func builtinType(_ name: String) -> ClassObject {
        switch name {
        case "type": return classes.type
        case "object": return classes.object
        case "defaultdict", "OrderedDict", "Counter", "deque":
            if case .object(let cls as ClassObject)? = try? collectionsAttribute(name, { .function(Function(name, $0)) }) { return cls }
        default: break
        }
        let base: ClassObject? = name == "bool" ? builtinType("int") : nil
        guard Self.constructibleTypes.contains(name) else { return classes.builtin(name, base: base) }
        let cls = classes.builtin(name, base: base) { [unowned self] args, kwargs in
            try Builtins.call(name, args, kwargs, self)
        }
        if name == "dict", cls.namespace["fromkeys"] == nil {
            cls.namespace["fromkeys"] = .object(MethodWrapper(.staticMethod, .function(Function("dict.fromkeys") { [unowned self] args, _ in
                guard let keys = args.first else { throw Raise.type("fromkeys expected at least 1 argument, got 0") }
                let d = DictObject()
                for k in try self.items(of: keys) { try d.set(k, args.count > 1 ? args[1] : .none) }
                return .object(d)
            })))
        }
        return cls
    }

    static let constructibleTypes: Set<String> = ["int", "float", "str", "bool", "list", "tuple", "dict", "set", "frozenset",
                                                  "range", "slice", "enumerate", "zip", "map", "filter", "reversed", "super",
                                                  "staticmethod", "classmethod", "property"]
}

extension Builtins {
    static func call(_ name: String, _ args: [Value], _ kwargs: [(String, Value)], _ ip: Interpreter) throws -> Value {
        switch name {
        case "print":
            var sep = " ", end = "\n", toError = false
            for (key, value) in kwargs {
                switch (key, value) {
                case ("sep", .string(let s)): sep = s
                case ("end", .string(let s)): end = s
                case ("sep", .none), ("end", .none), ("file", .none), ("flush", _): break
                case ("sep", _), ("end", _): throw Raise.type("\(key) must be None or a string, not \(ip.typeName(of: value))")
                case ("file", .object(let stream as StreamObject)): toError = stream.name == "stderr"
                case ("file", _): throw Raise.unsupported("print(file=...) to anything but sys.stdout or sys.stderr is not supported by autograd-viz")
                default: throw Raise.type("'\(key)' is an invalid keyword argument for print()")
                }
            }
            let text = try args.map(ip.str).joined(separator: sep) + end
            if toError { ip.writeError(text) } else { ip.write(text) }
            return .none
        case "range":
            let ints = try args.map { v -> Int in
                // A range is three 64-bit ints here (CPython's may be wider).
                if case .bigInt = v { throw Raise(type: "OverflowError", message: "Python int too large to convert to C ssize_t") }
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
            case .range(let a, let b, let s):
                guard let count = Interpreter.rangeCount(a, b, s) else {
                    throw Raise(type: "OverflowError", message: "Python int too large to convert to C ssize_t")
                }
                return .int(count)
            case .list(let box): return .int(box.items.count)
            case .string(let s): return .int(s.count)
            case .tuple, .size, .namedTuple: return .int(try ip.items(of: args[0]).count)
            case .object(let d as DictObject): return .int(d.count)
            case .object(let s as SetObject): return .int(s.count)
            case .object(let d as DequeObject): return .int(d.box.items.count)
            case .object(let v as DictView): return .int(v.dict.count)
            case .object(let o) where ip.lookupSpecial(args[0], "__len__") != nil:
                return .int(try ip.lengthResult(ip.call(ip.lookupSpecial(args[0], "__len__")!, [], []), of: o))
            case .object(let o as ModuleObject) where o.module is Sequential || o.module is ModuleList: return .int(o.module.children.count)
            default: throw Raise.type("object of type '\(ip.typeName(of: args[0]))' has no len()")
            }
        case "abs":
            guard args.count == 1 else { throw Raise.type("abs() takes exactly one argument (\(args.count) given)") }
            switch args[0] {
            case .int(let i): return .integer(PyInt(i).absoluteValue)
            case .bigInt(let n): return .integer(n.absoluteValue)
            case .float(let d): return .float(Swift.abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .tensor(let t): return .tensor(try t.abs())
            case .object where ip.lookupSpecial(args[0], "__abs__") != nil: return try ip.call(ip.lookupSpecial(args[0], "__abs__")!, [], [])
            default: throw Raise.type("bad operand type for abs(): '\(ip.typeName(of: args[0]))'")
            }
        case "float":
            guard let v = args.first else { return .float(0) }
            switch v {
            case .int(let i): return .float(Double(i))
            case .bigInt(let n): return .float(try n.toDouble())
            case .float: return v
            case .bool(let b): return .float(b ? 1 : 0)
            case .tensor(let t):
                if t.requiresGrad {
                    ip.warn("UserWarning: Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\nConsider using tensor.detach() first. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:820.)")
                }
                return .float(try Builtins.scalar(t))
            case .string(let s):
                let lowered = s.trimmingCharacters(in: .whitespaces).lowercased()
                if ["inf", "+inf", "infinity"].contains(lowered) { return .float(.infinity) }
                if ["-inf", "-infinity"].contains(lowered) { return .float(-.infinity) }
                if lowered == "nan" { return .float(.nan) }
                let digits = lowered.replacingOccurrences(of: "_", with: "")
                let underscoresOK = !lowered.contains("__") && !lowered.hasPrefix("_") && !lowered.hasSuffix("_")
                    && !lowered.contains("_.") && !lowered.contains("._") && !lowered.contains("e_") && !lowered.contains("_e")
                guard underscoresOK, let d = Double(digits), !digits.hasPrefix("0x") else { throw Raise.value("could not convert string to float: \(Interpreter.quote(s))") }
                return .float(d)
            default: throw Raise.type("float() argument must be a string or a real number, not '\(v.typeName)'")
            }
        case "int":
            return try Builtins.int(args, kwargs, ip)
        case "bool":
            guard let v = args.first else { return .bool(false) }
            return .bool(try ip.truthValue(v))
        case "str":
            return .string(try args.first.map(ip.str) ?? "")
        case "repr":
            guard args.count == 1 else { throw Raise.type("repr() takes exactly one argument (\(args.count) given)") }
            return .string(try ip.repr(args[0]))
        case "round":
            guard let v = args.first ?? kwargs.first(where: { $0.0 == "number" })?.1 else {
                throw Raise.type("round() missing required argument 'number' (pos 1)")
            }
            let digitsValue = args.count > 1 ? args[1] : kwargs.first { $0.0 == "ndigits" }?.1
            if case .object = v, let method = ip.lookupSpecial(v, "__round__") {
                return try ip.call(method, digitsValue.map { [$0] } ?? [], [])
            }
            if case .tensor = v { throw Raise.type("type Tensor doesn't define __round__ method") }
            return try Builtins.round(v, digitsValue, ip)
        case "list":
            return .list(ListBox(try args.first.map { try ip.items(of: $0) } ?? []))
        case "tuple":
            return .tuple(try args.first.map { try ip.items(of: $0) } ?? [])
        case "min", "max":
            guard !args.isEmpty else { throw Raise.type("\(name) expected at least 1 argument, got 0") }
            let items = args.count == 1 ? try ip.items(of: args[0]) : args
            let key = kwargs.first(where: { $0.0 == "key" }).flatMap { $0.1.isNone ? nil : $0.1 }
            guard var best = items.first else {
                if let d = kwargs.first(where: { $0.0 == "default" })?.1 { return d }
                throw Raise.value("\(name)() arg is an empty sequence")
            }
            if args.count > 1, kwargs.contains(where: { $0.0 == "default" }) {
                throw Raise.type("Cannot specify a default for \(name)() with multiple positional arguments")
            }
            var bestKey = try key.map { try ip.call($0, [best], []) } ?? best
            for item in items.dropFirst() {
                let itemKey = try key.map { try ip.call($0, [item], []) } ?? item
                if try ip.truthValue(ip.compare(name == "min" ? .lt : .gt, itemKey, bestKey)) {
                    best = item
                    bestKey = itemKey
                }
            }
            return best
        case "sum":
            guard let iterable = args.first else { throw Raise.type("sum() takes at least 1 positional argument (0 given)") }
            var total: Value = args.count > 1 ? args[1] : kwargs.first { $0.0 == "start" }?.1 ?? .int(0)
            for item in try ip.items(of: iterable) { total = try ip.binary(.add, total, item) }
            return total
        case "isinstance":
            guard args.count == 2 else { throw Raise.type("isinstance expected 2 arguments, got \(args.count)") }
            return .bool(try ip.isInstance(args[0], args[1]))
        case "issubclass":
            guard args.count == 2 else { throw Raise.type("issubclass expected 2 arguments, got \(args.count)") }
            guard case .object(let cls as ClassObject) = args[0] else { throw Raise.type("issubclass() arg 1 must be a class") }
            func check(_ t: Value) throws -> Bool {
                switch t {
                case .tuple(let items): return try items.contains(where: check)
                case .object(let other as ClassObject): return cls.isSubclass(of: other)
                default: throw Raise.type("issubclass() arg 2 must be a class, a tuple of classes, or a union")
                }
            }
            return .bool(try check(args[1]))
        case "dict":
            let d = DictObject()
            if let first = args.first { try d.update(from: first, ip) }
            for (k, v) in kwargs { try d.set(.string(k), v) }
            return .object(d)
        case "set", "frozenset":
            return .object(try ip.makeSet(args.first, frozen: name == "frozenset"))
        case "enumerate":
            guard let iterable = args.first ?? kwargs.first(where: { $0.0 == "iterable" })?.1 else {
                throw Raise.type("enumerate() missing required argument 'iterable' (pos 1)")
            }
            var index = 0
            if args.count > 1, case .int(let start) = args[1] { index = start }
            if case .int(let start)? = kwargs.first(where: { $0.0 == "start" })?.1 { index = start }
            let iterator = try ip.makeIterator(iterable)
            return .object(ClosureIterator(typeName: "enumerate") {
                guard let item = try iterator.next() else { return nil }
                defer { index += 1 }
                return .tuple([.int(index), item])
            })
        case "zip":
            let iterators = try args.map { try ip.makeIterator($0) }
            let strict = try kwargs.first { $0.0 == "strict" }.map { try ip.truthValue($0.1) } ?? false
            return .object(ClosureIterator(typeName: "zip") {
                guard !iterators.isEmpty else { return nil }
                var items: [Value] = []
                for (k, it) in iterators.enumerated() {
                    guard let v = try it.next() else {
                        if strict && k > 0 { throw Raise.value("zip() argument \(k + 1) is shorter than argument\(k > 1 ? "s 1-\(k)" : " 1")") }
                        return nil
                    }
                    items.append(v)
                }
                return .tuple(items)
            })
        case "map":
            guard args.count >= 2 else { throw Raise.type("map() must have at least two arguments.") }
            let function = args[0]
            let iterators = try args.dropFirst().map { try ip.makeIterator($0) }
            return .object(ClosureIterator(typeName: "map") {
                var items: [Value] = []
                for it in iterators {
                    guard let v = try it.next() else { return nil }
                    items.append(v)
                }
                return try ip.call(function, items, [])
            })
        case "filter":
            guard args.count == 2 else { throw Raise.type("filter expected 2 arguments, got \(args.count)") }
            let function = args[0]
            let iterator = try ip.makeIterator(args[1])
            return .object(ClosureIterator(typeName: "filter") {
                while let v = try iterator.next() {
                    let keep = function.isNone ? try ip.truthValue(v) : try ip.truthValue(ip.call(function, [v], []))
                    if keep { return v }
                }
                return nil
            })
        case "sorted":
            guard args.count == 1 else { throw Raise.type("sorted expected 1 argument, got \(args.count)") }
            return .list(ListBox(try ip.sorted(ip.items(of: args[0]), key: kwargs.first { $0.0 == "key" }?.1,
                                               reverse: try ip.truthValue(kwargs.first { $0.0 == "reverse" }?.1 ?? .bool(false)))))
        case "reversed":
            let value = try one(args, name)
            if let method = ip.lookupSpecial(value, "__reversed__") { return try ip.call(method, [], []) }
            if case .object(let o) = value, !(o is IteratorObject), ip.lookupSpecial(value, "__len__") != nil,
               let getitem = ip.lookupSpecial(value, "__getitem__") {
                let n = try ip.lengthResult(ip.call(ip.lookupSpecial(value, "__len__")!, [], []), of: o)
                return .object(SequenceIterator(try (0..<n).reversed().map { try ip.call(getitem, [.int($0)], []) }, typeName: "reversed"))
            }
            switch value {
            case .range(let a, let b, let s):
                guard let count = Interpreter.rangeCount(a, b, s) else {
                    throw Raise(type: "OverflowError", message: "Python int too large to convert to C ssize_t")
                }
                // The last element, then back by the step.
                return .object(RangeIterator(start: count == 0 ? a : a &+ (count - 1) &* s, step: 0 &- s, count: count,
                                             typeName: "range_iterator"))
            case .list, .tuple, .string, .size: return .object(SequenceIterator(try ip.items(of: value).reversed(), typeName: "reversed"))
            case .object(let d as DictObject): return .object(SequenceIterator(d.keys.reversed(), typeName: "dict_reversekeyiterator"))
            default: throw Raise.type("'\(ip.typeName(of: value))' object is not reversible")
            }
        case "any", "all":
            var result = name == "all"
            try ip.forEach(try one(args, name), at: nil) { v in
                if try ip.truthValue(v) == (name == "any") { result = name == "any"; return false }
                return true
            }
            return .bool(result)
        case "divmod":
            guard args.count == 2 else { throw Raise.type("divmod expected 2 arguments, got \(args.count)") }
            if case .object = args[0], let method = ip.lookupSpecial(args[0], "__divmod__") { return try ip.call(method, [args[1]], []) }
            guard PythonNumbers.number(args[0]) != nil, PythonNumbers.number(args[1]) != nil else {
                throw Raise.type("unsupported operand type(s) for divmod(): '\(ip.typeName(of: args[0]))' and '\(ip.typeName(of: args[1]))'")
            }
            return .tuple([try ip.binary(.floorDiv, args[0], args[1]), try ip.binary(.mod, args[0], args[1])])
        case "hasattr":
            guard args.count == 2 else { throw Raise.type("hasattr expected 2 arguments, got \(args.count)") }
            guard case .string(let attribute) = args[1] else { throw Raise.type("attribute name must be string, not '\(ip.typeName(of: args[1]))'") }
            do {
                _ = try ip.getAttribute(args[0], attribute)
                return .bool(true)
            } catch let e as Raise where e.type == "AttributeError" {
                return .bool(false)
            } catch let e as PyException where e.object.cls.isSubclass(of: ip.classes.exception("AttributeError")) {
                return .bool(false)
            } catch let e as TorchError {
                _ = e
                return .bool(false)
            }
        case "getattr":
            guard args.count >= 2 else { throw Raise.type("getattr expected at least 2 arguments, got \(args.count)") }
            guard case .string(let attribute) = args[1] else { throw Raise.type("attribute name must be string, not '\(ip.typeName(of: args[1]))'") }
            do {
                return try ip.getAttribute(args[0], attribute)
            } catch let e as Raise where e.type == "AttributeError" && args.count > 2 {
                return args[2]
            } catch let e as PyException where args.count > 2 && e.object.cls.isSubclass(of: ip.classes.exception("AttributeError")) {
                return args[2]
            }
        case "setattr":
            guard args.count == 3 else { throw Raise.type("setattr expected 3 arguments, got \(args.count)") }
            guard case .string(let attribute) = args[1] else { throw Raise.type("attribute name must be string, not '\(ip.typeName(of: args[1]))'") }
            try ip.setAttribute(args[0], attribute, args[2])
            return .none
        case "delattr":
            guard args.count == 2 else { throw Raise.type("delattr expected 2 arguments, got \(args.count)") }
            guard case .string(let attribute) = args[1] else { throw Raise.type("attribute name must be string, not '\(ip.typeName(of: args[1]))'") }
            try ip.deleteAttribute(args[0], attribute)
            return .none
        case "callable":
            return .bool(ip.isCallable(try one(args, name)))
        case "id":
            let v = try one(args, name)
            switch v {
            case .object(let o): return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o).hashValue)))
            case .tensor(let t): return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(t).hashValue)))
            case .list(let b): return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(b).hashValue)))
            default: return .int(HashKeyIdentity.id(of: v))
            }
        case "type":
            guard args.count == 1 else { throw Raise.unsupported("type() with three arguments is not supported by autograd-viz") }
            return .object(ip.typeObject(of: args[0]))
        case "iter":
            return .object(try ip.makeIterator(try one(args, name)))
        case "next":
            guard let first = args.first else { throw Raise.type("next expected at least 1 argument, got 0") }
            guard case .object(let it as IteratorObject) = first else {
                if ip.lookupSpecial(first, "__next__") != nil {
                    if let v = try UserIterator(first, interpreter: ip).next() { return v }
                    if args.count > 1 { return args[1] }
                    throw Raise(type: "StopIteration", message: "", args: [])
                }
                throw Raise.type("'\(ip.typeName(of: first))' object is not an iterator")
            }
            if let v = try it.next() { return v }
            if args.count > 1 { return args[1] }
            throw Raise(type: "StopIteration", message: "", args: (it as? GeneratorObject).map { g in
                let returned = g.takeReturnValue()
                return returned.isNone ? [] : [returned]
            } ?? [])
        case "super":
            return try ip.makeSuper(args)
        case "staticmethod", "classmethod":
            return .object(MethodWrapper(name == "staticmethod" ? .staticMethod : .classMethod, try one(args, name)))
        case "property":
            func part(_ i: Int, _ key: String) -> Value? {
                let v = i < args.count ? args[i] : kwargs.first { $0.0 == key }?.1
                return (v?.isNone ?? true) ? nil : v
            }
            return .object(PropertyObject(getter: part(0, "fget"), setter: part(1, "fset"), deleter: part(2, "fdel")))
        case "format":
            guard !args.isEmpty else { throw Raise.type("format expected at least 1 argument, got 0") }
            var spec = ""
            if args.count > 1 { guard case .string(let s) = args[1] else { throw Raise.type("format() argument 2 must be str") }; spec = s }
            return .string(try ip.format(args[0], spec: spec))
        case "ord":
            guard case .string(let s) = try one(args, name), s.unicodeScalars.count == 1 else {
                throw Raise.type("ord() expected a character, but string of length \(args.first.flatMap { if case .string(let s) = $0 { return s.count } else { return nil } } ?? 0) found")
            }
            return .int(Int(s.unicodeScalars.first!.value))
        case "chr":
            if case .bigInt = args.first { throw Raise(type: "OverflowError", message: "Python int too large to convert to C int") }
            guard case .int(let i) = try one(args, name) else { throw Raise.type("'\(ip.typeName(of: args[0]))' object cannot be interpreted as an integer") }
            guard let scalar = Unicode.Scalar(UInt32(clamping: max(0, i))), i >= 0 else { throw Raise.value("chr() arg not in range(0x110000)") }
            return .string(String(Character(scalar)))
        case "hex", "oct", "bin":
            let v = try one(args, name)
            guard let number = PythonNumbers.number(v), let n = PythonNumbers.integer(number) else {
                throw Raise.type("'\(ip.typeName(of: v))' object cannot be interpreted as an integer")
            }
            let (radix, prefix) = name == "hex" ? (16, "0x") : name == "oct" ? (8, "0o") : (2, "0b")
            return .string((n.negative ? "-" : "") + prefix + String(n.absoluteValue, radix: radix))
        case "pow":
            guard args.count >= 2 else { throw Raise.type("pow() missing required argument 'exp' (pos 2)") }
            if args.count == 3, !args[2].isNone {
                let ints = args.map { PythonNumbers.number($0).flatMap(PythonNumbers.integer) }
                guard let b = ints[0], let e = ints[1], let m = ints[2] else {
                    throw Raise.type("pow() 3rd argument not allowed unless all arguments are integers")
                }
                return .integer(try b.power(e, modulo: m))
            }
            return try ip.binary(.pow, args[0], args[1])
        case "hash":
            let v = try one(args, name)
            return .int(try HashKey(v).pythonHash)
        case "vars":
            let v = try one(args, name)
            return try ip.getAttribute(v, "__dict__")
        case "globals", "locals":
            let d = DictObject()
            for (k, v) in ip.globals.sorted(by: { $0.key < $1.key }) { try d.set(.string(k), v) }
            return .object(d)
        case "slice":
            switch args.count {
            case 1: return .object(SliceValue(start: .none, stop: args[0], step: .none))
            case 2: return .object(SliceValue(start: args[0], stop: args[1], step: .none))
            case 3: return .object(SliceValue(start: args[0], stop: args[1], step: args[2]))
            default: throw Raise.type("slice expected at least 1 argument, got 0")
            }
        case "ascii":
            return .string(try ip.repr(try one(args, name)).unicodeScalars.map { $0.isASCII ? String($0) : String(format: $0.value > 0xFFFF ? "\\U%08x" : ($0.value > 0xFF ? "\\u%04x" : "\\x%02x"), $0.value) }.joined())
        case "input", "open", "breakpoint", "memoryview", "bytes", "bytearray", "complex", "compile", "__import__":
            throw Raise.unsupported("\(name)() is not supported by autograd-viz (scripts run without files, input or bytes)")
        case "exec", "eval":
            throw Raise.unsupported("\(name)() is not supported by autograd-viz")
        default:
            throw Raise.unsupported("builtin '\(name)' is not supported in model scripts")
        }
    }

    static func one(_ args: [Value], _ name: String) throws -> Value {
        guard args.count == 1 else { throw Raise.type("\(name)() takes exactly one argument (\(args.count) given)") }
        return args[0]
    }

    /// `int(t)` / `float(t)`: one element, or Python's ValueError.
    static func scalar(_ t: Tensor) throws -> Double {
        guard t.numel == 1 else { throw Raise.value("only one element tensors can be converted to Python scalars") }
        return try t.item()
    }

}

import Foundation

extension Builtins {
    /// `int(x)` and `int(text, base)`, with CPython's messages.
    static func int(_ args: [Value], _ kwargs: [(String, Value)], _ ip: Interpreter) throws -> Value {
        guard let v = args.first else { return .int(0) }
        let baseValue = args.count > 1 ? args[1] : kwargs.first(where: { $0.0 == "base" })?.1
        if let baseValue {
            guard case .string(let s) = v else { throw Raise.type("int() can't convert non-string with explicit base") }
            guard case .int(let base) = baseValue else {
                if case .bigInt = baseValue { throw Raise.value("int() base must be >= 2 and <= 36, or 0") }
                throw Raise.type("'\(ip.typeName(of: baseValue))' object cannot be interpreted as an integer")
            }
            return try parse(s, base: base)
        }
        switch v {
        case .int, .bigInt: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .integer(try PyInt(truncating: d))
        case .tensor(let t): return .integer(try PyInt(truncating: try Builtins.scalar(t)))
        case .string(let s): return try parse(s, base: 10)
        case .object where ip.lookupSpecial(v, "__int__") != nil || ip.lookupSpecial(v, "__index__") != nil:
            return try ip.call(ip.lookupSpecial(v, "__int__") ?? ip.lookupSpecial(v, "__index__")!, [], [])
        default: throw Raise.type("int() argument must be a string, a bytes-like object or a real number, not '\(ip.typeName(of: v))'")
        }

        func parse(_ s: String, base: Int) throws -> Value {
            guard let n = try PyInt(s, radix: base) else {
                // CPython quotes at most 200 characters of the text (`%.200R`).
                let quoted = Interpreter.quote(s)
                throw Raise.value("invalid literal for int() with base \(base): \(String(quoted.prefix(200)))")
            }
            return .integer(n)
        }
    }

    /// `round(number, ndigits)` on Python numbers: correctly rounded to
    /// decimal (half to even on the exact binary value), ints stay ints.
    static func round(_ v: Value, _ digitsValue: Value?, _ ip: Interpreter) throws -> Value {
        var digits: Int?
        if let d = digitsValue, !d.isNone {
            switch d {
            case .int(let k): digits = k
            // Clipped, as CPython's PyNumber_AsSsize_t(ndigits, NULL) does.
            case .bigInt(let k): digits = k.negative ? Int.min : Int.max
            case .bool(let b): digits = b ? 1 : 0
            default: throw Raise.type("'\(ip.typeName(of: d))' object cannot be interpreted as an integer")
            }
        }
        switch v {
        case .int, .bigInt:
            let n = PythonNumbers.integer(PythonNumbers.number(v)!)!
            guard let digits, digits < 0 else { return v }
            // 10**k beyond |n| * 2 rounds to 0 (a decimal digit is over 3 bits).
            guard -digits <= n.bitLength / 3 + 2 else { return .int(0) }
            guard case .int(let p) = try PyInt(10).power(PyInt(-digits)) else { return v }
            // Half to even: floor division, then up when the remainder is
            // over half, or exactly half with an odd quotient.
            var (q, r) = try n.divMod(p)
            let c = PyInt.compare(r + r, p)
            if c > 0 || (c == 0 && (q.limbs.first ?? 0) & 1 == 1) { q = q + PyInt(1) }
            return .integer(try q * p)
        case .bool(let b):
            return .int(b ? 1 : 0)
        case .float(let x):
            guard let digits else {
                guard x.isFinite else {
                    throw x.isNaN ? Raise.value("cannot convert float NaN to integer") : Raise(type: "OverflowError", message: "cannot convert float infinity to integer")
                }
                return .integer(try PyInt(truncating: x.rounded(.toNearestOrEven)))
            }
            guard x.isFinite, x != 0 else { return .float(x) }
            if digits > 300 { return .float(x) }
            if digits < -308 { return .float(0.0 * x) }
            if digits >= 0 {
                // printf rounds the exact binary value half to even, as CPython's dtoa does.
                let text = String(format: "%.\(digits)f", x)
                return .float(Double(text) ?? x)
            }
            let scale = Foundation.pow(10.0, Double(-digits))
            let y = (x / scale).rounded(.toNearestOrEven) * scale
            return .float(y.isFinite ? y : x)
        default:
            throw Raise.type("type \(ip.typeName(of: v)) doesn't define __round__ method")
        }
    }
}
