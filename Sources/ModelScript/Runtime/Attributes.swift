import Autograd

/// `obj.name`, `obj.name = v`, `obj[i]` and `obj[i] = v` for every kind of value.
extension Interpreter {
    func getAttribute(_ object: Value, _ name: String) throws -> Value {
        if name == "__class__" {
            // Every value has its class; a script class's instance looks
            // it up itself (a property may shadow it).
            switch object {
            case .object(is InstanceObject): break
            case .object(let o as ModuleObject) where o.cls != nil: break
            default: return .object(typeObject(of: object))
            }
        }
        switch object {
        case .tensor(let t): return try tensorAttribute(t, name)
        case .module(let module): return try moduleAttribute(module, name)
        case .gradFn(let node): return try gradFnAttribute(node, name)
        case .namedTuple(let typeName, let fields):
            if let v = fields.first(where: { $0.0 == name })?.1 { return v }
            throw Raise.attribute("'\(typeName)' object has no attribute '\(name)'")
        case .size(let dims):
            if name == "numel" { return .function(Function("numel") { _, _ in .int(dims.reduce(1, *)) }) }
        case .dtype(let d):
            if name == "is_floating_point" { return .bool(d.isFloatingPoint) }
        case .object(let o as InstanceObject): return try instanceAttribute(o, name)
        case .object(let o as ModuleObject):
            if let cls = o.cls, let v = try userModuleAttribute(o, cls, name) { return v }
            if let v = try moduleObjectAttribute(o, name) { return v }
            if let cls = o.cls, let getattr = cls.lookup("__getattr__") {
                return try call(bind(getattr, to: object, class: cls), [.string(name)], [])
            }
        case .object(let cls as ClassObject): return try classAttribute(cls, name)
        case .object(let s as SuperObject): return try superAttribute(s, name)
        case .object(let ctx as FunctionContext):
            if let v = try contextAttribute(ctx, name) { return v }
            throw Raise.attribute("'\(ctx.typeName)' object has no attribute '\(name)'")
        case .object(let o as OptimizerObject):
            if let v = optimizerAttribute(o, name) { return v }
        case .object(let f as FunctionObject):
            switch name {
            case "__name__": return f.attributes["__name__"] ?? .string(f.name)
            case "__qualname__": return f.attributes["__qualname__"] ?? .string(f.qualifiedName)
            case "__module__": return f.attributes["__module__"] ?? .string("__main__")
            case "__defaults__":
                let defaults = f.defaults.prefix(f.positionalCount).compactMap { $0 }
                return defaults.isEmpty ? .none : .tuple(defaults)
            case "__doc__": return f.attributes["__doc__"] ?? .none
            default: if let v = f.attributes[name] { return v }
            }
        case .object(let m as BoundMethod):
            switch name {
            case "__self__": return m.receiver
            case "__func__": return m.function
            default: return try getAttribute(m.function, name)
            }
        case .function(let f):
            if name == "__name__" { return .string(f.name.split(separator: ".").last.map(String.init) ?? f.name) }
            if name == "__qualname__" { return .string(f.name) }
        case .range(let a, let b, let s):
            switch name {
            case "start": return .int(a)
            case "stop": return .int(b)
            case "step": return .int(s)
            default: break
            }
        case .object(let slice as SliceValue):
            switch name {
            case "start": return slice.start
            case "stop": return slice.stop
            case "step": return slice.step
            case "indices":
                return .function(Function("slice.indices") { args, _ in
                    guard case .int(let n)? = args.first else { throw Raise.type("slice.indices() takes exactly one argument") }
                    guard n >= 0 else { throw Raise.value("length should not be negative") }
                    let (start, stop, step) = try slice.normalized(count: n)
                    return .tuple([.int(start), .int(stop), .int(step)])
                })
            default: break
            }
        case .object(let p as PropertyObject):
            switch name {
            case "setter", "getter", "deleter":
                return .function(Function("property.\(name)") { args, _ in
                    let f = args.first
                    return .object(PropertyObject(getter: name == "getter" ? f : p.getter, setter: name == "setter" ? f : p.setter,
                                                  deleter: name == "deleter" ? f : p.deleter))
                })
            case "fget": return p.getter ?? .none
            case "fset": return p.setter ?? .none
            case "fdel": return p.deleter ?? .none
            default: break
            }
        case .object(let c as CachedFunction):
            switch name {
            case "cache_info":
                return .function(Function("cache_info") { _, _ in
                    .namedTuple(name: "CacheInfo", fields: [("hits", .int(c.hits)), ("misses", .int(c.misses)),
                                                            ("maxsize", c.maxsize.map(Value.int) ?? .none), ("currsize", .int(c.entries.count))])
                })
            case "cache_clear":
                return .function(Function("cache_clear") { _, _ in
                    c.entries = []
                    c.hits = 0
                    c.misses = 0
                    return .none
                })
            case "__wrapped__": return c.function
            default: return try getAttribute(c.function, name)
            }
        case .object(let p as PartialObject):
            switch name {
            case "func": return p.function
            case "args": return .tuple(p.args)
            case "keywords":
                let d = DictObject()
                for (k, v) in p.kwargs { try d.set(.string(k), v) }
                return .object(d)
            default: break
            }
        default: break
        }
        if let method = try builtinMethod(object, name) { return method }
        if case .object(let o) = object, !(o is InstanceObject), let v = o.getAttribute(name) { return v }
        throw Raise.attribute("'\(typeName(of: object))' object has no attribute '\(name)'")
    }

