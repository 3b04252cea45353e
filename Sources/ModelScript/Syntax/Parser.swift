import Foundation  // Thread: see `onLargeStack`

/// A recursive-descent parser for model scripts (a subset of Python 3).
///
/// Entry points: `Parser.parse(_:)` for a whole script and
/// `Parser.parseExpression(_:)` for a single expression. Both throw
/// `ScriptError`:
///
/// - `.syntax` for text Python itself rejects, with CPython 3.11's message
///   and position (IndentationError and TabError are reported as `.syntax`
///   too, with Python's message);
/// - `.unsupported` for valid Python outside the subset, naming the
///   construct.
///
/// Which error wins follows Python: a syntax error anywhere beats the
/// errors CPython only finds after parsing ("'break' outside loop"), and
/// both beat an unsupported construct, because Python would refuse to run
/// the file at all while we would have refused on the first construct. To
/// get there the parser records unsupported constructs, skips them and
/// carries on.
public struct Parser {
    public static func parse(_ source: String) throws -> [Stmt] {
        try onLargeStack {
            var parser = Parser(source: source)
            let body = try parser.parseModule()
            try parser.reportDeferred()
            return body
        }
    }

    /// Parses one expression (a tuple if it has top-level commas), e.g. a
    /// debugger watch expression. Leading whitespace is an "unexpected
    /// indent", as it would be in a script.
    public static func parseExpression(_ source: String) throws -> Expr {
        try onLargeStack {
            var parser = Parser(source: source)
            if case .indent = parser.peek.kind { throw parser.unexpectedIndent() }
            let expr = try parser.parseStarExpressions()
            if parser.peek.isNewline { parser.advance() }
            guard parser.peek.kind == .endOfFile else { throw parser.invalidSyntax() }
            try parser.reportDeferred()
            return expr
        }
    }

    /// Recursive descent uses stack in proportion to nesting: about 20 KB
    /// per bracket level in a debug build (6 KB optimized), so the deepest
    /// input the limits allow needs ~5 MB, more than a secondary thread
    /// gets by default. Parsing on a thread of our own with a known stack
    /// keeps the parser crash-free whichever thread calls it.
    private static func onLargeStack<T>(_ work: @escaping () throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.result = Result(catching: work)
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        done.wait()
        // The thread always sets the result before signalling.
        guard let result = outcome.result else { return try work() }
        return try result.get()
    }

    /// Bounds the depth of expression trees (nested operands, and links of
    /// chains like `a + b + ...` or `x.f().g`), so that neither this parser
    /// nor code walking the tree can overflow the stack. CPython gives up
    /// near 3000 with a RecursionError; real scripts stay far below.
    static let maxNesting = 1000

