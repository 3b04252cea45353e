import Autograd

/// `obj.name`, `obj.name = v`, `obj[i]` and `obj[i] = v` for every kind of value.
extension Interpreter {
    func getAttribute(_ object: Value, _ name: String) throws -> Value {
        switch object {
        case .tensor(let t): return try tensorAttribute(t, name)
        case .module(let module): return try moduleAttribute(module, name)
        case .gradFn(let node): return try gradFnAttribute(node, name)
        case .namedTuple(let typeName, let fields):
            if let v = fields.first(where: { $0.0 == name })?.1 { return v }
            throw Raise.attribute("'\(typeName)' object has no attribute '\(name)'")
        case .size(let dims):
            if name == "numel" { return .function(Function("numel") { _, _ in .int(dims.reduce(1, *)) }) }
        case .list(let box):
            if name == "append" {
                return .function(Function("append") { args, _ in
                    guard args.count == 1 else { throw Raise.type("list.append() takes exactly one argument (\(args.count) given)") }
                    box.items.append(args[0])
                    return .none
                })
            }
        case .dtype(let d):
            if name == "is_floating_point" { return .bool(d.isFloatingPoint) }
        case .object(let o as ModuleObject):
            if let v = try moduleObjectAttribute(o, name) { return v }
        case .object(let o as OptimizerObject):
            if let v = optimizerAttribute(o, name) { return v }
        case .object(let o):
            if let v = o.getAttribute(name) { return v }
        default: break
        }
        throw Raise.attribute("'\(object.typeName)' object has no attribute '\(name)'")
    }

    func setAttribute(_ object: Value, _ name: String, _ value: Value) throws {
        switch object {
        case .tensor(let t): try setTensorAttribute(t, name, value)
        case .object(let o as ModuleObject): try setModuleObjectAttribute(o, name, value)
        case .object(let o): try o.setAttribute(name, value)
        default: throw Raise.attribute("'\(object.typeName)' object attribute '\(name)' is read-only")
        }
    }

    func getItem(_ object: Value, _ index: Value) throws -> Value {
        switch object {
        case .tensor(let t): return .tensor(try t.index(indexItems(index, for: t)))
        case .list(let box): return try sequenceItem(box.items, index, typeName: "list") { .list(ListBox($0)) }
        case .tuple(let items): return try sequenceItem(items, index, typeName: "tuple") { .tuple($0) }
        case .size(let dims):
            return try sequenceItem(dims.map(Value.int), index, typeName: "tuple") { items in
                .size(items.compactMap { if case .int(let i) = $0 { return i } else { return nil } })
            }
        case .namedTuple(_, let fields): return try sequenceItem(fields.map(\.1), index, typeName: "tuple") { .tuple($0) }
        case .object(let g as ParamGroupObject):
            guard case .string(let key) = index, let value = g[key] else { throw Raise(type: "KeyError", message: repr(index)) }
            return value
        case .object(let o as ModuleObject):
            guard let sequential = o.module as? Sequential else { throw Raise.type("'\(o.typeName)' object is not subscriptable") }
            if case .object(let slice as SliceValue) = index {
                let positions = try sequenceItem(sequential.children.indices.map(Value.int), .object(slice), typeName: "list") { .list(ListBox($0)) }
                let picked = try items(of: positions).compactMap { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
                return moduleValue(sequential.slice(picked))
            }
            guard case .int(let i) = index else {
                throw Raise.type("Sequential indices must be integers or slices, not \(index.typeName)")
            }
            return moduleValue(try sequential.module(at: i))
        case .string(let s):
            return try sequenceItem(s.map { .string(String($0)) }, index, typeName: "string") { parts in
                .string(parts.map { if case .string(let c) = $0 { return c } else { return "" } }.joined())
            }
        default:
            throw Raise.type("'\(object.typeName)' object is not subscriptable")
        }
    }

    func setItem(_ object: Value, _ index: Value, _ value: Value) throws {
        switch object {
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
            guard case .int(var i) = index else { throw Raise.type("list indices must be integers or slices, not \(index.typeName)") }
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
        default:
            throw Raise.type("'\(object.typeName)' object does not support item assignment")
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
        case .object(let o) where o is SliceValue:
            let slice = o as! SliceValue
            let n = items.count
            let step = slice.step ?? 1
            guard step != 0 else { throw Raise.value("slice step cannot be zero") }
            func norm(_ v: Int?, _ fallback: Int) -> Int {
                guard var v else { return fallback }
                if v < 0 { v += n }
                return step > 0 ? Swift.min(Swift.max(v, 0), n) : Swift.min(Swift.max(v, -1), n - 1)
            }
            let start = norm(slice.start, step > 0 ? 0 : n - 1), stop = norm(slice.stop, step > 0 ? n : -1)
            return rebuild(Swift.stride(from: start, to: stop, by: step).map { items[$0] })
        default:
            throw Raise.type("\(typeName) indices must be integers or slices, not \(index.typeName)")
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
        case .object(let o as SliceValue): return .slice(start: o.start, stop: o.stop, step: o.step)
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

/// A `start:stop:step` subscript once evaluated.
final class SliceValue: ScriptObject {
    let start: Int?, stop: Int?, step: Int?
    init(start: Int?, stop: Int?, step: Int?) {
        self.start = start
        self.stop = stop
        self.step = step
        super.init(typeName: "slice")
    }
    override var repr: String {
        func s(_ v: Int?) -> String { v.map(String.init) ?? "None" }
        return "slice(\(s(start)), \(s(stop)), \(s(step)))"
    }
}
