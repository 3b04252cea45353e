import Autograd

/// `str()` and `repr()` of script values, as Python and PyTorch print them.
extension Interpreter {
    func str(_ value: Value) throws -> String {
        switch value {
        case .string(let s): return s
        case .object(let o as InstanceObject):
            if let method = lookupSpecial(value, "__str__") { return try textResult(call(method, [], []), "__str__") }
            if o.cls.inherits(.exception) { return exceptionMessage(o) }
            // object.__str__ is repr(), whose result str() checks under its own name.
            if let method = lookupSpecial(value, "__repr__") { return try textResult(call(method, [], []), "__str__") }
            return try repr(value)
        case .object(let o as ModuleObject) where o.cls != nil:
            if let method = lookupSpecial(value, "__str__") { return try textResult(call(method, [], []), "__str__") }
            return try repr(value)
        default: return try repr(value)
        }
    }

    func repr(_ value: Value) throws -> String {
        // Containers guard against themselves (`[[...]]`); anything that can
        // nest counts towards the recursion limit.
        switch value {
        case .list(let box): return try reprOnce(box, "[...]") { try reprValue(value) }
        case .object(let d as DictObject): return try reprOnce(d, "{...}") { try reprValue(value) }
        case .object(let s as SetObject): return try reprOnce(s, "\(s.typeName)(...)") { try reprValue(value) }
        case .object(let d as DequeObject): return try reprOnce(d, "[...]") { try reprValue(value) }
        case .tuple, .object(is InstanceObject), .object(is ModuleObject):
            return try nested("while getting the repr of an object") { try reprValue(value) }
        default: return try reprValue(value)
        }
    }

    /// Python's `Py_ReprEnter`: a container met again inside its own repr
    /// prints as `[...]`.
    private func reprOnce(_ object: AnyObject, _ placeholder: String, _ body: () throws -> String) throws -> String {
        let key = ObjectIdentifier(object)
        guard reprInProgress.insert(key).inserted else { return placeholder }
        defer { reprInProgress.remove(key) }
        return try nested("while getting the repr of an object", body)
    }

    /// Bounds the recursion of repr, comparison and copying over nested
    /// values, with Python's RecursionError.
    func nested<T>(_ what: String, _ body: () throws -> T) throws -> T {
        guard valueNesting < Interpreter.maxCallDepth else {
            throw Raise(type: "RecursionError", message: "maximum recursion depth exceeded \(what)")
        }
        valueNesting += 1
        defer { valueNesting -= 1 }
        return try body()
    }

