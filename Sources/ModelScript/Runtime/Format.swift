import Autograd

/// `str()` and `repr()` of script values, as Python and PyTorch print them.
extension Interpreter {
    func str(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        return repr(value)
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
        case .gradFn(let node): return "<\(node.name) object at \(address(of: node))>"
        case .namedTuple(let name, let fields):
            return name + "(\n" + fields.map { "\($0.0)=\(repr($0.1))" }.joined(separator: ",\n") + ")"
        case .function(let f): return "<built-in method \(f.name)>"
        case .module(let name): return "<module '\(name)'>"
        case .context: return "<context manager>"
        case .range(let a, let b, let s): return s == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(s))"
        case .ellipsis: return "Ellipsis"
        case .object(let g as GeneratorObject): return "<generator object \(g.qualifiedName) at \(address(of: g))>"
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
