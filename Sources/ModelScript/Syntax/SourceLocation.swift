/// A 1-based position in a script: the line (entry k of a model file's `code`
/// array is line k) and the column, counted in characters.
///
/// Parse errors use CPython 3.11's positions, which puts a few of them at
/// column 0: an indentation error pointing at a dedent to the margin
/// ("expected an indented block ..." followed by an unindented line).
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}
