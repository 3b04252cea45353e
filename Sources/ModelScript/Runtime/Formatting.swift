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
                case "r": value = .string(repr(value))
                case "s": value = .string(str(value))
                case "a": value = .string(repr(value))
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
        switch value {
        case .int(let i): return try PythonFormat.format(i, spec: spec)
        case .bool(let b): return spec.isEmpty ? (b ? "True" : "False") : try PythonFormat.format(b ? 1 : 0, spec: spec)
        case .float(let d): return try PythonFormat.format(d, spec: spec)
        case .string(let s): return try PythonFormat.format(s, spec: spec)
        case .tensor(let t):
            // Tensor.__format__: a 0-d tensor formats as its item.
            if t.rank == 0 && !spec.isEmpty {
                let v = try t.item()
                switch t.dtype {
                case .bool: return try format(.bool(v != 0), spec: spec)
                case .int64: return try format(.int(Int(v)), spec: spec)
                default: return try format(.float(v), spec: spec)
                }
            }
            guard spec.isEmpty else { throw Raise.type("unsupported format string passed to Tensor.__format__") }
            return str(value)
        default:
            guard spec.isEmpty else { throw Raise.type("unsupported format string passed to \(typeName(of: value)).__format__") }
            return str(value)
        }
    }

    /// `template.format(*args, **kwargs)`.
    func strFormat(_ template: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> String {
        var out = ""
        var automatic = 0
        var manual = false
        for piece in try PythonFormat.parseFormatString(template) {
            switch piece {
            case .literal(let text): out += text
            case .field(let name, let accessors, let conversion, let specPieces):
                var value: Value
                if name.isEmpty {
                    if manual { throw Raise.value("cannot switch from manual field specification to automatic field numbering") }
                    guard automatic < args.count else { throw Raise.index("Replacement index \(automatic) out of range for positional args tuple") }
                    value = args[automatic]
                    automatic += 1
                } else if let i = Int(name) {
                    if automatic > 0 { throw Raise.value("cannot switch from automatic field numbering to manual field specification") }
                    manual = true
                    guard i < args.count else { throw Raise.index("Replacement index \(i) out of range for positional args tuple") }
                    value = args[i]
                } else {
                    guard let v = kwargs.first(where: { $0.0 == name })?.1 else { throw Raise.key(.string(name)) }
                    value = v
                }
                for accessor in accessors {
                    switch accessor {
                    case .attribute(let attribute): value = try getAttribute(value, attribute)
                    case .index(let key): value = try getItem(value, Int(key).map(Value.int) ?? .string(key))
                    }
                }
                switch conversion {
                case "r": value = .string(repr(value))
                case "s": value = .string(str(value))
                case "a": value = .string(repr(value))
                default: break
                }
                let spec = try strFormat(PythonFormat.joinSpec(specPieces), args, kwargs)
                out += try format(value, spec: spec)
            }
        }
        return out
    }
}