    /// An attribute of an instance of the script's `nn.Module` subclass, as
    /// `nn.Module.__getattribute__` finds it before `__getattr__`: properties
    /// and methods of the script's classes, then the instance's own attributes.
    private func userModuleAttribute(_ o: ModuleObject, _ cls: ClassObject, _ name: String) throws -> Value? {
        let classValue = cls.mro.first { $0.kind != .builtin && $0.namespace[name] != nil }.flatMap { $0.namespace[name] }
        if case .object(let p as PropertyObject)? = classValue, let getter = p.getter {
            return try call(getter, [.object(o)], [])
        }
        if let v = o.attributes[name] { return v }
        if let classValue { return bind(classValue, to: .object(o), class: cls) }
        if name == "__class__" { return .object(cls) }
        return nil
    }

    /// `obj.name = value`: the class's own `__setattr__` if the script
    /// defined one, else the default.
    func setAttribute(_ object: Value, _ name: String, _ value: Value) throws {
        if let hook = userAttributeHook(object, "__setattr__") {
            _ = try call(hook, [.string(name), value], [])
            return
        }
        try defaultSetAttribute(object, name, value, plain: false)
    }

    /// The script's own `__setattr__`/`__delattr__` of an instance's class,
    /// bound to it; nil when the class keeps the default (`object`'s or
    /// `nn.Module`'s, which are builtin functions).
    private func userAttributeHook(_ object: Value, _ name: String) -> Value? {
        guard let cls = scriptClass(of: object), let method = cls.lookup(name) else { return nil }
        if case .function = method { return nil }
        return bind(method, to: object, class: cls)
    }

    /// `object.__setattr__` (`plain`: a module's attribute goes to its
    /// `__dict__`, unregistered) or `nn.Module.__setattr__`.
    func defaultSetAttribute(_ object: Value, _ name: String, _ value: Value, plain: Bool) throws {
        switch object {
        case .tensor(let t): try setTensorAttribute(t, name, value)
        case .object(let o as ModuleObject):
            if let cls = o.cls, case .object(let p as PropertyObject)? = cls.lookup(name) {
                guard let setter = p.setter else { throw Raise.attribute("property '\(name)' of '\(cls.name)' object has no setter") }
                _ = try call(setter, [object, value], [])
                return
            }
            if plain && o.cls != nil { o.attributes[name] = value } else { try setModuleObjectAttribute(o, name, value) }
        case .object(let o as InstanceObject): try setInstanceAttribute(o, name, value)
        case .object(let cls as ClassObject): cls.namespace[name] = value
        case .object(let f as FunctionObject): f.attributes[name] = value
        case .object(let o) where !(o is DictObject) && !(o is SetObject) && !(o is IteratorObject):
            try o.setAttribute(name, value)
        default: throw Raise.attribute("'\(typeName(of: object))' object attribute '\(name)' is read-only")
        }
    }

