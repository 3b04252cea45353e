/// Adjacent string literals and f-strings, as CPython 3.11 reads them
/// (Parser/string_parser.c): the tokenizer hands over an f-string as one
/// STRING token, and the parser splits it into literal text and
/// `{expression!conversion:spec}` fields, parsing each expression with a
/// parser of its own.
///
/// Errors are CPython's, at its positions: problems with the literals
/// themselves at the token after the run of literals (where the parser
/// was when it decoded them), errors inside an expression with the prefix
/// "f-string: " at the line of the expression and the column within
/// `(expression)`, the text CPython actually parses.

/// Where an f-string's `{` is, for the parser of its expression.
struct FStringContext {
    var braceLine: Int
    var braceColumn: Int
    /// What CPython subtracts from the columns of errors on the
    /// expression's later lines (its `starting_col_offset`), in bytes.
    var laterLineShift: Int

    /// NOTE [Error columns in f-strings]: CPython 3.11 reports a parse error
    /// in an f-string expression at its line in the script, but at its
    /// column in the text it parsed, `(expression)`, the `(` standing for
    /// the `{`, and in UTF-8 bytes. On the expression's later lines it also
    /// subtracts the brace's column (or, after `{` and a line break, the
    /// f-string's own column), which can make the column negative: we
    /// report what it does.
    func errorLocation(of location: SourceLocation, in parser: Parser) -> SourceLocation {
        guard location.line >= 1, location.line <= parser.scriptLines.count else { return location }
        let line = parser.scriptLines[location.line - 1]
        let before = line.prefix(max(0, location.column - 1))
        let bytes = Parser.utf8Count(before) + max(0, location.column - 1 - before.count)
        guard location.line == braceLine else {
            return SourceLocation(line: location.line, column: bytes + 1 - laterLineShift)
        }
        let brace = Parser.utf8Count(line.prefix(braceColumn - 1))
        return SourceLocation(line: location.line, column: bytes - brace + 1)
    }
}

extension Parser {
    /// `_PyPegen_concatenate_strings`: the value of `STRING+`.
    mutating func concatenate(_ literals: [Token]) throws -> Expr {
        var builder = FStringBuilder()
        var bytesMode = false
        for (index, literal) in literals.enumerated() {
            var thisBytes = false
            switch literal.kind {
            case .string(let value):
                builder.append(value)
            case .badString(let problem):
                try report(problem, of: literal)
            case .bytes(let problem):
                thisBytes = true
                if let problem { try report(problem, of: literal) }
                refusals.append(.unsupported("bytes literals are not supported in model scripts", literal.location))
            case .formattedString:
                break
            default:
                continue
            }
            if index != 0 && bytesMode != thisBytes { throw raise("cannot mix bytes and nonbytes literals") }
            bytesMode = thisBytes
            if case .formattedString(let raw, let body) = literal.kind {
                builder.isFormatted = true
                var cursor = body.lowerBound
                try parseFString(&cursor, end: body.upperBound, raw: raw, level: 0, token: literal, into: &builder)
            }
        }
        return Expr(builder.finish(), at: literals[0].location)
    }

    private mutating func report(_ problem: LiteralProblem, of literal: Token) throws {
        switch problem {
        case .afterLiterals(let message): throw raise(message)
        case .atLiteral(let message): throw raise(message, at: literal.location)
        case .unsupported(let message): refusals.append(.unsupported(message, literal.location))
        }
    }

    /// `_PyPegen_FstringParser_ConcatFstring`: the literal text and fields
    /// from `cursor` to `end` (or, in a format spec, to its `}`).
    private mutating func parseFString(_ cursor: inout Int, end: Int, raw: Bool, level: Int, token: Token,
                                       into builder: inout FStringBuilder) throws {
        while true {
            let (literal, doubledBrace) = try fstringLiteral(&cursor, end: end, raw: raw, level: level, token: token)
            if let literal { builder.append(literal) }
            if doubledBrace { continue }
            if cursor >= end || text[cursor] == "}" { break }
            // At a `{`: a replacement field.
            let field = try fstringField(&cursor, end: end, raw: raw, level: level, token: token)
            if let debugText = field.debugText { builder.append(debugText) }
            builder.append(field.part)
        }
        if level == 0 && cursor < end - 1 { throw raise("f-string: unexpected end of string") }
        if level != 0 && (cursor >= end || text[cursor] != "}") { throw raise("f-string: expecting '}'") }
    }