    private func reprValue(_ value: Value) throws -> String {
        switch value {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let n): return try n.decimalString()
        case .float(let d): return TensorFormatter.pythonFloat(d)
        case .string(let s): return Interpreter.quote(s)
        case .tensor(let t): return t.isParameter ? "Parameter containing:\n" + t.description : t.description
        case .list(let box): return "[" + (try box.items.map(repr)).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + (try repr(items[0])) + ",)" }
            return "(" + (try items.map(repr)).joined(separator: ", ") + ")"
        case .size(let dims): return "torch.Size([" + dims.map(String.init).joined(separator: ", ") + "])"
        case .dtype(let d): return d.torchName
        case .gradFn(let node as CustomFunctionNode): return "<torch.autograd.function.\(node.name) object at \(address(of: node))>"
        case .gradFn(let node): return "<\(node.name) object at \(address(of: node))>"
        case .namedTuple(let name, let fields) where name.hasPrefix("torch."):
            return name + "(\n" + (try fields.map { "\($0.0)=\(try repr($0.1))" }).joined(separator: ",\n") + ")"
        case .namedTuple(let name, let fields):
            return name + "(" + (try fields.map { "\($0.0)=\(try repr($0.1))" }).joined(separator: ", ") + ")"
        case .function(let f): return "<built-in method \(f.name)>"
        case .module(let name): return "<module '\(name)'>"
        case .context: return "<context manager>"
        case .range(let a, let b, let s): return s == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(s))"
        case .ellipsis: return "Ellipsis"
        case .object(let g as GeneratorObject): return "<generator object \(g.qualifiedName) at \(address(of: g))>"
        case .object(let g as SequenceIterator) where g.qualifiedName != nil:
            return "<generator object \(g.qualifiedName!) at \(address(of: g))>"
        case .object(let g as ComprehensionIterator): return "<generator object <genexpr> at \(address(of: g))>"
        case .object(let d as DictObject) where d.typeName == "OrderedDict":
            if d.count == 0 { return "OrderedDict()" }
            return "OrderedDict([" + (try d.items.map { "(\(try repr($0.0)), \(try repr($0.1)))" }).joined(separator: ", ") + "])"
        case .object(let d as DictObject) where d.typeName == "Counter":
            if d.count == 0 { return "Counter()" }
            let ordered = try sorted(d.items.map { .tuple([$0.0, $0.1]) }, key: .function(Function("count") { args, _ in
                guard case .tuple(let pair) = args[0] else { return .none }
                return pair[1]
            }), reverse: true)
            return "Counter({" + (try ordered.map { v -> String in
                guard case .tuple(let pair) = v else { return "" }
                return "\(try repr(pair[0])): \(try repr(pair[1]))"
            }).joined(separator: ", ") + "})"
        case .object(let d as DictObject):
            if d.count == 0 { return d.defaultFactory != nil ? "defaultdict(\(try repr(d.defaultFactory!)), {})" : "{}" }
            let body = "{" + (try d.items.map { "\(try repr($0.0)): \(try repr($0.1))" }).joined(separator: ", ") + "}"
            return d.defaultFactory != nil ? "defaultdict(\(try repr(d.defaultFactory!)), \(body))" : body
        case .object(let s as SetObject):
            if s.count == 0 { return s.frozen ? "frozenset()" : "set()" }
            let body = "{" + (try s.items.map(repr)).joined(separator: ", ") + "}"
            return s.frozen ? "frozenset(\(body))" : body
        case .object(let d as DequeObject):
            return "deque([" + (try d.box.items.map(repr)).joined(separator: ", ") + "]" + (d.maxlen.map { ", maxlen=\($0)" } ?? "") + ")"
        case .object(let v as DictView):
            return "\(v.typeName)([" + (try v.elements.map(repr)).joined(separator: ", ") + "])"
        case .object(let f as FunctionObject): return "<function \(f.qualifiedName) at \(address(of: f))>"
        case .object(let m as BoundMethod): return "<bound method \(callableName(m.function)) of \(try repr(m.receiver))>"
        case .object(let c as ClassObject): return c.repr
        case .object(let o as InstanceObject):
            if let method = lookupSpecial(value, "__repr__") { return try textResult(call(method, [], []), "__repr__") }
            if o.cls.inherits(.exception) {
                let args = o.args
                return o.cls.name + (args.count == 1 ? "(\(try repr(args[0])))" : try repr(.tuple(args)))
            }
            return "<\(o.cls.moduleName).\(o.cls.qualifiedName) object at \(address(of: o))>"
        case .object(let o as ModuleObject):
            if o.cls != nil, let method = lookupSpecial(value, "__repr__") { return try textResult(call(method, [], []), "__repr__") }
            return try o.module.repr()
        case .object(let s as SliceValue): return "slice(\(try repr(s.start)), \(try repr(s.stop)), \(try repr(s.step)))"
        case .object(let it as IteratorObject): return "<\(it.typeName) object at \(address(of: it))>"
        case .object(let o as OptimizerObject): return try optimizerRepr(o)
        case .object(let g as ParamGroupObject): return try paramGroupRepr(g)
        case .object(let o): return o.repr
        }
    }

    /// What `__str__`/`__repr__` returned, which must be a str.
    private func textResult(_ v: Value, _ method: String) throws -> String {
        guard case .string(let s) = v else { throw Raise.type("\(method) returned non-string (type \(typeName(of: v)))") }
        return s
    }

    /// Python's repr of a string: single quotes unless the text has one
    /// (and no double quote), non-printable characters escaped.
    static func quote(_ s: String) -> String {
        let useDouble = s.contains("'") && !s.contains("\"")
        let q: Character = useDouble ? "\"" : "'"
        var out = String(q)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case Unicode.Scalar(String(q))!: out += "\\\(q)"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    out += "\\x" + hex(scalar.value, 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, 4)
                } else {
                    out += "\\U" + hex(scalar.value, 8)
                }
            }
        }
        out.append(q)
        return out
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python's `str.isprintable` for one character: not a control,
    /// separator (other than the space) or unassigned code point.
    private static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        if c == " " { return true }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
