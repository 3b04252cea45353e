/// A Python exception raised by the library pieces under Library/ (`random`,
/// `format`, `%`, `str.format`): the exception class and CPython 3.11's exact
/// message, for the interpreter to raise as it is.
public struct PythonError: Error, Equatable, Sendable {
    /// The exception class: "ValueError", "TypeError", "OverflowError", ...
    public let type: String
    public let message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    static func value(_ message: String) -> PythonError { PythonError(type: "ValueError", message: message) }
    static func type(_ message: String) -> PythonError { PythonError(type: "TypeError", message: message) }
    static func index(_ message: String) -> PythonError { PythonError(type: "IndexError", message: message) }
    static func overflow(_ message: String) -> PythonError { PythonError(type: "OverflowError", message: message) }
    static func zeroDivision(_ message: String) -> PythonError { PythonError(type: "ZeroDivisionError", message: message) }
    static func notImplemented(_ message: String) -> PythonError { PythonError(type: "NotImplementedError", message: message) }

    /// The most characters (or elements) one string or sequence may be asked
    /// to hold: a width, precision or repeat count beyond raises MemoryError
    /// before anything is allocated (CPython's limit is the machine's memory).
    public static let maxLength = 1 << 26

    /// MemoryError when `count` is beyond `maxLength`.
    public static func checkLength(_ count: Int) throws {
        if count > maxLength { throw PythonError(type: "MemoryError", message: "") }
    }
}