    /// `del obj.name`: the class's own `__delattr__` if the script defined
    /// one, else the default.
    func deleteAttribute(_ object: Value, _ name: String) throws {
        if let hook = userAttributeHook(object, "__delattr__") {
            _ = try call(hook, [.string(name)], [])
            return
        }
        try defaultDeleteAttribute(object, name, plain: false)
    }

    /// `object.__delattr__` (`plain`: only a module's own `__dict__`) or
    /// `nn.Module.__delattr__`.
    func defaultDeleteAttribute(_ object: Value, _ name: String, plain: Bool) throws {
        switch object {
        case .object(let o as InstanceObject):
            if case .object(let p as PropertyObject)? = o.cls.lookup(name) {
                guard let deleter = p.deleter else { throw Raise.attribute("property '\(name)' of '\(o.cls.name)' object has no deleter") }
                _ = try call(deleter, [object], [])
                return
            }
            guard o.attributes.removeValue(forKey: name) != nil else {
                throw Raise.attribute("'\(o.cls.name)' object has no attribute '\(name)'")
            }
        case .object(let o as ModuleObject):
            // nn.Module.__delattr__: a parameter, buffer or child, else the
            // instance's own attribute.
            if (!plain && o.module.removeRegistered(name)) || o.attributes.removeValue(forKey: name) != nil { return }
            throw Raise.attribute("'\(typeName(of: object))' object has no attribute '\(name)'")
        case .object(let cls as ClassObject):
            guard cls.namespace.removeValue(forKey: name) != nil else { throw Raise.attribute("type object '\(cls.name)' has no attribute '\(name)'") }
        case .tensor(let t) where name == "grad":
            t.grad = nil
        default:
            throw Raise.attribute("'\(typeName(of: object))' object has no attribute '\(name)'")
        }
    }

    /// A sequence index beyond 64 bits: CPython's IndexError (a dict key
    /// or a tensor index is another matter).
    func checkIndexFits(_ object: Value, _ index: Value) throws {
        guard case .bigInt = index else { return }
        switch object {
        case .list, .tuple, .string, .range, .size:
            throw Raise.index("cannot fit 'int' into an index-sized integer")
        case .tensor:
            throw Raise(type: "OverflowError", message: "Python int too large to convert to C long")
        default: return
        }
    }

