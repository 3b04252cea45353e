import Autograd

/// A Python exception raised by a builtin or a binding before it knows where
/// in the script it happened; the evaluator attaches the position (and the
/// traceback) with `Interpreter.located`.
struct Raise: Error {
    let type: String
    let message: String
    /// The exception's `args` when they are not just the message (a
    /// KeyError keeps its key, a StopIteration its value).
    var args: [Value]? = nil

    init(type: String, message: String, args: [Value]? = nil) {
        self.type = type
        self.message = message
        self.args = args
    }

    static func type(_ m: String) -> Raise { Raise(type: "TypeError", message: m) }
    static func attribute(_ m: String) -> Raise { Raise(type: "AttributeError", message: m) }
    static func value(_ m: String) -> Raise { Raise(type: "ValueError", message: m) }
    static func index(_ m: String) -> Raise { Raise(type: "IndexError", message: m) }
    static func runtime(_ m: String) -> Raise { Raise(type: "RuntimeError", message: m) }
    static func key(_ key: Value) -> Raise { Raise(type: "KeyError", message: "", args: [key]) }
    /// Valid PyTorch that autograd-viz does not model: named, so users know.
    static func unsupported(_ m: String) -> Raise { Raise(type: "NotImplementedError", message: m) }
}

/// The Python exception class an error surfaces as in a script.
public func pythonExceptionName(of error: Error) -> String {
    switch error {
    case let e as TorchError: return e.typeName
    case let e as Raise: return e.type
    case let e as PythonError: return e.type
    case let e as ScriptError: return e.typeName
    case let e as PyException: return e.object.cls.name
    default: return "RuntimeError"
    }
}
