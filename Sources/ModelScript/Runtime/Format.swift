import Autograd

/// `str()` and `repr()` of script values, as Python and PyTorch print them.
extension Interpreter {
    func str(_ value: Value) -> String {
        switch value {
        case .string(let s): return s
        case .object(let o as InstanceObject):
            if let method = lookupSpecial(value, "__str__"), case .string(let s)? = try? call(method, [], []) { return s }
            if o.cls.inherits(.exception) { return exceptionMessage(o) }
            return repr(value)
        case .object(let o as ModuleObject) where o.cls != nil:
            if let method = lookupSpecial(value, "__str__"), case .string(let s)? = try? call(method, [], []) { return s }
            return repr(value)
        default: return repr(value)
        }
    }

    func repr(_ value: Value) -> String {
        switch value {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return TensorFormatter.pythonFloat(d)
        case .string(let s): return Interpreter.quote(s)
        case .tensor(let t): return t.isParameter ? "Parameter containing:\n" + t.description : t.description
        case .list(let box): return "[" + box.items.map(repr).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + repr(items[0]) + ",)" }
            return "(" + items.map(repr).joined(separator: ", ") + ")"
        case .size(let dims): return "torch.Size([" + dims.map(String.init).joined(separator: ", ") + "])"
        case .dtype(let d): return d.torchName
        case .gradFn(let node as CustomFunctionNode): return "<torch.autograd.function.\(node.name) object at \(address(of: node))>"
        case .gradFn(let node): return "<\(node.name) object at \(address(of: node))>"
        case .namedTuple(let name, let fields):
            return name + "(\n" + fields.map { "\($0.0)=\(repr($0.1))" }.joined(separator: ",\n") + ")"
        case .function(let f): return "<built-in method \(f.name)>"
        case .module(let name): return "<module '\(name)'>"
        case .context: return "<context manager>"
        case .range(let a, let b, let s): return s == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(s))"
        case .ellipsis: return "Ellipsis"
        case .object(let g as GeneratorObject): return "<generator object \(g.qualifiedName) at \(address(of: g))>"
        case .object(let g as SequenceIterator) where g.qualifiedName != nil:
            return "<generator object \(g.qualifiedName!) at \(address(of: g))>"
        case .object(let g as ComprehensionIterator): return "<generator object <genexpr> at \(address(of: g))>"
        case .object(let d as DictObject):
            if d.count == 0 { return d.defaultFactory != nil ? "defaultdict(\(repr(d.defaultFactory!)), {})" : "{}" }
            let body = "{" + d.items.map { "\(repr($0.0)): \(repr($0.1))" }.joined(separator: ", ") + "}"
            return d.defaultFactory != nil ? "defaultdict(\(repr(d.defaultFactory!)), \(body))" : body
        case .object(let s as SetObject):
            if s.count == 0 { return s.frozen ? "frozenset()" : "set()" }
            let body = "{" + s.items.map(repr).joined(separator: ", ") + "}"
            return s.frozen ? "frozenset(\(body))" : body
        case .object(let d as DequeObject):
            return "deque([" + d.box.items.map(repr).joined(separator: ", ") + "]" + (d.maxlen.map { ", maxlen=\($0)" } ?? "") + ")"
        case .object(let v as DictView):
            return "\(v.typeName)([" + v.elements.map(repr).joined(separator: ", ") + "])"
        case .object(let f as FunctionObject): return "<function \(f.qualifiedName) at \(address(of: f))>"
        case .object(let m as BoundMethod): return "<bound method \(callableName(m.function)) of \(repr(m.receiver))>"
        case .object(let c as ClassObject): return c.repr
        case .object(let o as InstanceObject):
            if let method = lookupSpecial(value, "__repr__"), case .string(let s)? = try? call(method, [], []) { return s }
            if o.cls.inherits(.exception) {
                let args = o.args
                return o.cls.name + (args.count == 1 ? "(\(repr(args[0])))" : repr(.tuple(args)))
            }
            return "<\(o.cls.moduleName).\(o.cls.qualifiedName) object at \(address(of: o))>"
        case .object(let o as ModuleObject) where o.cls != nil:
            if let method = lookupSpecial(value, "__repr__"), case .string(let s)? = try? call(method, [], []) { return s }
            return o.module.description
        case .object(let s as SliceValue): return "slice(\(repr(s.start)), \(repr(s.stop)), \(repr(s.step)))"
        case .object(let it as IteratorObject): return "<\(it.typeName) object at \(address(of: it))>"
        case .object(let o as OptimizerObject): return optimizerRepr(o)
        case .object(let g as ParamGroupObject): return paramGroupRepr(g)
        case .object(let o): return o.repr
        }
    }

    /// Python's repr of a string: single quotes unless the text has one.
    static func quote(_ s: String) -> String {
        let useDouble = s.contains("'") && !s.contains("\"")
        let q: Character = useDouble ? "\"" : "'"
        var out = String(q)
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case q: out += "\\\(q)"
            default: out.append(c)
            }
        }
        out.append(q)
        return out
    }
}