    func getItem(_ object: Value, _ index: Value) throws -> Value {
        try checkIndexFits(object, index)
        switch object {
        case .object(let d as DictObject):
            if let v = try d.get(index) { return v }
            if d.typeName == "Counter" { return .int(0) }
            if let factory = d.defaultFactory {
                let v = try call(factory, [], [])
                try d.set(index, v)
                return v
            }
            throw Raise.key(index)
        case .object(let o as ModuleObject) where o.cls != nil && lookupSpecial(object, "__getitem__") != nil:
            return try call(lookupSpecial(object, "__getitem__")!, [index], [])
        case .object(let d as DequeObject):
            guard case .int(var i) = index else { throw Raise.type("sequence index must be integer, not '\(typeName(of: index))'") }
            if i < 0 { i += d.box.items.count }
            guard d.box.items.indices.contains(i) else { throw Raise.index("deque index out of range") }
            return d.box.items[i]
        case .object(let o as ModuleObject) where o.module is ModuleList:
            if case .object(let slice as SliceValue) = index {
                let picked = try slice.indices(count: o.module.children.count)
                return moduleValue(ModuleList(runtime: runtime, picked.map { o.module.children[$0].module }))
            }
            guard case .int(let i) = index else { throw Raise.type("ModuleList indices must be integers or slices, not \(typeName(of: index))") }
            let children = o.module.children
            let k = i < 0 ? i + children.count : i
            guard children.indices.contains(k) else { throw Raise.index("index \(i) is out of range") }
            return moduleValue(children[k].module)
        case .object(let cls as ClassObject):
            // `List[int]`, `Optional[Tensor]` in annotations that do run.
            return .object(cls)
        case .object(is InstanceObject):
            guard let method = lookupSpecial(object, "__getitem__") else {
                throw Raise.type("'\(typeName(of: object))' object is not subscriptable")
            }
            return try call(method, [index], [])
        case .tensor(let t): return .tensor(try t.index(indexItems(index, for: t)))
        case .list(let box): return try sequenceItem(box.items, index, typeName: "list") { .list(ListBox($0)) }
        case .tuple(let items): return try sequenceItem(items, index, typeName: "tuple") { .tuple($0) }
        case .size(let dims):
            return try sequenceItem(dims.map(Value.int), index, typeName: "tuple") { items in
                .size(items.compactMap { if case .int(let i) = $0 { return i } else { return nil } })
            }
        case .namedTuple(_, let fields): return try sequenceItem(fields.map(\.1), index, typeName: "tuple") { .tuple($0) }
        case .object(let g as ParamGroupObject):
            guard case .string(let key) = index, let value = g[key] else { throw Raise(type: "KeyError", message: try repr(index)) }
            return value
        case .object(let o as ModuleObject):
            guard let sequential = o.module as? Sequential else { throw Raise.type("'\(o.typeName)' object is not subscriptable") }
            if case .object(let slice as SliceValue) = index {
                return moduleValue(sequential.slice(try slice.indices(count: sequential.children.count)))
            }
            guard case .int(let i) = index else {
                throw Raise.type("Sequential indices must be integers or slices, not \(index.typeName)")
            }
            return moduleValue(try sequential.module(at: i))
        case .range(let a, let b, let step):
            guard let count = Interpreter.rangeCount(a, b, step) else {
                throw Raise(type: "OverflowError", message: "Python int too large to convert to C ssize_t")
            }
            switch index {
            case .object(let slice as SliceValue):
                let (start, stop, sliceStep) = try slice.normalized(count: count)
                return .range(a + start * step, a + stop * step, step * sliceStep)
            case .int(var i):
                if i < 0 { i += count }
                guard i >= 0, i < count else { throw Raise.index("range object index out of range") }
                return .int(a + i * step)
            default:
                throw Raise.type("range indices must be integers or slices, not \(typeName(of: index))")
            }
        case .string(let s):
            switch index {
            case .int, .bool, .object(is SliceValue): break
            case .tensor(let t) where t.numel == 1 && !t.dtype.isFloatingPoint: break
            default: throw Raise.type("string indices must be integers, not '\(typeName(of: index))'")
            }
            return try sequenceItem(s.map { .string(String($0)) }, index, typeName: "string") { parts in
                .string(parts.map { if case .string(let c) = $0 { return c } else { return "" } }.joined())
            }
        default:
            throw Raise.type("'\(typeName(of: object))' object is not subscriptable")
        }
    }

