import Autograd
import Foundation

/// f-strings, `format()`, `str.format` and `%`: values to text through
/// Python's format-spec mini-language.
extension Interpreter {
    /// An f-string's text.
    func formatted(_ parts: [FormattedPart], _ frame: Frame) throws -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text):
                out += text
            case .value(let expr, let conversion, let specParts):
                var value = try evaluate(expr, frame)
                switch conversion {
                case "r": value = .string(try repr(value))
                case "s": value = .string(try str(value))
                case "a": value = .string(pythonASCII(try repr(value)))
                default: break
                }
                let spec = try formatted(specParts, frame)
                do { out += try format(value, spec: spec) } catch { throw located(error, at: expr.location) }
            }
        }
        return out
    }

    /// `format(value, spec)`.
    func format(_ value: Value, spec: String) throws -> String {
        if let method = lookupSpecial(value, "__format__") {
            guard case .string(let s) = try call(method, [.string(spec)], []) else {
                throw Raise.type("__format__ must return a str")
            }
            return s
        }
        do {
            return try formatBuiltin(value, spec: spec)
        } catch let e as PythonError {
            throw Raise(type: e.type, message: e.message)
        }
    }

    private func formatBuiltin(_ value: Value, spec: String) throws -> String {
        switch value {
        case .int(let i): return try PythonFormat.format(i, spec: spec)
        case .bigInt(let n): return try PythonFormat.format(n, spec: spec)
        case .bool(let b): return try PythonFormat.format(b, spec: spec)
        case .float(let d): return try PythonFormat.format(d, spec: spec)
        case .string(let s): return try PythonFormat.format(s, spec: spec)
        case .tensor(let t):
            // Tensor.__format__: a 0-d tensor formats as its item, for every spec (f"{loss}" prints 5.0);
            // only a plain Tensor (`type(self) is Tensor`): a Parameter formats as its str.
            if t.rank == 0 && !t.isParameter {
                let v = try t.item()
                switch t.dtype {
                case .bool: return try format(.bool(v != 0), spec: spec)
                case .int64: return try format(.int(Int(v)), spec: spec)
                default: return try format(.float(v), spec: spec)
                }
            }
            guard spec.isEmpty else {
                throw Raise.type("unsupported format string passed to \(t.isParameter ? "Parameter" : "Tensor").__format__")
            }
            return try str(value)
        default:
            guard spec.isEmpty else { throw Raise.type("unsupported format string passed to \(typeName(of: value)).__format__") }
            return try str(value)
        }
    }

    /// `template.format(*args, **kwargs)`, scanned as CPython scans it.
    func strFormat(_ template: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> String {
        do {
            return try renderFormatString(template, FormatHost(interpreter: self, args: args, kwargs: kwargs))
        } catch let e as PythonError {
            throw Raise(type: e.type, message: e.message)
        }
    }

    /// `template % values`.
    func percentFormat(_ template: String, _ values: Value) throws -> String {
        func argument(_ v: Value) -> PercentArgument {
            var integer: Int?, real: Double?, text: String?
            switch v {
            case .int(let i): integer = i; real = Double(i)
            case .bigInt(let n):
                var a = PercentArgument(typeName: "int", real: try? n.toDouble(),
                                        str: { try n.decimalString() }, repr: { try n.decimalString() })
                a.bigInteger = n
                return a
            case .bool(let b): integer = b ? 1 : 0; real = b ? 1 : 0
            case .float(let d): real = d
            case .string(let s): text = s
            case .tensor(let t) where t.numel == 1:
                if let v = try? t.item() {
                    real = v
                    if !t.dtype.isFloatingPoint { integer = Int(v) }
                }
            default: break
            }
            return PercentArgument(typeName: typeName(of: v), integer: integer, real: real, text: text,
                                   str: { [unowned self] in try self.str(v) }, repr: { [unowned self] in try self.repr(v) })
        }
        let arguments: PercentArguments
        switch values {
        case .tuple(let items): arguments = .tuple(items.map(argument))
        case .object(let d as DictObject):
            arguments = .mapping(argument(values), lookup: { key in
                guard let v = try d.get(.string(key)) else { throw Raise.key(.string(key)) }
                return argument(v)
            })
        case .list, .object(is InstanceObject):
            arguments = .mapping(argument(values), lookup: { [unowned self] key in argument(try self.getItem(values, .string(key))) })
        default: arguments = .single(argument(values))
        }
        do {
            return try ModelScript.percentFormat(template, arguments)
        } catch let e as PythonError {
            throw Raise(type: e.type, message: e.message)
        }
    }
}

/// The interpreter's values for `renderFormatString`.
private struct FormatHost: FormatStringHost {
    let interpreter: Interpreter
    let args: [Value]
    let kwargs: [(String, Value)]

    var positionalCount: Int? { args.count }
    func positional(_ index: Int) throws -> Value { args[index] }
    func keyword(_ name: String) throws -> Value {
        guard let v = kwargs.first(where: { $0.0 == name })?.1 else { throw Raise.key(.string(name)) }
        return v
    }
    func attribute(_ object: Value, _ name: String) throws -> Value { try interpreter.getAttribute(object, name) }
    func item(_ object: Value, _ accessor: FieldAccessor) throws -> Value {
        switch accessor {
        case .index(let i): return try interpreter.getItem(object, .int(i))
        case .key(let k): return try interpreter.getItem(object, .string(k))
        case .attribute(let a): return try interpreter.getAttribute(object, a)
        }
    }
    func convert(_ object: Value, _ conversion: Character) throws -> Value {
        switch conversion {
        case "r": return .string(try interpreter.repr(object))
        case "a": return .string(pythonASCII(try interpreter.repr(object)))
        default: return .string(try interpreter.str(object))
        }
    }
    func format(_ object: Value, spec: String) throws -> String { try interpreter.format(object, spec: spec) }
}