    /// Carries the result back from the parsing thread, which hands it over
    /// before signalling, so the unchecked sendability is safe.
    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }

    /// Thrown for a construct outside the subset; caught at the statement
    /// that contains it, which is then skipped.
    private struct Unsupported: Error {
        var error: ScriptError
    }

    private let text: [Unicode.Scalar]
    private let tokens: [Token]
    private var pos = 0
    /// The furthest token looked at. CPython decides whether a tokenizer
    /// error later in the file replaces a parse error by comparing lines
    /// with the last token the parser fetched.
    private var furthest = 0
    /// Errors that only matter if the whole file parses: errors CPython
    /// raises after parsing, and unsupported constructs.
    private var deferred: [ScriptError] = []
    private var loopDepth = 0
    private var nesting = 0
    /// The first `print <expression>` without parentheses that parsed as
    /// valid Python (`print -1`, `print [x]`). CPython's error pass reports
    /// it instead of most later syntax errors, so we do too.
    private var legacyPrint: Expr?

    /// What a speculative parse must put back. `furthest` is deliberately
    /// not restored: CPython has fetched those tokens too.
    private struct Checkpoint {
        var pos: Int
        var deferred: [ScriptError]
        var nesting: Int
        var legacyPrint: Expr?
    }

    private var checkpoint: Checkpoint {
        Checkpoint(pos: pos, deferred: deferred, nesting: nesting, legacyPrint: legacyPrint)
    }

    private mutating func restore(_ saved: Checkpoint) {
        pos = saved.pos
        deferred = saved.deferred
        nesting = saved.nesting
        legacyPrint = saved.legacyPrint
    }

    private init(source: String) {
        text = Array(source.unicodeScalars)
        let lexed = Lexer.tokenize(text)
        tokens = lexed.isEmpty
            ? [Token(.endOfFile, at: SourceLocation(line: 1, column: 1), start: 0, end: 0)]
            : lexed
    }

    private func reportDeferred() throws {
        let compileError = deferred.first { if case .syntax = $0 { return true } else { return false } }
        if let error = compileError ?? deferred.first { throw error }
    }

    // MARK: - Token access

    private var peek: Token { tokens[pos] }

    private var previous: Token { tokens[max(pos - 1, 0)] }

    private mutating func peek(ahead n: Int) -> Token {
        let k = min(pos + n, tokens.count - 1)
        furthest = max(furthest, k)
        return tokens[k]
    }

    /// Consumes the current token; never moves past the final one, so a
    /// loop that keeps advancing ends at `.endOfFile` or `.error`.
    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        furthest = max(furthest, pos)
        return token
    }

    private mutating func acceptOp(_ symbol: String) -> Bool {
        guard peek.isOp(symbol) else { return false }
        advance()
        return true
    }

    private mutating func acceptKeyword(_ word: String) -> Bool {
        guard peek.isKeyword(word) else { return false }
        advance()
        return true
    }

    @discardableResult
    private mutating func expectOp(_ symbol: String) throws -> Token {
        guard peek.isOp(symbol) else { throw invalidSyntax() }
        return advance()
    }

    /// The colon of a block header. After `else` and `try` CPython insists
    /// ("expected ':'" whatever comes instead); elsewhere only a line end
    /// gets that message.
    private mutating func expectColon(forced: Bool = false) throws {
        if acceptOp(":") { return }
        if forced { throw syntaxError("expected ':'", at: peek.location, firstPass: true) }
        if peek.isNewline { throw syntaxError("expected ':'", at: peek.location) }
        throw unexpectedAfterExpression(nil, inBrackets: false)
    }

    private mutating func identifier() throws -> String {
        guard case .name(let name) = peek.kind else { throw invalidSyntax() }
        advance()
        return name
    }

    private var atStatementEnd: Bool { peek.isNewline || peek.isOp(";") || peek.isEnd }

    /// Tokens that can begin an expression; used to tell a trailing comma
    /// from a next element, and for CPython's "forgot a comma" hint.
    private func startsExpression(_ token: Token) -> Bool {
        switch token.kind {
        case .name, .int, .float, .string, .rejectedLiteral:
            return true
        case .keyword(let word):
            return ["None", "True", "False", "not", "lambda", "await"].contains(word)
        case .op(let symbol):
            return ["(", "[", "{", "-", "+", "~", "...", "*", "**"].contains(symbol)
        default:
            return false
        }
    }

    /// The text of the statement that began at `first`, up to the last
    /// consumed token.
    private func sourceText(from first: Token) -> String {
        let end = min(max(first.start, previous.end), text.count)
        guard first.start < end else { return "" }
        return String(String.UnicodeScalarView(text[first.start..<end]))
    }

    // MARK: - Errors

    /// The error to throw for a parse failure, after letting another error
    /// take its place the way CPython does: a tokenizer error the parser
    /// ran into, else (unless CPython raises this one on its first pass)
    /// an earlier legacy `print`, then a fatal tokenizer error anywhere, or
    /// an unclosed bracket on an earlier line.
    private func syntaxError(_ message: String, at location: SourceLocation, firstPass: Bool = false) -> ScriptError {
        if case .error(let error, _) = tokens[furthest].kind { return error }
        var result = ScriptError.syntax(message, location)
        var line = tokens[furthest].location.line
        if !firstPass, let print = legacyPrint, case .name(let name, _) = print.kind {
            result = .syntax(legacyMessage(name), print.location)
            line = print.location.line
        }
        if case .error(let error, let kind)? = tokens.last?.kind {
            switch kind {
            case .fatal:
                return error
            case .whenReached(let unclosed?) where unclosed.location.line < line:
                return unclosed
            default:
                break
            }
        }
        return result
    }

    /// "invalid syntax" at the current token, or at the one after a stray
    /// `not` (`a not b`), where CPython's lookahead for `not in` stopped.
    private mutating func invalidSyntax() -> ScriptError {
        syntaxError("invalid syntax", at: unexpectedTokenLocation)
    }

    private var unexpectedTokenLocation: SourceLocation {
        mutating get {
            if peek.isKeyword("not"), !peek(ahead: 1).isKeyword("in") { return peek(ahead: 1).location }
            return peek.location
        }
    }

    /// Only a legacy `print` replaces this one in CPython.
    private func unexpectedIndent() -> ScriptError {
        if legacyPrint != nil { return syntaxError("unexpected indent", at: peek.location) }
        if case .error(let error, _) = tokens[furthest].kind { return error }
        return .syntax("unexpected indent", peek.location)
    }

    private func unsupported(_ message: String, at location: SourceLocation) -> Unsupported {
        Unsupported(error: .unsupported(message, location))
    }

    /// The error for a literal the lexer refused.
    private func rejection(_ error: ScriptError) -> Error {
        switch error {
        case .unsupported: return Unsupported(error: error)
        case .syntax(let message, let location): return syntaxError(message, at: location, firstPass: true)
        default: return error
        }
    }

    /// The error for a complete expression (`element`, if known) followed
    /// by `peek`, which cannot continue it. CPython's second pass looks for
    /// a better message here, and parses the next expression to do so; we
    /// parse it too, because how far that gets decides whether a tokenizer
    /// error further on wins (see `furthest`).
    private mutating func unexpectedAfterExpression(_ element: Expr?, inBrackets: Bool) -> ScriptError {
        if let element, case .name(let name, _) = element.kind, Self.legacyStatements.contains(name),
           startsExpression(peek) {
            return legacyStatementError(name, at: element.location)
        }
        var afterString = false
        if case .string? = element?.kind { afterString = true }
        if case .name(let name) = peek.kind, Self.legacyStatements.contains(name), !afterString,
           startsExpression(peek(ahead: 1)), !peek(ahead: 1).isOp("(") {
            return legacyStatementError(name, at: peek.location)
        }
        guard startsExpression(peek) else { return invalidSyntax() }
        let unexpected = unexpectedTokenLocation
        let saved = checkpoint
        let nextParses = (try? parseExpression()) != nil
        restore(saved)
        var nameThenString = false
        if case .name? = element?.kind, case .string = tokens[saved.pos].kind { nameThenString = true }
        // CPython skips the hint after a soft keyword, which it recognises
        // with strncmp over the name's length: `m`, `ca`, `_` all count.
        var softKeyword = false
        if let element, let first = tokens.first(where: { $0.location == element.location }),
           case .name(let name) = first.kind {
            softKeyword = ["match", "case", "_"].contains { $0.hasPrefix(name) }
        }
        if inBrackets, nextParses, !nameThenString, !softKeyword, let element {
            return syntaxError("invalid syntax. Perhaps you forgot a comma?", at: element.location)
        }
        return syntaxError("invalid syntax", at: unexpected)
    }

    private static let legacyStatements: Set<String> = ["print", "exec"]

    private func legacyStatementError(_ name: String, at location: SourceLocation) -> ScriptError {
        syntaxError(legacyMessage(name), at: location)
    }

    private func legacyMessage(_ name: String) -> String {
        "Missing parentheses in call to '\(name)'. Did you mean \(name)(...)?"
    }

    /// `*x` and `**x` are only valid Python as elements of displays, call
    /// arguments, subscripts and assignment sides; there they are
    /// unsupported, anywhere else they are a syntax error (left to the atom).
    private mutating func rejectStarred(allowDouble: Bool = false) throws {
        guard peek.isOp("*") || (allowDouble && peek.isOp("**")), case .op(let symbol) = peek.kind else { return }
        let star = advance()
        _ = try parseBinary(minPrecedence: 1)  // `*` alone is a syntax error
        throw unsupported("'\(symbol)' unpacking is not supported in model scripts", at: star.location)
    }

    private mutating func descend() throws {
        guard nesting < Self.maxNesting else {
            throw ScriptError.raised(type: "RecursionError",
                                     message: "maximum recursion depth exceeded during compilation",
                                     peek.location)
        }
        nesting += 1
    }

    // MARK: - Statements

    private mutating func parseModule() throws -> [Stmt] {
        var body: [Stmt] = []
        while peek.kind != .endOfFile {
            body += try parseStatement()
        }
        return body
    }

    /// One statement, or several for `a; b` and `import a, b`. An
    /// unsupported construct is recorded and the statement skipped.
    private mutating func parseStatement() throws -> [Stmt] {
        do {
            return try parseStatementOrThrow()
        } catch let unsupported as Unsupported {
            deferred.append(unsupported.error)
            skipStatement()
            return []
        }
    }

    private mutating func parseStatementOrThrow() throws -> [Stmt] {
        let first = peek
        switch first.kind {
        case .indent:
            throw unexpectedIndent()
        case .keyword("if"):
            return [try parseIf()]
        case .keyword("for"):
            return [try parseFor()]
        case .keyword("with"):
            return [try parseWith()]
        case .keyword("while"):
            try checkUnsupportedHeader()
            throw unsupported("'while' loops are not supported in model scripts", at: first.location)
        case .keyword("def"):
            try checkFunctionHeader()
            throw unsupported("'def' is not supported in model scripts (use lambda)", at: first.location)
        case .keyword(let word) where ["class", "try", "async"].contains(word):
            try checkUnsupportedHeader()
            throw unsupported("'\(word)' is not supported in model scripts", at: first.location)
        case .op("@"):
            while acceptOp("@") {
                _ = try parseNamedExpression()
                guard peek.isNewline else { throw unexpectedAfterExpression(nil, inBrackets: false) }
                advance()
            }
            // Only a function or a class can follow; the skip then drops it.
            guard peek.isKeyword("def") || peek.isKeyword("class") || peek.isKeyword("async") else {
                throw invalidSyntax()
            }
            throw unsupported("decorators are not supported in model scripts", at: first.location)
        case .name("match") where isMatchStatement():
            throw unsupported("'match' statements are not supported in model scripts", at: first.location)
        default:
            return try parseSimpleStatements()
        }
    }

    /// Parses the header of an unsupported `while`, `class` or `try`, so a
    /// syntax error in it (typically a missing colon) is still reported as
    /// Python would, before the construct itself is refused.
    private mutating func checkUnsupportedHeader() throws {
        let keyword = advance()
        if keyword.isKeyword("while") {
            _ = try parseNamedExpression()
        } else if keyword.isKeyword("class") {
            _ = try identifier()
            if peek.isOp("(") { _ = try parseCall(Expr(.none, at: keyword.location), at: keyword.location) }
        } else if keyword.isKeyword("async") {
            return
        }
        try expectColon(forced: keyword.isKeyword("try"))
    }

    /// `def name(...) [-> annotation]:` with the parameters skipped: enough
    /// for CPython's common header errors.
    private mutating func checkFunctionHeader() throws {
        advance()  // def
        _ = try identifier()
        guard peek.isOp("(") else { throw syntaxError("expected '('", at: peek.location, firstPass: true) }
        var depth = 0
        repeat {
            if peek.isOp("(") { depth += 1 }
            if peek.isOp(")") { depth -= 1 }
            if peek.isNewline || peek.isEnd { throw invalidSyntax() }
            advance()
        } while depth > 0
        if acceptOp("->") { _ = try parseExpression() }
        try expectColon(forced: true)
    }

    /// `match` is a soft keyword: it starts a match statement only when its
    /// line is a block header, which no expression statement can be.
    private func isMatchStatement() -> Bool {
        guard let newline = tokens[pos...].firstIndex(where: { $0.isNewline || $0.isEnd }),
              tokens[newline].isNewline, newline + 1 < tokens.count else { return false }
        return tokens[newline - 1].isOp(":") && tokens[newline + 1].kind == .indent
    }

    /// Skips what is left of a statement after an unsupported construct:
    /// the rest of its line and, for a compound statement, its block and
    /// the clauses that continue it (`else:`, `except:`, ...).
    private mutating func skipStatement() {
        while true {
            while !peek.isNewline && !peek.isEnd { advance() }
            let opensBlock = previous.isOp(":")
            guard peek.isNewline else { return }
            advance()
            guard opensBlock, peek.kind == .indent else { return }
            var depth = 0
            repeat {
                if peek.kind == .indent { depth += 1 }
                if peek.kind == .dedent { depth -= 1 }
                if peek.isEnd { return }
                advance()
            } while depth > 0
            guard case .keyword(let word) = peek.kind,
                  ["elif", "else", "except", "finally"].contains(word) else { return }
        }
    }

    /// `small (';' small)* [';'] NEWLINE`
    private mutating func parseSimpleStatements() throws -> [Stmt] {
        var statements: [Stmt] = []
        repeat {
            statements += try parseSmallStatement()
        } while acceptOp(";") && !peek.isNewline
        guard peek.isNewline else { throw unexpectedAfterExpression(nil, inBrackets: false) }
        advance()
        return statements
    }

    private mutating func parseSmallStatement() throws -> [Stmt] {
        let first = peek
        switch first.kind {
        case .keyword("pass"):
            advance()
            return [Stmt(.pass, at: first.location, source: sourceText(from: first))]
        case .keyword("break"), .keyword("continue"):
            advance()
            let isBreak = first.isKeyword("break")
            if loopDepth == 0 {
                deferred.append(.syntax(isBreak ? "'break' outside loop" : "'continue' not properly in loop",
                                        first.location))
            }
            return [Stmt(isBreak ? .break : .continue, at: first.location, source: sourceText(from: first))]
        case .keyword("assert"):
            return [try parseAssert()]
        case .keyword("import"):
            return try parseImport()
        case .keyword("from"):
            return [try parseFromImport()]
        case .keyword("return"):
            advance()
            deferred.append(.syntax("'return' outside function", first.location))
            if !atStatementEnd { _ = try parseStarExpressions() }
            return []
        case .keyword("nonlocal"):
            advance()
            deferred.append(.syntax("nonlocal declaration not allowed at module level", first.location))
            repeat { _ = try identifier() } while acceptOp(",")
            return []
        case .keyword(let word) where ["del", "global", "raise"].contains(word):
            throw unsupported("'\(word)' is not supported in model scripts", at: first.location)
        default:
            return [try parseExpressionStatement()]
        }
    }

    /// An expression statement, an assignment or an augmented assignment.
    private mutating func parseExpressionStatement() throws -> Stmt {
        let first = peek
        let lhs = try parseAssignedValue()
        let kind: StmtKind
        var last = lhs  // the expression a stray token follows
        if peek.isOp("=") {
            var targets = [lhs]
            var value = lhs
            while acceptOp("=") {
                do {
                    value = try parseAssignedValue()
                } catch ScriptError.syntax("invalid syntax", let location) {
                    // CPython's error pass blames a bad target before the value.
                    if let bad = firstInvalidTarget(targets) {
                        throw syntaxError("cannot assign to \(describe(bad))", at: bad.location)
                    }
                    throw syntaxError("invalid syntax", at: location)
                }
                if peek.isOp("=") { targets.append(value) }
            }
            try checkAssignmentTargets(targets, value: value)
            kind = .assign(targets: targets, value: value)
            last = value
        } else if case .op(let symbol) = peek.kind, symbol.count >= 2, symbol.hasSuffix("="),
                  let op = BinaryOp(rawValue: String(symbol.dropLast())) {
            switch lhs.kind {
            case .name, .attribute, .subscript:
                break
            default:
                throw syntaxError("'\(describe(lhs))' is an illegal expression for augmented assignment", at: lhs.location)
            }
            advance()
            let value = try parseAssignedValue()
            kind = .augAssign(target: lhs, op: op, value: value)
            last = value
        } else if peek.isOp(":") {
            try rejectAnnotation(of: lhs)
        } else if peek.isOp(":=") {
            guard case .name = lhs.kind else {
                throw syntaxError("cannot use assignment expressions with \(describe(lhs))", at: lhs.location)
            }
            throw invalidSyntax()  // `x := 1` needs parentheses
        } else {
            kind = .expr(lhs)
        }
        if !atStatementEnd { throw unexpectedAfterExpression(last, inBrackets: false) }
        return Stmt(kind, at: first.location, source: sourceText(from: first))
    }

    /// What may stand alone or right of `=`: expressions, or a `yield`.
    private mutating func parseAssignedValue() throws -> Expr {
        if peek.isKeyword("yield") { return try parseYield() }
        return try parseStarExpressions()
    }

    /// `target: annotation [= value]` is valid Python for a single target;
    /// report Python's error for the others.
    private mutating func rejectAnnotation(of target: Expr) throws -> Never {
        let colon = peek
        switch target.kind {
        case .name, .attribute, .subscript:
            advance()
            var last = try parseExpression()
            if acceptOp("=") { last = try parseAssignedValue() }
            if !atStatementEnd { throw unexpectedAfterExpression(last, inBrackets: false) }
            throw unsupported("annotated assignments are not supported in model scripts", at: target.location)
        default:
            // CPython needs the annotation before it blames the target.
            guard startsExpression(peek(ahead: 1)) else { throw syntaxError("invalid syntax", at: colon.location) }
            switch target.kind {
            case .tuple, .list:
                throw syntaxError("only single target (not \(describe(target))) can be annotated", at: target.location)
            default:
                throw syntaxError("illegal target for annotation", at: target.location)
            }
        }
    }

    private mutating func parseAssert() throws -> Stmt {
        let first = advance()
        let test = try parseExpression()
        var message: Expr?
        if acceptOp(",") { message = try parseExpression() }
        return Stmt(.assert(test: test, message: message), at: first.location, source: sourceText(from: first))
    }

    /// `import a.b as c, d` gives one statement per module.
    private mutating func parseImport() throws -> [Stmt] {
        let first = advance()
        var modules: [ImportName] = []
        repeat {
            modules.append(try importName(dotted: true))
        } while acceptOp(",")
        let source = sourceText(from: first)
        return modules.map {
            Stmt(.importModule(module: $0.name, alias: $0.alias, target: $0.target), at: first.location, source: source)
        }
    }

    private mutating func parseFromImport() throws -> Stmt {
        let first = advance()
        if peek.isOp(".") || peek.isOp("...") {
            throw unsupported("relative imports are not supported in model scripts", at: peek.location)
        }
        let module = try dottedName()
        guard acceptKeyword("import") else { throw invalidSyntax() }
        if peek.isOp("*") {
            throw unsupported("'from ... import *' is not supported in model scripts", at: peek.location)
        }
        let parenthesized = acceptOp("(")
        var names: [ImportName] = []
        while true {
            names.append(try importName(dotted: false))
            guard acceptOp(",") else { break }
            if parenthesized && peek.isOp(")") { break }
            if !parenthesized && atStatementEnd {
                throw syntaxError("trailing comma not allowed without surrounding parentheses", at: peek.location)
            }
        }
        if parenthesized { try expectOp(")") }
        return Stmt(.importFrom(module: module, names: names), at: first.location, source: sourceText(from: first))
    }

    /// `name [as alias]`, where `name` may be dotted in `import` statements.
    private mutating func importName(dotted: Bool) throws -> ImportName {
        let name = dotted ? try dottedName() : try identifier()
        var alias: String?
        let at = previous.location
        if acceptKeyword("as") { alias = try identifier() }
        let bound = alias ?? String(name.split(separator: ".")[0])
        return ImportName(name: name, alias: alias, target: Expr(.name(bound, .unresolved), at: alias != nil ? previous.location : at))
    }

    private mutating func dottedName() throws -> String {
        var name = try identifier()
        while acceptOp(".") { name += "." + (try identifier()) }
        return name
    }

    // MARK: Compound statements

    /// `if`/`elif` (an `elif` chain becomes nested ifs in `orElse`).
    private mutating func parseIf() throws -> Stmt {
        let keyword = advance()
        let test = try parseNamedExpression()
        try expectColon()
        let header = sourceText(from: keyword)
        let body = try parseBlock(after: keyword)
        var orElse: [Stmt] = []
        if peek.isKeyword("elif") {
            orElse = [try parseIf()]
        } else if peek.isKeyword("else") {
            let elseKeyword = advance()
            try expectColon(forced: true)
            orElse = try parseBlock(after: elseKeyword)
        }
        return Stmt(.ifStmt(test: test, body: body, orElse: orElse), at: keyword.location, source: header)
    }

    private mutating func parseFor() throws -> Stmt {
        let keyword = advance()
        let target = try parseTargetList()
        try checkTarget(target)
        guard acceptKeyword("in") else { throw invalidSyntax() }
        let iterable = try parseStarExpressions()
        try expectColon()
        let header = sourceText(from: keyword)
        loopDepth += 1
        let body: [Stmt]
        do {
            defer { loopDepth -= 1 }
            body = try parseBlock(after: keyword)
        }
        if peek.isKeyword("else") {
            throw unsupported("'for ... else' is not supported in model scripts", at: peek.location)
        }
        return Stmt(.forLoop(target: target, iterable: iterable, body: body, orElse: []), at: keyword.location, source: header)
    }

    private mutating func parseWith() throws -> Stmt {
        let keyword = advance()
        let items = try parseWithItems()
        try expectColon()
        let header = sourceText(from: keyword)
        let body = try parseBlock(after: keyword)
        return Stmt(.with(items: items, body: body), at: keyword.location, source: header)
    }

    /// `a as b, c` or, since Python 3.9, `(a as b, c,)`. A parenthesized
    /// header may also just be a tuple expression, so try the items form
    /// first and fall back, as CPython's grammar does.
    private mutating func parseWithItems() throws -> [WithItem] {
        if peek.isOp("(") {
            let saved = checkpoint
            advance()
            if let items = try? parseWithItemList(closing: ")"), acceptOp(")"), peek.isOp(":") {
                return items
            }
            restore(saved)
        }
        return try parseWithItemList(closing: nil)
    }

    private mutating func parseWithItemList(closing: String?) throws -> [WithItem] {
        var items: [WithItem] = []
        repeat {
            if let closing, !items.isEmpty, peek.isOp(closing) { break }
            let context = try parseExpression()
            var name: Expr?
            if acceptKeyword("as") {
                let target = try parseBinary(minPrecedence: 1)
                try checkTarget(target)
                name = target
            }
            items.append(WithItem(context: context, name: name))
        } while acceptOp(",")
        return items
    }

    /// The body after a header's colon: an indented block, or simple
    /// statements on the same line (`if x: y = 1`).
    private mutating func parseBlock(after header: Token) throws -> [Stmt] {
        guard peek.isNewline else { return try parseSimpleStatements() }
        advance()
        guard peek.kind == .indent else {
            var word = ""
            if case .keyword(let w) = header.kind { word = w }
            throw syntaxError("expected an indented block after '\(word)' statement on line \(header.location.line)",
                              at: peek.location)
        }
        advance()
        var body: [Stmt] = []
        while peek.kind != .dedent && !peek.isEnd {
            body += try parseStatement()
        }
        guard peek.kind == .dedent else { throw invalidSyntax() }
        advance()
        return body
    }

    // MARK: Assignment targets

    /// Python's error for an assignment with a bad target. Before blaming
    /// the target, CPython reads the first `=` as a mistyped `==` when an
    /// operand stands on its left and an operand not followed by `=` on its
    /// right, which explains the cases below.
    private func checkAssignmentTargets(_ targets: [Expr], value: Expr) throws {
        guard let bad = firstInvalidTarget(targets) else { return }
        var left = targets[0]  // what stands right before the first `=`
        if case .tuple(let items) = left.kind, let last = items.last, !isParenthesized(left) { left = last }
        let right = targets.count > 1 ? targets[1] : value
        var rightQualifies: Bool
        switch right.kind {
        case .not, .lambda: rightQualifies = false
        default: rightQualifies = !(targets.count > 1 && isOperand(right))
        }
        if rightQualifies, case .name = left.kind {
            throw syntaxError("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: left.location)
        }
        switch leftmostAtom(of: left).kind {
        case .list, .tuple, .none, .bool: rightQualifies = false  // CPython skips displays and constants
        default: break
        }
        if rightQualifies && isOperand(left) {
            throw syntaxError("cannot assign to \(describe(left)) here. Maybe you meant '==' instead of '='?",
                              at: left.location)
        }
        throw syntaxError("cannot assign to \(describe(bad))", at: bad.location)
    }

    /// The atom `expr` starts with (`(a, b)` in `(a, b) + 1`).
    private func leftmostAtom(of expr: Expr) -> Expr {
        switch expr.kind {
        case .attribute(let base, _), .call(let base, _, _), .subscript(let base, _),
             .binary(_, let base, _), .compare(let base, _), .conditional(let base, _, _):
            return base.location == expr.location ? leftmostAtom(of: base) : expr
        case .boolean(_, let operands), .tuple(let operands):
            guard let first = operands.first, first.location == expr.location else { return expr }
            return leftmostAtom(of: first)
        default:
            return expr
        }
    }

    /// Whether `expr` is an operand of `|` and tighter operators (CPython's
    /// `bitwise_or`), rather than a comparison, `not`, `and`/`or`, `if`-`else`,
    /// `lambda` or a bare tuple.
    private func isOperand(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .compare, .boolean, .not, .conditional, .lambda: return false
        case .tuple: return isParenthesized(expr)
        default: return true
        }
    }

    /// A tuple's location is its `(` when written with parentheses, its
    /// first element otherwise.
    private func isParenthesized(_ tuple: Expr) -> Bool {
        guard case .tuple(let items) = tuple.kind, let first = items.first else { return true }
        return first.location != tuple.location
    }

    private func checkTarget(_ target: Expr) throws {
        if let bad = invalidTarget(in: target) {
            throw syntaxError("cannot assign to \(describe(bad))", at: bad.location)
        }
    }

    private func firstInvalidTarget(_ targets: [Expr]) -> Expr? {
        targets.lazy.compactMap { self.invalidTarget(in: $0) }.first
    }

    /// The part of `target` that cannot be assigned to, if any.
    private func invalidTarget(in target: Expr) -> Expr? {
        switch target.kind {
        case .name, .attribute, .subscript:
            return nil
        case .tuple(let items), .list(let items):
            return firstInvalidTarget(items)
        default:
            return target
        }
    }

    /// CPython's name for an expression in its error messages.
    private func describe(_ expr: Expr) -> String {
        switch expr.kind {
        case .int, .float, .string: return "literal"
        case .bool(let value): return value ? "True" : "False"
        case .none: return "None"
        case .ellipsis: return "ellipsis"
        case .name: return "name"
        case .attribute: return "attribute"
        case .subscript: return "subscript"
        case .slice: return "slice"
        case .call: return "function call"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict literal"
        case .unary, .binary, .boolean, .not: return "expression"
        case .compare: return "comparison"
        case .conditional: return "conditional expression"
        case .lambda: return "lambda"
        case .formatted: return "f-string expression"
        case .set: return "set display"
        case .starred: return "starred"
        case .comprehension(let c):
            switch c.kind {
            case .list: return "list comprehension"
            case .set: return "set comprehension"
            case .dict: return "dict comprehension"
            case .generator: return "generator expression"
            }
        case .namedExpr: return "named expression"
        case .yield, .yieldFrom: return "yield expression"
        }
    }

    // MARK: - Expressions

    /// `expr (',' expr)* [',']`: a tuple when there is a comma.
    private mutating func parseStarExpressions() throws -> Expr {
        let start = peek.location
        try rejectStarred()
        let first = try parseExpression()
        guard peek.isOp(",") else { return first }
        var items = [first]
        while acceptOp(",") && startsExpression(peek) {
            try rejectStarred()
            items.append(try parseExpression())
        }
        return Expr(.tuple(items), at: start)
    }

    /// A `for` target list: operands only, so that `in` is not taken for a
    /// comparison.
    private mutating func parseTargetList() throws -> Expr {
        let start = peek.location
        try rejectStarred()
        let first = try parseBinary(minPrecedence: 1)
        guard peek.isOp(",") else { return first }
        var items = [first]
        while acceptOp(",") && startsExpression(peek) {
            try rejectStarred()
            items.append(try parseBinary(minPrecedence: 1))
        }
        return Expr(.tuple(items), at: start)
    }

    /// Where Python accepts `name := value` (we recognise it to reject it),
    /// and where CPython explains a `=` typed for `==`.
    private mutating func parseNamedExpression() throws -> Expr {
        let expr = try parseExpression()
        try rejectWalrus(after: expr)
        if peek.isOp("=") { try rejectMistakenAssignment(expr) }
        return expr
    }

    private mutating func rejectWalrus(after expr: Expr) throws {
        guard peek.isOp(":=") else { return }
        guard case .name = expr.kind else {
            throw syntaxError("cannot use assignment expressions with \(describe(expr))", at: expr.location)
        }
        throw unsupported("the walrus operator ':=' is not supported in model scripts", at: expr.location)
    }

    /// CPython's hints for `if x = 0:` and `[a.b = 1]`: they apply when both
    /// sides of the `=` are operands and no further `=` or `:=` follows.
    private mutating func rejectMistakenAssignment(_ expr: Expr) throws {
        switch expr.kind {
        case .compare, .boolean, .not, .conditional, .lambda, .list, .tuple, .none, .bool:
            return
        default:
            break
        }
        let saved = checkpoint
        advance()
        let operandFollows = (try? parseBinary(minPrecedence: 1)) != nil && !peek.isOp("=") && !peek.isOp(":=")
        restore(saved)
        guard operandFollows else { return }
        if case .name = expr.kind {
            throw syntaxError("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: expr.location)
        }
        throw syntaxError("cannot assign to \(describe(expr)) here. Maybe you meant '==' instead of '='?",
                          at: expr.location)
    }

    /// lambda, or `a if test else b`, or a disjunction.
    private mutating func parseExpression() throws -> Expr {
        try descend()
        defer { nesting -= 1 }
        if peek.isKeyword("lambda") { return try parseLambda() }
        let start = peek.location
        let body = try parseDisjunction()
        guard acceptKeyword("if") else { return body }
        let test = try parseTest(ofConditionalAt: start)
        guard acceptKeyword("else") else {
            if peek.isOp(":") { throw invalidSyntax() }
            throw syntaxError("expected 'else' after 'if' expression", at: start)
        }
        let orElse = try parseExpression()
        return Expr(.conditional(then: body, test: test, orElse: orElse), at: start)
    }

    /// The test of `a if test else b`. When it fails to parse, CPython's
    /// error pass backtracks to the longest prefix that is an expression and
    /// complains about the missing `else` after it, if there is such a prefix.
    private mutating func parseTest(ofConditionalAt start: SourceLocation) throws -> Expr {
        let saved = checkpoint
        do {
            return try parseDisjunction()
        } catch ScriptError.syntax("invalid syntax", let location) {
            restore(saved)
            while peek.isKeyword("not") || peek.isKeyword("await") || ["-", "+", "~"].contains(where: peek.isOp) {
                advance()
            }
            if (try? parseAtom()) != nil {
                throw syntaxError("expected 'else' after 'if' expression", at: start)
            }
            throw syntaxError("invalid syntax", at: location)
        }
    }

    private mutating func parseLambda() throws -> Expr {
        let keyword = advance()
        var params: [String] = []
        while !peek.isOp(":") {
            if peek.isOp("*") || peek.isOp("**") || peek.isOp("/") {
                throw unsupported("'*' and '/' in lambda parameters are not supported in model scripts",
                                  at: peek.location)
            }
            let paramToken = peek
            let name = try identifier()
            if peek.isOp("=") {
                throw unsupported("default parameter values are not supported in model scripts", at: peek.location)
            }
            if params.contains(name) {
                deferred.append(.syntax("duplicate argument '\(name)' in function definition", paramToken.location))
            }
            params.append(name)
            guard acceptOp(",") else { break }
        }
        try expectOp(":")
        let body = try parseExpression()
        let parameters = Parameters(regular: params.map { Parameter(name: $0, location: keyword.location) })
        let function = FunctionDef(name: "<lambda>", target: nil, parameters: parameters,
                                   body: [Stmt(.returnStmt(body), at: body.location, source: "")], at: keyword.location)
        return Expr(.lambda(function), at: keyword.location)
    }

    private mutating func parseDisjunction() throws -> Expr {
        try parseBoolean(.or) { try $0.parseConjunction() }
    }

    private mutating func parseConjunction() throws -> Expr {
        try parseBoolean(.and) { try $0.parseInversion() }
    }

    private mutating func parseBoolean(_ op: BoolOp, operand: (inout Parser) throws -> Expr) throws -> Expr {
        let start = peek.location
        let first = try operand(&self)
        guard peek.isKeyword(op.rawValue) else { return first }
        var operands = [first]
        while acceptKeyword(op.rawValue) {
            operands.append(try operand(&self))
        }
        return Expr(.boolean(op, operands), at: start)
    }

    private mutating func parseInversion() throws -> Expr {
        guard peek.isKeyword("not") else { return try parseComparison() }
        let keyword = advance()
        try descend()
        defer { nesting -= 1 }
        return Expr(.not(try parseInversion()), at: keyword.location)
    }

    private mutating func parseComparison() throws -> Expr {
        let start = peek.location
        let first = try parseBinary(minPrecedence: 1)
        var rest: [Comparison] = []
        while let op = try comparisonOperator() {
            rest.append(Comparison(op: op, right: try parseBinary(minPrecedence: 1)))
        }
        return rest.isEmpty ? first : Expr(.compare(first, rest), at: start)
    }

    private mutating func comparisonOperator() throws -> CompareOp? {
        switch peek.kind {
        case .op(let symbol) where ["<", ">", "<=", ">=", "==", "!="].contains(symbol):
            advance()
            return CompareOp(rawValue: symbol)
        case .keyword("in"):
            advance()
            return .in
        case .keyword("is"):
            advance()
            return acceptKeyword("not") ? .isNot : .is
        case .keyword("not") where peek(ahead: 1).isKeyword("in"):
            advance()
            advance()
            return .notIn
        default:
            return nil
        }
    }

    /// The left-associative binary operators, tightest last. `|` has
    /// precedence 1, so `parseBinary(minPrecedence: 1)` parses a whole
    /// operand of a comparison.
    private static let binaryPrecedence: [String: (BinaryOp, Int)] = [
        "|": (.bitOr, 1), "^": (.bitXor, 2), "&": (.bitAnd, 3),
        "<<": (.lShift, 4), ">>": (.rShift, 4),
        "+": (.add, 5), "-": (.sub, 5),
        "*": (.mul, 6), "/": (.div, 6), "//": (.floorDiv, 6), "%": (.mod, 6), "@": (.matMul, 6),
    ]

    /// Precedence climbing: one function for the six levels keeps the
    /// recursion (and stack use) per nested bracket small.
    private mutating func parseBinary(minPrecedence: Int) throws -> Expr {
        let start = peek.location
        let outer = nesting
        defer { nesting = outer }
        var left = try parseFactor()
        while case .op(let symbol) = peek.kind,
              let (op, precedence) = Self.binaryPrecedence[symbol], precedence >= minPrecedence {
            try descend()  // each link deepens the tree
            advance()
            let right = try parseBinary(minPrecedence: precedence + 1)
            left = Expr(.binary(op, left, right), at: start)
        }
        return left
    }

    /// Unary `+ - ~`; they bind looser than `**` on their right, so
    /// `-x**2` is `-(x**2)`.
    private mutating func parseFactor() throws -> Expr {
        let token = peek
        let op: UnaryOp
        switch token.kind {
        case .op("+"): op = .plus
        case .op("-"): op = .minus
        case .op("~"): op = .invert
        default: return try parsePower()
        }
        advance()
        try descend()
        defer { nesting -= 1 }
        return Expr(.unary(op, try parseFactor()), at: token.location)
    }

    /// `primary ** factor`, right-associative, and `2**-1` is allowed.
    private mutating func parsePower() throws -> Expr {
        let start = peek.location
        let base = try parseAwaitPrimary()
        guard acceptOp("**") else { return base }
        try descend()
        defer { nesting -= 1 }
        return Expr(.binary(.pow, base, try parseFactor()), at: start)
    }

    private mutating func parseAwaitPrimary() throws -> Expr {
        if peek.isKeyword("await") {
            deferred.append(.syntax("'await' outside function", advance().location))
        }
        return try parsePrimary()
    }

    /// An atom followed by `.name`, `(args)` and `[index]` trailers.
    private mutating func parsePrimary() throws -> Expr {
        let start = peek.location
        let outer = nesting
        defer { nesting = outer }
        var expr = try parseAtom()
        if legacyPrint == nil, case .name(let name, _) = expr.kind, Self.legacyStatements.contains(name),
           ["-", "+", "~", "[", "*"].contains(where: peek.isOp) {
            legacyPrint = expr
        }
        while true {
            if peek.isOp(".") || peek.isOp("(") || peek.isOp("[") { try descend() }  // each link deepens the tree
            if acceptOp(".") {
                expr = Expr(.attribute(expr, name: try identifier()), at: start)
            } else if peek.isOp("(") {
                expr = try parseCall(expr, at: start)
            } else if peek.isOp("[") {
                expr = try parseSubscript(expr, at: start)
            } else {
                return expr
            }
        }
    }

    private mutating func parseAtom() throws -> Expr {
        let token = peek
        let at = token.location
        switch token.kind {
        case .name(let name):
            advance()
            return Expr(.name(name, .unresolved), at: at)
        case .int(let value):
            advance()
            return Expr(.int(value), at: at)
        case .float(let value):
            advance()
            return Expr(.float(value), at: at)
        case .string:
            return try parseStrings()
        case .rejectedLiteral(let error):
            throw rejection(error)
        case .keyword("None"):
            advance()
            return Expr(.none, at: at)
        case .keyword("True"), .keyword("False"):
            advance()
            return Expr(.bool(token.isKeyword("True")), at: at)
        case .op("..."):
            advance()
            return Expr(.ellipsis, at: at)
        case .op("("):
            return try parseParenthesized()
        case .op("["):
            let open = advance()
            let items = try parseBracketed(closing: "]", opener: open,
                                           comprehension: "list comprehensions are not supported in model scripts")
            return Expr(.list(items.elements), at: at)
        case .op("{"):
            return try parseBraces()
        default:
            throw invalidSyntax()
        }
    }

    /// Adjacent string literals concatenate, as in Python.
    private mutating func parseStrings() throws -> Expr {
        let at = peek.location
        var value = ""
        while true {
            switch peek.kind {
            case .string(let piece):
                value += piece
                advance()
            case .rejectedLiteral(let error):
                throw rejection(error)
            default:
                return Expr(.string(value), at: at)
            }
        }
    }

    /// `yield` is valid Python only inside a function, which scripts do not
    /// have; CPython reports it after parsing, so it is deferred.
    private mutating func parseYield() throws -> Expr {
        let keyword = advance()
        deferred.append(.syntax("'yield' outside function", keyword.location))
        if acceptKeyword("from") {
            _ = try parseExpression()
        } else if startsExpression(peek) {
            _ = try parseStarExpressions()
        }
        return Expr(.none, at: keyword.location)
    }

    /// `()`, `(expr)` (just the expression) or a tuple.
    private mutating func parseParenthesized() throws -> Expr {
        let open = advance()
        if peek.isKeyword("yield") {
            let expr = try parseYield()
            try expectOp(")")
            return expr
        }
        let items = try parseBracketed(closing: ")", opener: open,
                                       comprehension: "generator expressions are not supported in model scripts")
        if items.elements.count == 1 && !items.sawComma { return items.elements[0] }
        return Expr(.tuple(items.elements), at: open.location)
    }

    /// The elements of a list or tuple display, after its opening bracket,
    /// through its closing one.
    private mutating func parseBracketed(closing: String, opener: Token,
                                         comprehension: String) throws -> (elements: [Expr], sawComma: Bool) {
        var elements: [Expr] = []
        var sawComma = false
        while !peek.isOp(closing) {
            try rejectStarred()
            let element = try parseNamedExpression()
            elements.append(element)
            if elements.count == 1 && startsComprehension {
                try parseComprehensionClauses()
                guard peek.isOp(closing) else { throw invalidSyntax() }
                throw unsupported(comprehension, at: opener.location)
            }
            if acceptOp(",") {
                sawComma = true
            } else if !peek.isOp(closing) {
                throw unexpectedAfterExpression(element, inBrackets: true)
            }
        }
        advance()
        return (elements, sawComma)
    }

    /// `{}` and dict displays; sets and comprehensions are not supported.
    private mutating func parseBraces() throws -> Expr {
        let open = advance()
        var items: [DictItem] = []
        while !peek.isOp("}") {
            try rejectStarred(allowDouble: true)
            let key = try parseExpression()
            let keyEnd = lastConsumedCharacter
            let colon = peek
            guard acceptOp(":") else {
                if items.isEmpty { return try rejectSet(open: open, first: key) }
                // CPython points at the key's last character.
                throw syntaxError("':' expected after dictionary key", at: keyEnd)
            }
            if peek.isOp(",") || peek.isOp("}") {
                throw syntaxError("expression expected after dictionary key and ':'", at: colon.location)
            }
            let value = try parseExpression()
            items.append(DictItem(key: key, value: value))
            if items.count == 1 && startsComprehension {
                try parseComprehensionClauses()
                guard peek.isOp("}") else { throw invalidSyntax() }
                throw unsupported("dict comprehensions are not supported in model scripts", at: open.location)
            }
            if !acceptOp(","), !peek.isOp("}") { throw unexpectedAfterExpression(value, inBrackets: true) }
        }
        advance()
        return Expr(.dict(items), at: open.location)
    }

    /// Reads the rest of a set display, so syntax errors in it still come
    /// first, then refuses it.
    private mutating func rejectSet(open: Token, first: Expr) throws -> Expr {
        if startsComprehension {
            try parseComprehensionClauses()
            guard peek.isOp("}") else { throw invalidSyntax() }
            throw unsupported("set comprehensions are not supported in model scripts", at: open.location)
        }
        var element = first
        while !peek.isOp("}") {
            guard acceptOp(",") else { throw unexpectedAfterExpression(element, inBrackets: true) }
            if peek.isOp("}") { break }
            try rejectStarred()
            element = try parseNamedExpression()
        }
        throw unsupported("set literals are not supported in model scripts", at: open.location)
    }

    private var startsComprehension: Bool { peek.isKeyword("for") || peek.isKeyword("async") }

    /// `for targets in iterable [if condition]...`, repeated: parsed only
    /// so that their syntax errors win over refusing the comprehension.
    private mutating func parseComprehensionClauses() throws {
        while startsComprehension {
            _ = acceptKeyword("async")
            guard acceptKeyword("for") else { throw invalidSyntax() }
            try checkTarget(try parseTargetList())
            guard acceptKeyword("in") else { throw invalidSyntax() }
            _ = try parseDisjunction()
            while acceptKeyword("if") { _ = try parseDisjunction() }
        }
    }

    /// The position of the last character of the last consumed token
    /// (assuming it fits on one line).
    private var lastConsumedCharacter: SourceLocation {
        let token = previous
        return SourceLocation(line: token.location.line,
                              column: token.location.column + max(0, token.end - token.start - 1))
    }

    private mutating func parseCall(_ callee: Expr, at start: SourceLocation) throws -> Expr {
        advance()  // (
        var args: [Expr] = []
        var keywords: [Keyword] = []
        var positionalAfterKeyword = false
        while !peek.isOp(")") {
            let value: Expr
            if case .name(let name) = peek.kind, peek(ahead: 1).isOp("=") {
                let nameToken = advance()
                advance()  // =
                value = try parseExpression()
                if keywords.contains(where: { $0.name == name }) {
                    deferred.append(.syntax("keyword argument repeated: \(name)", nameToken.location))
                }
                keywords.append(Keyword(name: name, value: value, location: nameToken.location))
            } else {
                try rejectStarred(allowDouble: true)
                value = try parseExpression()
                try rejectWalrus(after: value)
                if peek.isOp("=") {
                    throw syntaxError("expression cannot contain assignment, perhaps you meant \"==\"?", at: value.location)
                }
                if startsComprehension {
                    try parseComprehensionClauses()
                    let alone = args.isEmpty && keywords.isEmpty && peek.isOp(")")
                    if !alone && (peek.isOp(",") || peek.isOp(")")) {
                        throw syntaxError("Generator expression must be parenthesized", at: value.location)
                    }
                    guard peek.isOp(")") else { throw invalidSyntax() }
                    throw unsupported("generator expressions are not supported in model scripts", at: value.location)
                }
                // CPython reports this once the whole call is read.
                if !keywords.isEmpty { positionalAfterKeyword = true }
                args.append(value)
            }
            if !acceptOp(","), !peek.isOp(")") { throw unexpectedAfterExpression(value, inBrackets: true) }
        }
        if positionalAfterKeyword {
            throw syntaxError("positional argument follows keyword argument", at: peek.location)
        }
        advance()
        return Expr(.call(callee, args: args, keywords: keywords), at: start)
    }

    /// `value[i]`, `value[i, j]`, `value[a:b, ..., None]`.
    private mutating func parseSubscript(_ value: Expr, at start: SourceLocation) throws -> Expr {
        advance()  // [
        let indexStart = peek.location
        var items: [Expr] = []
        var sawComma = false
        while !peek.isOp("]") {
            try rejectStarred()
            let item = try parseSliceItem()
            items.append(item)
            if acceptOp(",") {
                sawComma = true
            } else if !peek.isOp("]") {
                throw unexpectedAfterExpression(item, inBrackets: true)
            }
        }
        guard !items.isEmpty else { throw invalidSyntax() }
        advance()
        let index = items.count == 1 && !sawComma ? items[0] : Expr(.tuple(items), at: indexStart)
        return Expr(.subscript(value, index: index), at: start)
    }

    private mutating func parseSliceItem() throws -> Expr {
        let start = peek.location
        var lower: Expr?
        if !peek.isOp(":") {
            let expr = try parseNamedExpression()
            guard peek.isOp(":") else { return expr }
            lower = expr
        }
        advance()  // :
        let upper = try optionalSliceBound()
        var step: Expr?
        if acceptOp(":") { step = try optionalSliceBound() }
        return Expr(.slice(lower: lower, upper: upper, step: step), at: start)
    }

    private mutating func optionalSliceBound() throws -> Expr? {
        if peek.isOp(":") || peek.isOp(",") || peek.isOp("]") { return nil }
        return try parseExpression()
    }
}