    func setItem(_ object: Value, _ index: Value, _ value: Value) throws {
        switch object {
        case .object(let d as DictObject):
            try d.set(index, value)
            return
        case .tensor(let t):
            let items = try indexItems(index, for: t)
            let source: Tensor
            switch value {
            case .tensor(let v): source = v
            case .int, .float, .bool: source = try tensorOperand(value, like: t)
            default: throw Raise.type("can't assign a \(value.typeName) to a \(t.dtype.legacyTensorName)")
            }
            try t.setIndex(items, source)
        case .list(let box):
            if case .object(let slice as SliceValue) = index {
                let replacement = try items(of: value)
                let positions = try slice.indices(count: box.items.count)
                if slice.isSimple {
                    let (start, stop) = try slice.simpleRange(count: box.items.count)
                    box.items.replaceSubrange(start..<max(start, stop), with: replacement)
                } else {
                    guard replacement.count == positions.count else {
                        throw Raise.value("attempt to assign sequence of size \(replacement.count) to extended slice of size \(positions.count)")
                    }
                    for (p, v) in zip(positions, replacement) { box.items[p] = v }
                }
                return
            }
            try checkIndexFits(object, index)
            guard case .int(var i) = index else { throw Raise.type("list indices must be integers or slices, not \(typeName(of: index))") }
            if i < 0 { i += box.items.count }
            guard box.items.indices.contains(i) else { throw Raise.index("list assignment index out of range") }
            box.items[i] = value
        case .object(let g as ParamGroupObject):
            guard case .string(let key) = index else { throw Raise.unsupported("parameter group keys are strings") }
            try g.set(key, value)
        case .object(let o as ModuleObject) where o.module is Sequential:
            guard case .int(let index) = index else { throw Raise.type("Sequential indices must be integers, not \(index.typeName)") }
            let children = o.module.children
            let i = index < 0 ? index + children.count : index
            guard children.indices.contains(i) else { throw Raise.index("index \(index) is out of range") }
            try setModuleObjectAttribute(o, children[i].name, value)
        case .object where lookupSpecial(object, "__setitem__") != nil:
            _ = try call(lookupSpecial(object, "__setitem__")!, [index, value], [])
        default:
            throw Raise.type("'\(typeName(of: object))' object does not support item assignment")
        }
    }

    func deleteItem(_ object: Value, _ index: Value) throws {
        switch object {
        case .object(let d as DictObject):
            guard try d.remove(index) != nil else { throw Raise.key(index) }
        case .list(let box):
            if case .object(let slice as SliceValue) = index {
                let positions = Set(try slice.indices(count: box.items.count))
                box.items = box.items.enumerated().filter { !positions.contains($0.offset) }.map(\.element)
                return
            }
            try checkIndexFits(object, index)
            guard case .int(var i) = index else { throw Raise.type("list indices must be integers or slices, not \(typeName(of: index))") }
            if i < 0 { i += box.items.count }
            guard box.items.indices.contains(i) else { throw Raise.index("list assignment index out of range") }
            box.items.remove(at: i)
        case .object where lookupSpecial(object, "__delitem__") != nil:
            _ = try call(lookupSpecial(object, "__delitem__")!, [index], [])
        default:
            throw Raise.type("'\(typeName(of: object))' object doesn't support item deletion")
        }
    }

    private func sequenceItem(_ items: [Value], _ index: Value, typeName: String, rebuild: ([Value]) -> Value) throws -> Value {
        switch index {
        case .int(var i):
            if i < 0 { i += items.count }
            guard items.indices.contains(i) else { throw Raise.index("\(typeName) index out of range") }
            return items[i]
        case .bool(let b):
            return try sequenceItem(items, .int(b ? 1 : 0), typeName: typeName, rebuild: rebuild)
        case .object(let slice as SliceValue):
            return rebuild(try slice.indices(count: items.count).map { items[$0] })
        case .tensor(let t) where t.numel == 1 && !t.dtype.isFloatingPoint && t.dtype != .bool:
            return try sequenceItem(items, .int(Int(try t.item())), typeName: typeName, rebuild: rebuild)
        default:
            throw Raise.type("\(typeName) indices must be integers or slices, not \(self.typeName(of: index))")
        }
    }

    /// A subscript as tensor indexing sees it.
    func indexItems(_ index: Value, for t: Tensor) throws -> [IndexItem] {
        if case .tuple(let parts) = index { return try parts.map { try indexItem($0, for: t) } }
        return [try indexItem(index, for: t)]
    }

