/// Everything that can go wrong while reading or running a model script.
/// Every case carries the position it points at.
public enum ScriptError: Error, Equatable, Sendable {
    /// The text is not valid Python (bad token, bad indentation, unbalanced
    /// brackets). Reported like Python's `SyntaxError`.
    case syntax(String, SourceLocation)
    /// Valid Python that is outside the subset autograd-viz runs (a `while`
    /// loop, a `def`, an unknown torch function). Names the construct.
    case unsupported(String, SourceLocation)
    /// The script raised, as it would under Python: `type` is the Python
    /// exception class (`RuntimeError`, `AssertionError`, `NameError`, ...)
    /// and `message` is `str(e)`, copied from PyTorch where PyTorch has a text.
    case raised(type: String, message: String, SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .syntax(_, let l), .unsupported(_, let l), .raised(_, _, let l): return l
        }
    }

    /// The Python exception class a user would see.
    public var typeName: String {
        switch self {
        case .syntax: return "SyntaxError"
        case .unsupported: return "NotImplementedError"
        case .raised(let type, _, _): return type
        }
    }

    public var message: String {
        switch self {
        case .syntax(let m, _), .unsupported(let m, _), .raised(_, let m, _): return m
        }
    }
}
