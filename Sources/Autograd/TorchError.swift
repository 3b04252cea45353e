/// An exception raised by the engine, as PyTorch would raise it: the Python
/// exception class and `str(e)`, copied from PyTorch where PyTorch has a text.
public enum TorchError: Error, Equatable, Sendable {
    /// `RuntimeError` — shape mismatches, freed graphs, in-place violations.
    case runtime(String)
    /// `IndexError` — out-of-range indices and dimensions.
    case index(String)
    /// `TypeError` — wrong argument types.
    case type(String)
    /// `ValueError` — right type, unusable value.
    case value(String)
    /// `NotImplementedError` — PyTorch's own (softmax of a Long tensor), or
    /// valid PyTorch that autograd-viz does not model.
    case notImplemented(String)
    /// `RecursionError` — a module that contains itself, printed or called.
    case recursion(String)

    public var typeName: String {
        switch self {
        case .runtime: return "RuntimeError"
        case .index: return "IndexError"
        case .type: return "TypeError"
        case .value: return "ValueError"
        case .notImplemented: return "NotImplementedError"
        case .recursion: return "RecursionError"
        }
    }

    public var message: String {
        switch self {
        case .runtime(let m), .index(let m), .type(let m), .value(let m), .notImplemented(let m), .recursion(let m): return m
        }
    }
}

/// PyTorch's texts that more than one place raises.
enum Messages {
    static let backwardTwice = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."
    static let leafInPlace = "a leaf Variable that requires grad is being used in an in-place operation."
    static let viewOfLeafInPlace = "a view of a leaf Variable that requires grad is being used in an in-place operation."
    static let recursion = "maximum recursion depth exceeded"
    static let implicitScalar = "grad can be implicitly created only for scalar outputs"
    static func noGradFn(_ index: Int) -> String {
        "element \(index) of tensors does not require grad and does not have a grad_fn"
    }
}
