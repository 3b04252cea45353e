import Foundation  // Thread: see `onLargeStack`

/// The parser of model scripts: Python 3.11, as CPython parses it.
///
/// Entry points: `Parser.parse(_:)` for a whole script and
/// `Parser.parseExpression(_:)` for a single expression. Both throw
/// `ScriptError`:
///
/// - `.syntax` for text Python itself rejects, with CPython 3.11's message
///   and position (IndentationError and TabError are reported as `.syntax`
///   too, with Python's message);
/// - `.unsupported` for valid Python that scripts cannot use (`async`,
///   `match`, bytes, ...), naming the construct.
///
/// NOTE [A port of CPython's grammar]
/// The rules in `Parser+*.swift` are a port of CPython 3.11's PEG grammar
/// (Grammar/python.gram), one function per rule, in the grammar's order of
/// alternatives, because CPython's error messages and positions fall out of
/// how that grammar runs:
///
/// - A first pass runs without the `invalid_*` rules. If it fails, a second
///   pass runs with them; the first of them to match raises its specific
///   error. If none does, the error is "invalid syntax" at the furthest
///   token the *first* pass looked at (`furthest`, CPython's `fill - 1`),
///   which is why every rule looks at tokens exactly as CPython's does.
///   (CPython only holds back an invalid rule that is an alternative on
///   its own; the one other use, in `dict`, runs in both passes.)
/// - Errors raised while the first pass runs (a bad literal, a forced
///   `&&':'`) end the parse at once; a tokenizer error ends it as soon as
///   the parser reaches the bad token (`TokenizerFailure`).
/// - After a parse error CPython tokenizes the rest of the file, and a
///   tokenizer error there may replace the parse error (`finish(_:)`).
/// - Left-recursive rules (`sum: sum '+' term | term`) are loops; rules
///   CPython memoizes are memoized here too, which keeps backtracking linear.
///
/// Errors CPython finds after parsing (its symbol table and compiler:
/// "'return' outside function") come from `CompileChecks`, and refused
/// constructs only after those, because Python would refuse to run such a
/// file at all.
public struct Parser {
    public static func parse(_ source: String) throws -> [Stmt] {
        try onLargeStack {
            var parser = Parser(text: Array(source.unicodeScalars))
            let body = try parser.run { try $0.fileRule() }
            try parser.check(body)
            return body
        }
    }

    /// Parses one expression (a tuple if it has top-level commas), e.g. a
    /// debugger watch expression, as Python's `eval` mode does. Leading
    /// whitespace is an "unexpected indent", as it would be in a script.
    public static func parseExpression(_ source: String) throws -> Expr {
        try onLargeStack {
            var parser = Parser(text: Array(source.unicodeScalars))
            let expr = try parser.run { try $0.evalRule() }
            try parser.check([Stmt(.expr(expr), at: expr.location, source: source)])
            return expr
        }
    }

