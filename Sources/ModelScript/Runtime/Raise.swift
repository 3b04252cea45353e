import Autograd

/// A Python exception raised by a builtin or a binding before it knows where
/// in the script it happened; the evaluator attaches the position.
struct Raise: Error {
    let type: String
    let message: String

    static func type(_ m: String) -> Raise { Raise(type: "TypeError", message: m) }
    static func attribute(_ m: String) -> Raise { Raise(type: "AttributeError", message: m) }
    static func value(_ m: String) -> Raise { Raise(type: "ValueError", message: m) }
    static func index(_ m: String) -> Raise { Raise(type: "IndexError", message: m) }
    static func runtime(_ m: String) -> Raise { Raise(type: "RuntimeError", message: m) }
    /// Valid PyTorch that autograd-viz does not model: named, so users know.
    static func unsupported(_ m: String) -> Raise { Raise(type: "NotImplementedError", message: m) }
}

extension ScriptError {
    /// Gives an engine or builtin error the position of the expression that
    /// raised it; errors that already carry a position keep theirs.
    static func located(_ error: Error, at location: SourceLocation) -> Error {
        switch error {
        case let e as TorchError: return ScriptError.raised(type: e.typeName, message: e.message, location)
        case let e as Raise: return ScriptError.raised(type: e.type, message: e.message, location)
        default: return error
        }
    }
}

/// The Python exception class an error surfaces as in a script.
public func pythonExceptionName(of error: Error) -> String {
    switch error {
    case let e as TorchError: return e.typeName
    case let e as Raise: return e.type
    case let e as ScriptError: return e.typeName
    default: return "RuntimeError"
    }
}
