import Autograd

/// A Python value as a model script sees it.
///
/// Not `indirect`: every payload is a reference or a few words already (the
/// recursive cases hold arrays), and boxing each value would cost an
/// allocation per tensor result the interpreter passes around.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    /// An int that does not fit in 64 bits (never one that does: results
    /// are normalised by `Value.integer`).
    case bigInt(PyInt)
    case float(Double)
    case string(String)
    case tensor(Tensor)
    /// A Python list: a reference, so `xs.append(...)` is seen by every name.
    case list(ListBox)
    case tuple([Value])
    /// `torch.Size`, a tuple of ints that prints as `torch.Size([2, 3])`.
    case size([Int])
    case dtype(DType)
    /// A grad_fn object (`MulBackward0`, `AccumulateGrad`).
    case gradFn(Node)
    /// `torch.return_types.max(values=..., indices=...)`.
    case namedTuple(name: String, fields: [(String, Value)])
    /// Builtins, torch functions, bound methods and lambdas.
    case function(Function)
    /// `torch`, `torch.nn`, `torch.nn.functional`, `torch.autograd`, `math`.
    case module(String)
    /// What `with` accepts: `torch.no_grad()` and friends.
    case context(ContextManager)
    case range(Int, Int, Int)
    case ellipsis
    /// An object with attributes (nn modules, hook handles, optimizers).
    case object(ScriptObject)

    var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .tensor: return "Tensor"
        case .list: return "list"
        case .tuple: return "tuple"
        case .size: return "Size"
        case .dtype: return "dtype"
        case .gradFn(let node): return node.name
        case .namedTuple(let name, _): return name
        case .function: return "builtin_function_or_method"
        case .module: return "module"
        case .context: return "context manager"
        case .range: return "range"
        case .ellipsis: return "ellipsis"
        case .object(let o): return o.typeName
        }
    }
}

extension Value {
    /// A Python int: `.int` when it fits in 64 bits, `.bigInt` otherwise.
    static func integer(_ n: PyInt) -> Value {
        if let i = n.asInt { return .int(i) }
        return .bigInt(n)
    }
}

public final class ListBox {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// A callable: `call(positional, keywords)`.
public final class Function {
    public let name: String
    let body: ([Value], [(String, Value)]) throws -> Value
    init(_ name: String, _ body: @escaping ([Value], [(String, Value)]) throws -> Value) {
        self.name = name
        self.body = body
    }
    func call(_ args: [Value], _ kwargs: [(String, Value)] = []) throws -> Value { try body(args, kwargs) }
}

/// `with` targets: grad-mode switches and anomaly detection.
public final class ContextManager {
    let enter: () throws -> Value
    let exit: () -> Void
    init(enter: @escaping () throws -> Value, exit: @escaping () -> Void) {
        self.enter = enter
        self.exit = exit
    }
}

/// A Python object with named attributes and methods, held by reference:
/// the base of modules, optimizers, containers, functions, classes and
/// instances, iterators and the other objects a script can hold.
public class ScriptObject {
    public let typeName: String
    var attributes: [String: Value] = [:]
    /// Creation order: the deterministic stand-in for the address CPython
    /// hashes an object by (sets of objects iterate alike on every run).
    let serial: Int
    nonisolated(unsafe) private static var created = 0
    public init(typeName: String) {
        self.typeName = typeName
        ScriptObject.created += 1
        self.serial = ScriptObject.created
    }
    func getAttribute(_ name: String) -> Value? { attributes[name] }
    func setAttribute(_ name: String, _ value: Value) throws { attributes[name] = value }
    var repr: String { "<\(typeName) object>" }
}
