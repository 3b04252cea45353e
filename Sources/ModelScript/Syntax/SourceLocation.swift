/// A 1-based position in a script: the line (entry k of a model file's `code`
/// array is line k) and the column, counted in characters.
///
/// Parse errors use CPython 3.11's positions, which puts a few of them at
/// column 0 (an indentation error pointing at a dedent to the margin, an
/// error at the end of the file) and, for an error on a later line of a
/// multi-line f-string expression, even at a negative column (see NOTE
/// [Error columns in f-strings] in FormattedStrings.swift).
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}
