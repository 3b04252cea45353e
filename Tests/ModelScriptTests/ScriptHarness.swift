@testable import ModelScript

/// Runs small scripts for the interpreter's test suites.
enum ScriptHarness {
    /// The interpreter after running `lines` (as if from the file `path`).
    static func interpreter(_ lines: [String], path: String) throws -> Interpreter {
        let interpreter = Interpreter(path: path, seed: 0)
        try interpreter.run(lines.joined(separator: "\n"))
        return interpreter
    }

    /// The error `lines` raise, or nil when they run to the end.
    static func failure(_ lines: [String], path: String) -> ScriptError? {
        do {
            _ = try interpreter(lines, path: path)
            return nil
        } catch {
            return error as? ScriptError
        }
    }
}