    /// `fstring_find_literal`: text up to a `{` (or a `}` ending a format
    /// spec). Returns the decoded text, and whether it stopped after a
    /// doubled brace, which it keeps one of.
    private mutating func fstringLiteral(_ cursor: inout Int, end: Int, raw: Bool, level: Int,
                                         token: Token) throws -> (String?, Bool) {
        let start = cursor
        var s = cursor
        var doubled = false
        scan: while s < end {
            var c = text[s]
            s += 1
            if !raw && c == "\\" && s < end {
                c = text[s]
                s += 1
                if c == "N" {
                    if s < end {
                        let brace = text[s]
                        s += 1
                        if brace == "{" {
                            while s < end {
                                let closing = text[s]
                                s += 1
                                if closing == "}" { break }
                            }
                            continue
                        }
                    }
                    break
                }
            }
            if c == "{" || c == "}" {
                if level == 0 {
                    if s < end && text[s] == c {
                        cursor = s + 1
                        doubled = true
                        break scan
                    }
                    if c == "}" {
                        throw raise("f-string: single '}' is not allowed")
                    }
                }
                s -= 1
                break
            }
        }
        if !doubled { cursor = s }
        guard start != s else { return (nil, doubled) }
        let decoded = Lexer.decode(text[start..<s], raw: raw)
        if let problem = decoded.problem {
            try report(problem, of: token)
            return (nil, doubled)
        }
        return (decoded.value, doubled)
    }