    /// Recursive descent uses stack in proportion to nesting: a bracket
    /// level goes through some twenty rules. Parsing on a thread of our own
    /// with a known stack keeps the parser crash-free whichever thread
    /// calls it, up to the nesting limits (`maxNesting`, the tokenizer's
    /// 200 brackets).
    private static func onLargeStack<T>(_ work: @escaping () throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.result = Result(catching: work)
            done.signal()
        }
        thread.stackSize = 128 << 20
        thread.start()
        done.wait()
        // The thread always sets the result before signalling.
        guard let result = outcome.result else { return try work() }
        return try result.get()
    }

    /// Carries the result back from the parsing thread, which hands it over
    /// before signalling, so the unchecked sendability is safe.
    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }

    /// Bounds the depth of expression trees (nested operands, and links of
    /// chains like `a + b + ...` or `x.f().g`), so that neither this parser
    /// nor code walking the tree can overflow the stack. CPython gives up
    /// between 2000 and 3000 with a RecursionError; real scripts stay far
    /// below.
    static let maxNesting = 1000

    /// The tokenizer stopped at a token the parser reached: its error is
    /// final, as in CPython.
    struct TokenizerFailure: Error {
        var error: ScriptError
    }

    let text: [Unicode.Scalar]
    let tokens: [Token]
    /// The current token.
    var pos = 0
    /// The furthest token looked at (CPython's `p->fill - 1`).
    var furthest = 0
    /// Whether the `invalid_*` rules run (CPython's second pass).
    var secondPass = false
    var nesting = 0
    var exprMemo: [Int: (value: Expr?, end: Int)] = [:]
    var stmtMemo: [Int: (value: [Stmt]?, end: Int)] = [:]
    var argumentsMemo: [Int: (value: CallArguments?, end: Int)] = [:]
    /// Valid Python that scripts cannot use, met while parsing; reported
    /// only if the script has no syntax error at all.
    var refusals: [ScriptError] = []
    /// Where `async` tokens are, f-strings included: the AST has no place
    /// for them, and `CompileChecks` needs to know (see there).
    var asyncLocations: Set<SourceLocation> = []
    /// Where the targets of `async for` clauses start.
    var asyncComprehensionTargets: Set<SourceLocation> = []
    /// Where `invalid_named_expression` already failed (it is memoized).
    var invalidNamedExpressionFailed: Set<Int> = []
    /// `closed_pattern`'s memo: where the pattern starts, if it matched.
    var patternMemo: [Int: (value: SourceLocation?, end: Int)] = [:]
    /// Set for the parser of an f-string's `{expression}`.
    var fstring: FStringContext?
    /// The script's lines (without their line breaks), for CPython's
    /// error columns; an f-string's parser shares the script's.
    let scriptLines: [ArraySlice<Unicode.Scalar>]
    /// `Lexer.tokenizeWithBuffers`' buffer lines (empty for an f-string's parser).
    let bufferLines: [Int]

    init(text: [Unicode.Scalar]) {
        let lexed = Lexer.tokenizeWithBuffers(text)
        self.init(text: text, tokens: lexed.tokens, scriptLines: Self.lines(of: text), bufferLines: lexed.bufferLines)
    }

    init(text: [Unicode.Scalar], tokens lexed: [Token], scriptLines: [ArraySlice<Unicode.Scalar>],
         bufferLines: [Int] = [], fstring: FStringContext? = nil) {
        self.text = text
        tokens = lexed.isEmpty
            ? [Token(.endOfFile, at: SourceLocation(line: 1, column: 1), start: 0, end: 0)]
            : lexed
        self.fstring = fstring
        self.scriptLines = scriptLines
        self.bufferLines = bufferLines
        for (index, token) in tokens.enumerated() where token.isKeyword("async") {
            asyncLocations.insert(token.location)
            if index + 2 < tokens.count, tokens[index + 1].isKeyword("for") {
                asyncComprehensionTargets.insert(tokens[index + 2].location)
            }
        }
    }

    // MARK: - The two passes

    /// The errors CPython raises once a file parses, then the refusals.
    func check(_ body: [Stmt]) throws {
        let checks = CompileChecks(asyncLocations: asyncLocations, asyncComprehensionTargets: asyncComprehensionTargets)
        if let error = checks.firstError(in: body) { throw error }
        let refused = refusals + checks.refusals(in: body)
        let first = refused.min { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        if let first { throw first }
    }

    /// Runs `start` as CPython's `_PyPegen_run_parser` does: a first pass,
    /// and on failure a second pass with the `invalid_*` rules, then the
    /// error CPython would report.
    mutating func run<T>(_ start: (inout Parser) throws -> T?) throws -> T {
        do {
            if let result = try start(&self) { return result }
        } catch let failure as TokenizerFailure {
            throw located(failure.error)
        } catch let error as ScriptError {
            throw finish(error)
        }
        let lastToken = furthest
        pos = 0
        secondPass = true
        exprMemo = [:]
        stmtMemo = [:]
        argumentsMemo = [:]
        invalidNamedExpressionFailed = []
        patternMemo = [:]
        nesting = 0
        do {
            _ = try start(&self)
        } catch let failure as TokenizerFailure {
            throw located(failure.error)
        } catch let error as ScriptError {
            throw finish(error)
        }
        // No rule had a better message: CPython's generic errors.
        switch tokens[lastToken].kind {
        case .indent:
            throw raiseIndentationError("unexpected indent")
        case .dedent:
            throw raiseIndentationError("unexpected unindent")
        default:
            throw finish(syntaxError("invalid syntax", at: lastToken))
        }
    }

    /// CPython tokenizes the rest of the file after a parse error: a
    /// tokenizer error found there replaces it if the tokenizer itself
    /// raised it (a bad character, an unterminated string), and an unclosed
    /// bracket replaces it if the bracket opened on an earlier line than the
    /// furthest token parsed.
    func finish(_ error: ScriptError) -> ScriptError {
        guard case .syntax = error,
              case .error(let lexError, let kind)? = tokens.last?.kind else { return error }
        switch kind {
        case .fatal:
            return lexError
        case .whenReached(let unclosed?) where unclosed.location.line < tokens[furthest].location.line:
            return located(unclosed)
        default:
            return error
        }
    }

    /// A tokenizer error with CPython's column: "'(' was never closed" is
    /// reported at the end of the file, with the bracket's byte column
    /// converted as parse errors are (see NOTE [Error columns]).
    func located(_ error: ScriptError) -> ScriptError {
        guard fstring == nil, case .syntax(let message, let location) = error,
              message.hasSuffix("was never closed") else { return error }
        let column = pythonColumn(location, tokenizerLine: scriptLines.count)
        return .syntax(message, SourceLocation(line: location.line, column: column))
    }

    // MARK: - Tokens

    /// The current token, looked at (CPython fetches it, which moves
    /// `furthest`). Reaching the tokenizer's error throws it.
    mutating func token() throws -> Token {
        if pos > furthest { furthest = pos }
        let current = tokens[pos]
        if case .error(let error, _) = current.kind { throw TokenizerFailure(error: error) }
        return current
    }

    @discardableResult
    mutating func advance() -> Token {
        let current = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return current
    }

    /// The token before the current one: the last one a rule consumed.
    var previous: Token { tokens[max(pos - 1, 0)] }

    mutating func expect(_ match: (TokenKind) -> Bool) throws -> Token? {
        let current = try token()
        guard match(current.kind) else { return nil }
        return advance()
    }

    mutating func expectOp(_ symbol: String) throws -> Token? {
        try expect { $0 == .op(symbol) }
    }

    mutating func expectKeyword(_ word: String) throws -> Token? {
        try expect { $0 == .keyword(word) }
    }

    /// A NAME (not a keyword), with its text.
    mutating func expectName() throws -> (name: String, token: Token)? {
        let current = try token()
        guard case .name(let name) = current.kind else { return nil }
        advance()
        return (name, current)
    }

    /// A soft keyword: a NAME spelled `word`.
    mutating func expectSoftKeyword(_ word: String) throws -> Token? {
        try expect { $0 == .name(word) }
    }

    mutating func expectNewline() throws -> Token? { try expect { $0 == .newline } }
    mutating func expectIndent() throws -> Token? { try expect { $0 == .indent } }
    mutating func expectDedent() throws -> Token? { try expect { $0 == .dedent } }

    mutating func isOp(_ symbol: String) throws -> Bool { try token().isOp(symbol) }
    mutating func isKeyword(_ word: String) throws -> Bool { try token().isKeyword(word) }

    /// `&&'x'`: the token must be there, else "expected 'x'" at once.
    mutating func forced(_ symbol: String) throws -> Token {
        if let found = try expectOp(symbol) { return found }
        _ = try token()
        throw syntaxError("expected '\(symbol)'", at: pos)
    }

    /// `&e` and `!e`: whether `rule` matches here, consuming nothing.
    mutating func lookahead<T>(_ rule: (inout Parser) throws -> T?) throws -> Bool {
        let mark = pos
        defer { pos = mark }
        return try rule(&self) != nil
    }

    /// `e?` where failing must not move the position.
    mutating func optional<T>(_ rule: (inout Parser) throws -> T?) throws -> T? {
        let mark = pos
        if let result = try rule(&self) { return result }
        pos = mark
        return nil
    }

    /// The text of the script from `first` through the last consumed token.
    func sourceText(from first: Token) -> String {
        let end = min(max(first.start, previous.end), text.count)
        guard first.start < end else { return "" }
        return String(String.UnicodeScalarView(text[first.start..<end]))
    }

    // MARK: - Memos

    /// The rules CPython memoizes, by an id for the memo key.
    enum Memo: Int {
        case expression, disjunction, conjunction, inversion, bitwiseOr, factor, awaitPrimary, primary
        case starExpression, strings, arguments, starTarget, targetWithStarAtom, tPrimary, delTarget
        case simpleStmt, block
    }

    mutating func memoized(_ rule: Memo, _ body: (inout Parser) throws -> Expr?) throws -> Expr? {
        _ = try token()  // CPython fetches the token before looking at its memo
        let key = pos &* 32 &+ rule.rawValue
        if let memo = exprMemo[key] {
            pos = memo.end
            return memo.value
        }
        let start = pos
        let value = try body(&self)
        if value == nil { pos = start }
        exprMemo[key] = (value, pos)
        return value
    }

    mutating func memoizedStatements(_ rule: Memo, _ body: (inout Parser) throws -> [Stmt]?) throws -> [Stmt]? {
        _ = try token()
        let key = pos &* 32 &+ rule.rawValue
        if let memo = stmtMemo[key] {
            pos = memo.end
            return memo.value
        }
        let start = pos
        let value = try body(&self)
        if value == nil { pos = start }
        stmtMemo[key] = (value, pos)
        return value
    }

    /// Counts one level of expression nesting for the duration of `body`.
    mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
        try descend()
        defer { nesting -= 1 }
        return try body(&self)
    }

    mutating func descend() throws {
        guard nesting < Self.maxNesting else {
            throw ScriptError.raised(type: "RecursionError",
                                     message: "maximum recursion depth exceeded during compilation",
                                     tokens[pos].location)
        }
        nesting += 1
    }

    // MARK: - Errors

    /// `RAISE_SYNTAX_ERROR(msg)`: at the furthest token looked at.
    func raise(_ message: String) -> ScriptError {
        raise(message, at: tokens[furthest].location)
    }

    /// `RAISE_SYNTAX_ERROR_KNOWN_LOCATION(a, msg)`.
    func raise(_ message: String, at location: SourceLocation) -> ScriptError {
        if let fstring { return .syntax("f-string: " + message, fstring.errorLocation(of: location, in: self)) }
        return .syntax(message, SourceLocation(line: location.line, column: pythonColumn(location)))
    }

    /// NOTE [Error columns]: CPython keeps columns in UTF-8 bytes and
    /// turns a parse error's into characters by decoding that many bytes of
    /// its tokenizer's line buffer. That buffer starts at the error's line,
    /// except while the tokenizer is still on that line and a multi-line
    /// string or a backslash joined it to earlier ones: then it starts
    /// there, and the column comes out shorter on a line after non-ASCII
    /// text. The result is always the character column for ASCII scripts.
    func pythonColumn(_ location: SourceLocation, tokenizerLine: Int? = nil) -> Int {
        let line = location.line
        guard location.column >= 1, line >= 1, line <= scriptLines.count else { return location.column }
        let lineText = scriptLines[line - 1]
        guard !lineText.allSatisfy(\.isASCII) || bufferLines.count > line && bufferLines[line] != line else {
            return location.column
        }
        let before = lineText.prefix(location.column - 1)
        var bytes = Self.utf8Count(before) + (location.column - 1 - before.count) + 1
        let tokenizerLine = tokenizerLine
            ?? Self.line(ofOffset: max(tokens[furthest].end - 1, tokens[furthest].start), in: scriptLines)
        var buffer = lineText
        if tokenizerLine <= line, bufferLines.count > line, bufferLines[line] < line {
            let first = scriptLines[bufferLines[line] - 1]
            buffer = text[first.startIndex..<lineText.endIndex]
        }
        bytes = min(bytes, Self.utf8Count(buffer) + 2)  // the buffer also holds its line break
        var characters = 0
        var used = 0
        for scalar in buffer where used < bytes {
            used += String(scalar).utf8.count
            characters += 1
        }
        return characters + max(0, bytes - used)
    }

    static func utf8Count(_ scalars: ArraySlice<Unicode.Scalar>) -> Int {
        scalars.reduce(0) { $0 + String($1).utf8.count }
    }

    /// The script's lines, split where the lexer ends lines ("\n", "\r\n", "\r").
    static func lines(of text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var lines: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        var k = 0
        while k < text.count {
            if text[k] == "\n" || text[k] == "\r" {
                lines.append(text[start..<k])
                k += text[k] == "\r" && k + 1 < text.count && text[k + 1] == "\n" ? 2 : 1
                start = k
            } else {
                k += 1
            }
        }
        lines.append(text[start..<text.count])
        return lines
    }

    /// The 1-based line of a scalar offset.
    static func line(ofOffset offset: Int, in lines: [ArraySlice<Unicode.Scalar>]) -> Int {
        var low = 0
        var high = lines.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lines[middle].startIndex <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// `RAISE_SYNTAX_ERROR_KNOWN_LOCATION(token, msg)`. CPython gives
    /// INDENT, DEDENT and ENDMARKER no column (-1), which it reports as 0.
    func syntaxError(_ message: String, at index: Int) -> ScriptError {
        var location = tokens[index].location
        switch tokens[index].kind {
        case .indent, .dedent, .endOfFile: location.column = 0
        default: break
        }
        return raise(message, at: location)
    }

    /// `RAISE_INDENTATION_ERROR(msg)`, at the furthest token.
    func raiseIndentationError(_ message: String) -> ScriptError {
        raise(message)
    }
}