    private func indexItem(_ v: Value, for t: Tensor) throws -> IndexItem {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .tensor(Tensor.wrapped(t.runtime, b ? 1 : 0, dtype: .bool))
        case .none: return .none
        case .ellipsis: return .ellipsis
        case .tensor(let index): return .tensor(index)
        case .object(let o as SliceValue):
            let (start, stop, step) = try o.bounds()
            return .slice(start: start, stop: stop, step: step)
        case .range:
            let values = try items(of: v).map { e -> Double in if case .int(let i) = e { return Double(i) } else { return 0 } }
            return .tensor(try Tensor.from(t.runtime, values: values, shape: [values.count], dtype: .int64))
        case .list(let box):
            let values = try box.items.map { item -> Double in
                switch item {
                case .int(let i): return Double(i)
                case .bool(let b): return b ? 1 : 0
                default: throw Raise.index("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(item.typeName))")
                }
            }
            let isMask = box.items.allSatisfy { if case .bool = $0 { return true } else { return false } } && !box.items.isEmpty
            return .tensor(try Tensor.from(t.runtime, values: values, shape: [values.count], dtype: isMask ? .bool : .int64))
        default:
            throw Raise.index("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(v.typeName))")
        }
    }
}

/// A `start:stop:step` subscript once evaluated (`slice(...)`).
final class SliceValue: ScriptObject {
    let start: Value, stop: Value, step: Value
    init(start: Value, stop: Value, step: Value) {
        self.start = start
        self.stop = stop
        self.step = step
        super.init(typeName: "slice")
    }

    /// The bounds as ints (nil where None), with Python's TypeError.
    func bounds() throws -> (Int?, Int?, Int?) {
        func int(_ v: Value) throws -> Int? {
            switch v {
            case .none: return nil
            case .int(let i): return i
            // Clamped, as CPython's _PyEval_SliceIndex clamps.
            case .bigInt(let n): return n.negative ? Int.min : Int.max
            case .bool(let b): return b ? 1 : 0
            case .tensor(let t) where t.numel == 1 && !t.dtype.isFloatingPoint: return Int(try t.item())
            default:
                throw Raise.type("slice indices must be integers or None or have an __index__ method")
            }
        }
        return (try int(start), try int(stop), try int(step))
    }

    /// Whether the step is absent or 1 (a slice assignment may resize).
    var isSimple: Bool {
        switch step {
        case .none: return true
        case .int(let i): return i == 1
        default: return false
        }
    }

    /// `slice.indices(n)` as positions, Python's clamping rules.
    func indices(count n: Int) throws -> [Int] {
        let (start, stop, stepValue) = try bounds()
        let step = stepValue ?? 1
        guard step != 0 else { throw Raise.value("slice step cannot be zero") }
        func norm(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += n }
            return step > 0 ? Swift.min(Swift.max(v, 0), n) : Swift.min(Swift.max(v, -1), n - 1)
        }
        let from = norm(start, step > 0 ? 0 : n - 1), to = norm(stop, step > 0 ? n : -1)
        return Array(Swift.stride(from: from, to: to, by: step))
    }

    /// `slice.indices(n)`: start, stop and step clamped as CPython does.
    func normalized(count n: Int) throws -> (Int, Int, Int) {
        let (start, stop, stepValue) = try bounds()
        let step = stepValue ?? 1
        guard step != 0 else { throw Raise.value("slice step cannot be zero") }
        func norm(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += n }
            return step > 0 ? Swift.min(Swift.max(v, 0), n) : Swift.min(Swift.max(v, -1), n - 1)
        }
        return (norm(start, step > 0 ? 0 : n - 1), norm(stop, step > 0 ? n : -1), step)
    }

    /// `start..<stop` of a step-1 slice, clamped to `0...n`.
    func simpleRange(count n: Int) throws -> (Int, Int) {
        let (start, stop, _) = try bounds()
        func norm(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += n }
            return Swift.min(Swift.max(v, 0), n)
        }
        return (norm(start, 0), norm(stop, n))
    }
}