    /// `fstring_find_expr`: one `{expression=!conversion:spec}` field, from
    /// its `{` through its `}`.
    private mutating func fstringField(_ cursor: inout Int, end: Int, raw: Bool, level: Int,
                                       token: Token) throws -> (part: FormattedPart, debugText: String?) {
        if level >= 2 { throw raise("f-string: expressions nested too deeply") }
        let brace = cursor
        cursor += 1
        let expressionStart = cursor
        var quote: Unicode.Scalar?
        var tripleQuoted = false
        var brackets: [Unicode.Scalar] = []
        while cursor < end {
            let c = text[cursor]
            if c == "\\" { throw raise("f-string expression part cannot include a backslash") }
            if let open = quote {
                if c == open {
                    if !tripleQuoted {
                        quote = nil
                    } else if cursor + 2 < end && text[cursor + 1] == c && text[cursor + 2] == c {
                        cursor += 2
                        quote = nil
                    }
                }
            } else if c == "'" || c == "\"" {
                tripleQuoted = cursor + 2 < end && text[cursor + 1] == c && text[cursor + 2] == c
                if tripleQuoted { cursor += 2 }
                quote = c
            } else if c == "[" || c == "{" || c == "(" {
                if brackets.count >= Lexer.maxBrackets { throw raise("f-string: too many nested parenthesis") }
                brackets.append(c)
            } else if c == "#" {
                throw raise("f-string expression part cannot include '#'")
            } else if brackets.isEmpty && "!:}=<>".unicodeScalars.contains(c) {
                if cursor + 1 < end {
                    let next = text[cursor + 1]
                    if next == "=" && (c == "!" || c == "=" || c == "<" || c == ">") {
                        cursor += 2
                        continue
                    }
                    if c == "<" || c == ">" {
                        cursor += 1
                        continue
                    }
                }
                break
            } else if c == "]" || c == "}" || c == ")" {
                guard let open = brackets.popLast() else { throw raise("f-string: unmatched '\(c)'") }
                if (open == "(" && c != ")") || (open == "[" && c != "]") || (open == "{" && c != "}") {
                    throw raise("f-string: closing parenthesis '\(c)' does not match opening parenthesis '\(open)'")
                }
            }
            cursor += 1
        }
        let expressionEnd = cursor
        if quote != nil { throw raise("f-string: unterminated string") }
        if let open = brackets.last { throw raise("f-string: unmatched '\(open)'") }
        if cursor >= end { throw raise("f-string: expecting '}'") }
        let value = try fstringExpression(brace: brace, end: expressionEnd, token: token)
        var debugText: String?
        if text[cursor] == "=" {
            cursor += 1
            while cursor < end, [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"].contains(text[cursor]) { cursor += 1 }
            debugText = Lexer.decode(text[expressionStart..<cursor], raw: true).value
        }
        var conversion: Character?
        if text[cursor] == "!" {
            cursor += 1
            if cursor >= end { throw raise("f-string: expecting '}'") }
            let c = text[cursor]
            cursor += 1
            guard c == "s" || c == "r" || c == "a" else {
                throw raise("f-string: invalid conversion character: expected 's', 'r', or 'a'")
            }
            conversion = Character(c)
        }
        if cursor >= end { throw raise("f-string: expecting '}'") }
        var spec: [FormattedPart]?
        if text[cursor] == ":" {
            cursor += 1
            if cursor >= end { throw raise("f-string: expecting '}'") }
            var specBuilder = FStringBuilder()
            try parseFString(&cursor, end: end, raw: raw, level: level + 1, token: token, into: &specBuilder)
            spec = specBuilder.parts()
        }
        if cursor >= end || text[cursor] != "}" { throw raise("f-string: expecting '}'") }
        cursor += 1
        // `{x=}` shows the repr, unless a conversion or a spec says otherwise.
        if debugText != nil && spec == nil && conversion == nil { conversion = "r" }
        return (.value(value, conversion: conversion, spec: spec ?? []), debugText)
    }

    /// `fstring_compile_expr`: parses the expression between `brace` + 1
    /// and `end` as CPython does, wrapped in parentheses.
    private mutating func fstringExpression(brace: Int, end: Int, token: Token) throws -> Expr {
        let whitespace: [Unicode.Scalar] = [" ", "\t", "\n", "\r", "\u{0C}"]
        if text[(brace + 1)..<end].allSatisfy({ whitespace.contains($0) }) {
            let terminator = text[end]
            if "!:=".unicodeScalars.contains(terminator) {
                throw raise("f-string: expression required before '\(terminator)'")
            }
            throw raise("f-string: empty expression not allowed")
        }
        let at = location(ofOffset: brace, in: token)
        // `fstring_find_expr_location`: a line break right after the brace
        // (spaces aside) changes what CPython shifts error columns by.
        var k = brace + 1
        while k < end, [" ", "\t", "\u{0C}"].contains(text[k]) { k += 1 }
        let breakAfterBrace = k < text.count && (text[k] == "\n" || text[k] == "\r" || text[k] == "}")
        func bytesBefore(_ location: SourceLocation) -> Int {
            guard location.line >= 1, location.line <= scriptLines.count else { return location.column - 1 }
            return Self.utf8Count(scriptLines[location.line - 1].prefix(location.column - 1))
        }
        let shift = !breakAfterBrace ? bytesBefore(at) : at.line == token.location.line ? bytesBefore(token.location) : 0
        let context = FStringContext(braceLine: at.line, braceColumn: at.column, laterLineShift: shift)
        let subText: [Unicode.Scalar] = ["("] + text[(brace + 1)..<end] + [")"]
        let subTokens = Lexer.tokenize(subText).map { token -> Token in
            var mapped = token
            mapped.location = Self.realLocation(of: token.location, in: context)
            if case .error(let error, let kind) = token.kind {
                mapped.kind = .error(Self.errorLocation(of: error, in: context), kind)
            }
            return mapped
        }
        var parser = Parser(text: subText, tokens: subTokens, scriptLines: scriptLines, fstring: context)
        let expr = try parser.run { try $0.starExpressions() }
        refusals += parser.refusals
        asyncLocations.formUnion(parser.asyncLocations)
        asyncComprehensionTargets.formUnion(parser.asyncComprehensionTargets)
        return expr
    }

    /// A position in `(expression)` as a position in the script.
    private static func realLocation(of location: SourceLocation, in context: FStringContext) -> SourceLocation {
        if location.line == 1 {
            return SourceLocation(line: context.braceLine, column: context.braceColumn + location.column - 1)
        }
        return SourceLocation(line: context.braceLine + location.line - 1, column: location.column)
    }

    /// A tokenizer error in `(expression)`, at CPython's position for it.
    private static func errorLocation(of error: ScriptError, in context: FStringContext) -> ScriptError {
        guard case .syntax(let message, let location) = error else { return error }
        return .syntax(message, SourceLocation(line: context.braceLine + location.line - 1, column: location.column))
    }

    /// The line and column of the scalar at `offset`, inside `token`.
    func location(ofOffset offset: Int, in token: Token) -> SourceLocation {
        var line = token.location.line
        var column = token.location.column
        var k = token.start
        while k < offset {
            if text[k] == "\n" || (text[k] == "\r" && (k + 1 >= text.count || text[k + 1] != "\n")) {
                line += 1
                column = 1
            } else if text[k] != "\r" {
                column += 1
            }
            k += 1
        }
        return SourceLocation(line: line, column: column)
    }
}

/// CPython's `FstringParser`: adjacent literal text merges into one piece.
struct FStringBuilder {
    private var pieces: [FormattedPart] = []
    private var text = ""
    /// Whether an f-string took part (else the result is a plain string).
    var isFormatted = false

    mutating func append(_ literal: String) {
        text += literal
    }

    mutating func append(_ part: FormattedPart) {
        if !text.isEmpty { pieces.append(.literal(text)) }
        text = ""
        pieces.append(part)
    }

    func parts() -> [FormattedPart] {
        text.isEmpty ? pieces : pieces + [.literal(text)]
    }

    func finish() -> ExprKind {
        isFormatted ? .formatted(parts()) : .string(text)
    }
}
