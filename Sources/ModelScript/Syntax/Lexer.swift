import Foundation  // StringTransform, for `\N{...}` escapes

/// Python 3's tokenizer, for model scripts.
///
/// It follows CPython 3.11 closely — including its error messages and the
/// odd columns some of them use — because a script's errors must read the
/// same as when the script is run with `python3`.
///
/// It never throws: it returns every token it could cut, ending with
/// `.endOfFile`, or with `.error` where it had to stop. The parser decides
/// when that error is reported (a parse error earlier in the file may win).
public struct Lexer {
    public static func tokenize(_ source: String) -> [Token] {
        tokenize(Array(source.unicodeScalars))
    }

    /// Works on scalars so that columns count characters (a "\r\n" is two
    /// scalars but one grapheme, and must end a line like "\n").
    static func tokenize(_ text: [Unicode.Scalar]) -> [Token] {
        tokenizeWithBuffers(text).tokens
    }

    /// The tokens, and for each line (1-based; entry 0 unused) the line
    /// CPython's line buffer starts at when its tokenizer is on that line:
    /// the line itself, or an earlier one when a multi-line string or a
    /// backslash joined them. CPython converts error columns with that
    /// buffer (see `Parser.pythonColumn`).
    static func tokenizeWithBuffers(_ text: [Unicode.Scalar]) -> (tokens: [Token], bufferLines: [Int]) {
        var lexer = Lexer(text: text)
        do {
            try lexer.lexAll()
        } catch let failure as Failure {
            lexer.emit(.error(failure.error, failure.kind), at: lexer.here, from: lexer.i)
        } catch {
            lexer.emit(.error(.syntax("invalid syntax", lexer.here), .fatal), at: lexer.here, from: lexer.i)
        }
        return (lexer.tokens, lexer.bufferLines)
    }

    // CPython's limits (MAXLEVEL, MAXINDENT): deeper nesting than this
    // would only come from generated or garbage input.
    static let maxBrackets = 200
    static let maxIndents = 100

    private struct Failure: Error {
        var error: ScriptError
        var kind: LexErrorKind
    }

    /// One level of the indentation stack. `alt` measures the same
    /// whitespace with tabs as 1 column: two lines that compare differently
    /// under the two measures mix tabs and spaces ambiguously (TabError).
    private struct Indent {
        var col: Int
        var alt: Int
    }

    private let text: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var tokens: [Token] = []
    private var indents = [Indent(col: 0, alt: 0)]
    private var brackets: [(symbol: Unicode.Scalar, location: SourceLocation)] = []
    private var atLineStart = true
    /// Where a trailing comment began: CPython puts that line's NEWLINE
    /// token there, and "expected ':'" is reported at the NEWLINE.
    private var commentStart: SourceLocation?
    /// CPython measures a few error columns from the start of its line
    /// buffer, which still begins at the first line of a multi-line string
    /// that ended on the current line. This is that buffer's start.
    private var bufferStart = 0
    /// For each line, the line `bufferStart` was on (see `tokenizeWithBuffers`).
    private var bufferLines = [0, 1]

    private init(text: [Unicode.Scalar]) { self.text = text }

    // MARK: - Main loop

    private mutating func lexAll() throws {
        while true {
            if atLineStart && brackets.isEmpty {
                guard try startLogicalLine() else { continue }
            }
            skipWhitespace()
            guard let c = current else { break }
            let begin = i
            let location = here
            switch c {
            case "#":
                commentStart = location
                while let c = current, !Self.isNewline(c) { i += 1 }
            case "\n", "\r":
                if brackets.isEmpty {
                    emit(.newline, at: commentStart ?? location, from: begin)
                    atLineStart = true
                }
                commentStart = nil
                consumeNewline()
            case "\\":
                try lineContinuation()
            case "\"", "'":
                try lexString(begin: begin, location: location, prefix: "")
            case "0"..."9":
                try lexNumber()
            case "." where char(at: i + 1).map(Self.isDigit) == true:
                try lexNumber()
            default:
                if Self.isIdentifierStart(c) {
                    try lexNameOrPrefixedString()
                } else {
                    try lexOperator()
                }
            }
        }
        try finish()
    }

    /// Measures indentation at the start of a line and emits INDENT/DEDENT.
    /// Returns false if the line was blank or a comment and got skipped:
    /// such lines never affect indentation, as in Python.
    private mutating func startLogicalLine() throws -> Bool {
        var col = 0
        var alt = 0
        // A backslash in the indentation joins the next line to it, and the
        // first one decides the line's indentation (0 counts as not set, as
        // in CPython).
        var continuationColumn = 0
        while let c = current {
            switch c {
            case " ": col += 1; alt += 1
            case "\t": col = (col / 8 + 1) * 8; alt += 1
            case "\u{0C}": col = 0; alt = 0  // form feed resets, like CPython
            case "\\":
                if continuationColumn == 0 { continuationColumn = col }
                try lineContinuation(inIndentation: true)
                continue
            default: break
            }
            guard c == " " || c == "\t" || c == "\u{0C}" else { break }
            i += 1
        }
        if continuationColumn != 0 {
            col = continuationColumn
            alt = continuationColumn
        }
        guard let c = current else { return true }  // end of file: finish() dedents
        if c == "#" {
            while let c = current, !Self.isNewline(c) { i += 1 }
            if current != nil { consumeNewline() }
            return false
        }
        if Self.isNewline(c) {
            consumeNewline()
            return false
        }
        try indent(to: Indent(col: col, alt: alt))
        atLineStart = false
        return true
    }

    private mutating func indent(to new: Indent) throws {
        // CPython's column for INDENT/DEDENT (see TokenKind.indent).
        let location = SourceLocation(line: line, column: here.column - 1)
        let top = indents[indents.count - 1]
        let tabError = Failure(error: .syntax("inconsistent use of tabs and spaces in indentation",
                                              SourceLocation(line: line, column: 1)),
                               kind: .whenReached(unclosedBracket: nil))
        if new.col == top.col {
            if new.alt != top.alt { throw tabError }
        } else if new.col > top.col {
            if new.alt <= top.alt { throw tabError }
            if indents.count >= Self.maxIndents {
                throw Failure(error: .syntax("too many levels of indentation", SourceLocation(line: line, column: 1)),
                              kind: .whenReached(unclosedBracket: nil))
            }
            indents.append(new)
            emit(.indent, at: location, from: i)
        } else {
            // Find the level we return to before emitting anything: CPython
            // reports a bad dedent before any of its DEDENT tokens.
            guard let level = indents.lastIndex(where: { $0.col == new.col }) else {
                // CPython points just past the end of the offending line.
                throw Failure(error: .syntax("unindent does not match any outer indentation level",
                                             SourceLocation(line: line, column: lineLength + 1)),
                              kind: .whenReached(unclosedBracket: nil))
            }
            if indents[level].alt != new.alt { throw tabError }
            for _ in (level + 1)..<indents.count { emit(.dedent, at: location, from: i) }
            indents.removeSubrange((level + 1)...)
        }
    }

    /// `inIndentation`: the backslash is in a line's leading whitespace,
    /// which CPython reads before a token starts, so its buffer moves on.
    private mutating func lineContinuation(inIndentation: Bool = false) throws {
        // CPython reports these errors one column after the backslash,
        // counted from the start of its line buffer.
        let after = SourceLocation(line: line, column: i - bufferStart + 2)
        // At the end of the file CPython blames an open bracket, if any.
        let eof = Failure(error: unclosedBracket ?? .syntax("unexpected EOF while parsing", after),
                          kind: .whenReached(unclosedBracket: unclosedBracket))
        i += 1
        guard let next = current else { throw eof }
        guard Self.isNewline(next) else {
            throw Failure(error: .syntax("unexpected character after line continuation character", after),
                          kind: .whenReached(unclosedBracket: unclosedBracket))
        }
        consumeNewline(joined: !inIndentation)
        if current == nil { throw eof }
    }

    /// CPython's error for the innermost open bracket.
    private var unclosedBracket: ScriptError? {
        brackets.last.map { .syntax("'\($0.symbol)' was never closed", $0.location) }
    }

    private mutating func finish() throws {
        if let unclosed = unclosedBracket {
            throw Failure(error: unclosed, kind: .whenReached(unclosedBracket: unclosed))
        }
        // A last line without "\n" still ends its statement.
        if !atLineStart {
            emit(.newline, at: commentStart ?? here, from: i)
        }
        let end = endLocation
        for _ in indents.dropFirst() { emit(.dedent, at: end, from: i) }
        indents.removeSubrange(1...)
        emit(.endOfFile, at: end, from: i)
    }

    /// CPython places the end of the file just past the last physical
    /// line, not on the empty line after a final "\n"; errors such as
    /// "expected an indented block" at end of file point there.
    private var endLocation: SourceLocation {
        guard let last = text.last, Self.isNewline(last) else { return here }
        var end = text.count - 1
        if last == "\n", end > 0, text[end - 1] == "\r" { end -= 1 }
        var start = end
        while start > 0, !Self.isNewline(text[start - 1]) { start -= 1 }
        return SourceLocation(line: line - 1, column: end - start + 1)
    }

    // MARK: - Names and operators

    private mutating func lexNameOrPrefixedString() throws {
        let begin = i
        let location = here
        while let c = current, Self.isIdentifierContinue(c) { i += 1 }
        let word = String(String.UnicodeScalarView(text[begin..<i]))
        if let q = current, q == "'" || q == "\"", Self.stringPrefixes.contains(word.lowercased()) {
            try lexString(begin: begin, location: location, prefix: word.lowercased())
            return
        }
        emit(pythonKeywords.contains(word) ? .keyword(word) : .name(word), at: location, from: begin)
    }

    private static let stringPrefixes: Set<String> = ["r", "u", "b", "br", "rb", "f", "fr", "rf"]

    private static let operators: [[String]] = [
        ["**=", "//=", ">>=", "<<=", "..."],
        ["**", "//", "<<", ">>", "<=", ">=", "==", "!=", "<>", "->", ":=",
         "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^="],
        ["+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">",
         "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "="],
    ]

    private mutating func lexOperator() throws {
        let begin = i
        let location = here
        for length in [3, 2, 1] where begin + length <= text.count {
            let candidate = String(String.UnicodeScalarView(text[begin..<(begin + length)]))
            guard Self.operators[3 - length].contains(candidate) else { continue }
            i += length
            try trackBracket(candidate, at: location)
            emit(.op(candidate), at: location, from: begin)
            return
        }
        guard let c = current else { return }
        if c.isASCII && c.value > 0x20 && c.value < 0x7F {
            // `$`, `?`, `!`, `` ` ``: CPython says "invalid syntax" at them,
            // so let the parser trip over them.
            i += 1
            emit(.op(String(c)), at: location, from: begin)
            return
        }
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let message = Self.isPrintable(c)
            ? "invalid character '\(c)' (\(code))"
            : "invalid non-printable character \(code)"
        throw Failure(error: .syntax(message, location), kind: .fatal)
    }

    private mutating func trackBracket(_ symbol: String, at location: SourceLocation) throws {
        guard let c = symbol.unicodeScalars.first, symbol.unicodeScalars.count == 1 else { return }
        switch c {
        case "(", "[", "{":
            if brackets.count >= Self.maxBrackets {
                throw Failure(error: .syntax("too many nested parentheses", location), kind: .fatal)
            }
            brackets.append((c, location))
        case ")", "]", "}":
            guard let open = brackets.popLast() else {
                throw Failure(error: .syntax("unmatched '\(c)'", location), kind: .fatal)
            }
            let expected: Unicode.Scalar = open.symbol == "(" ? ")" : open.symbol == "[" ? "]" : "}"
            if c != expected {
                let onLine = open.location.line == location.line ? "" : " on line \(open.location.line)"
                let message = "closing parenthesis '\(c)' does not match opening parenthesis '\(open.symbol)'\(onLine)"
                throw Failure(error: .syntax(message, location), kind: .fatal)
            }
        default:
            break
        }
    }

    // MARK: - Numbers

    private mutating func lexNumber() throws {
        let begin = i
        let location = here
        if current == "0", let p = char(at: i + 1), "xXoObB".unicodeScalars.contains(p) {
            try lexRadixInteger(begin: begin, location: location, prefix: p)
            return
        }
        var isFloat = false
        try decimalDigits()
        // `012`: CPython refuses it before looking at what follows, unless
        // a fraction, an exponent or a `j` makes it a float or complex.
        if text[begin] == "0", !(current.map { ".eEjJ".unicodeScalars.contains($0) } ?? false),
           text[begin..<i].contains(where: { $0 != "0" && $0 != "_" }) {
            let message = "leading zeros in decimal integer literals are not permitted; "
                + "use an 0o prefix for octal integers"
            // CPython counts this column in UTF-8 bytes.
            let bytes = text[lineStart..<begin].reduce(0) { $0 + String($1).utf8.count }
            throw Failure(error: .syntax(message, SourceLocation(line: line, column: bytes + 1)), kind: .fatal)
        }
        if current == "." {
            isFloat = true
            i += 1
            // Digits only: `1._0` is a bad literal, as in CPython.
            if let d = current, Self.isDigit(d) { try decimalDigits() }
        }
        if let e = current, e == "e" || e == "E" {
            let exponentStart = i
            i += 1
            if let sign = current, sign == "+" || sign == "-" {
                i += 1
                guard let d = current, Self.isDigit(d) else { throw invalidLiteral("decimal") }
            }
            if let d = current, Self.isDigit(d) {
                try decimalDigits()
                isFloat = true
            } else {
                // `1e` is the int 1 followed by a name; verifyEnd rejects it.
                i = exponentStart
            }
        }
        if let j = current, j == "j" || j == "J" {
            i += 1
            try verifyEnd("imaginary")
            emit(.rejectedLiteral(.unsupported("complex numbers are not supported in model scripts", location)),
                 at: location, from: begin)
            return
        }
        try verifyEnd("decimal")
        let digits = String(String.UnicodeScalarView(text[begin..<i].filter { $0 != "_" }))
        if isFloat {
            guard let value = Double(digits) else { throw invalidLiteral("decimal") }
            emit(.float(value), at: location, from: begin)
            return
        }
        emit(integer(digits, radix: 10, at: location), at: location, from: begin)
    }

    private mutating func lexRadixInteger(begin: Int, location: SourceLocation, prefix: Unicode.Scalar) throws {
        let (radix, name): (Int, String) = switch prefix {
        case "x", "X": (16, "hexadecimal")
        case "o", "O": (8, "octal")
        default: (2, "binary")
        }
        let isDigit = { (c: Unicode.Scalar) in Int(String(c), radix: radix) != nil }
        i += 2
        let digitsStart = i
        var sawDigit = false
        while true {
            if current == "_" {
                i += 1
                guard let c = current, isDigit(c) else { throw invalidLiteral(name) }
            }
            guard let c = current, isDigit(c) else { break }
            i += 1
            sawDigit = true
        }
        if let c = current, Self.isDigit(c) {
            // `0o8`, `0b2`: CPython names the digit and points at it.
            throw Failure(error: .syntax("invalid digit '\(c)' in \(name) literal", here), kind: .fatal)
        }
        guard sawDigit else { throw invalidLiteral(name) }
        try verifyEnd(name)
        let digits = String(String.UnicodeScalarView(text[digitsStart..<i].filter { $0 != "_" }))
        emit(integer(digits, radix: radix, at: location), at: location, from: begin)
    }

    private func integer(_ digits: String, radix: Int, at location: SourceLocation) -> TokenKind {
        if let value = Int(digits, radix: radix) { return .int(value) }
        do {
            if let value = try PyInt(digits, radix: radix) { return .bigInt(value) }
        } catch let e as PythonError where e.type == "ValueError" {
            // The digit limit of int(text), which CPython's compiler applies
            // to decimal literals too.
            let hint = " - Consider hexadecimal for huge integer literals to avoid decimal conversion limits."
            return .rejectedLiteral(.syntax(e.message + hint, location))
        } catch let e as PythonError {
            return .rejectedLiteral(.unsupported("\(e.type): \(e.message)", location))
        } catch {}
        return .rejectedLiteral(.unsupported("this int literal is not supported in model scripts", location))
    }

    /// Digits with single underscores between them (`1_000`).
    private mutating func decimalDigits() throws {
        while let c = current {
            if c == "_" {
                i += 1
                guard let d = current, Self.isDigit(d) else { throw invalidLiteral("decimal") }
            } else if !Self.isDigit(c) {
                return
            }
            i += 1
        }
    }

    /// A number must not run into a name (`1abc`), except for the keywords
    /// CPython still tolerates there (`1if x else 2`). Like CPython, `if`,
    /// `in` and `is` are recognised by two letters, the others only as
    /// whole words.
    private mutating func verifyEnd(_ name: String) throws {
        // Only ASCII letters count: CPython reads non-ASCII bytes as
        // negative chars here, so `1é` is a number and a name.
        guard let c = current, c.isASCII, Self.isIdentifierContinue(c) else { return }
        for keyword in ["and", "else", "for", "if", "in", "is", "not", "or"] {
            let k = Array(keyword.unicodeScalars)
            guard i + k.count <= text.count, text[i..<(i + k.count)].elementsEqual(k) else { continue }
            if k[0] == "i" { return }
            if let after = char(at: i + k.count), Self.isIdentifierContinue(after) { continue }
            return
        }
        throw invalidLiteral(name)
    }

    /// CPython reports malformed numbers one column before the character
    /// that broke them.
    private func invalidLiteral(_ name: String) -> Failure {
        let column = max(1, here.column - 1)
        return Failure(error: .syntax("invalid \(name) literal", SourceLocation(line: line, column: column)), kind: .fatal)
    }

    // MARK: - Strings

    private mutating func lexString(begin: Int, location: SourceLocation, prefix: String) throws {
        guard let quote = current else { return }
        let triple = char(at: i + 1) == quote && char(at: i + 2) == quote
        i += triple ? 3 : 1
        let bodyStart = i
        var bodyEnd = i
        while true {
            guard let c = current else {
                // CPython names the line of the last character it read.
                let lastLine = i > 0 && Self.isNewline(text[i - 1]) ? line - 1 : line
                throw unterminated(triple: triple, at: location, detectedAt: lastLine)
            }
            if c == "\\" {
                i += 1
                if let next = current {
                    if Self.isNewline(next) { consumeNewline(joined: true) } else { i += 1 }
                }
            } else if Self.isNewline(c) {
                if !triple { throw unterminated(triple: false, at: location, detectedAt: line) }
                consumeNewline(joined: true)
            } else if c == quote && (!triple || (char(at: i + 1) == quote && char(at: i + 2) == quote)) {
                bodyEnd = i
                i += triple ? 3 : 1
                break
            } else {
                i += 1
            }
        }
        let raw = prefix.contains("r")
        let kind: TokenKind
        if prefix.contains("f") {
            kind = .formattedString(raw: raw, body: bodyStart..<bodyEnd)
        } else if prefix.contains("b") {
            kind = .bytes(problem: Self.checkBytes(Array(text[bodyStart..<bodyEnd]), raw: raw))
        } else {
            let decoded = Self.decode(text[bodyStart..<bodyEnd], raw: raw)
            if let problem = decoded.problem {
                kind = .badString(problem)
            } else {
                kind = .string(decoded.value)
            }
        }
        emit(kind, at: location, from: begin)
    }

    private func unterminated(triple: Bool, at location: SourceLocation, detectedAt line: Int) -> Failure {
        let what = triple ? "unterminated triple-quoted string literal" : "unterminated string literal"
        return Failure(error: .syntax("\(what) (detected at line \(line))", location), kind: .fatal)
    }

    /// Decodes a string body. Newlines are normalized to "\n" as Python's
    /// universal newlines do; a raw string keeps its backslashes.
    static func decode(_ slice: ArraySlice<Unicode.Scalar>, raw: Bool) -> (value: String, problem: LiteralProblem?) {
        let body = Array(slice)
        var out = String.UnicodeScalarView()
        var k = 0
        func unicodeError(_ what: String, _ from: Int, _ to: Int) -> LiteralProblem {
            .afterLiterals("(unicode error) 'unicodeescape' codec can't decode bytes in position \(from)-\(to): \(what)")
        }
        while k < body.count {
            let c = body[k]
            if c == "\r" {
                out.append("\n")
                k += k + 1 < body.count && body[k + 1] == "\n" ? 2 : 1
                continue
            }
            guard c == "\\", k + 1 < body.count else {
                out.append(c)
                k += 1
                continue
            }
            let e = body[k + 1]
            if raw {
                // The backslash stays, but it still protects the next quote.
                out.append(c)
                out.append(e == "\r" ? "\n" : e)
                k += 2
                if e == "\r", k < body.count, body[k] == "\n" { k += 1 }
                continue
            }
            let simple: [Unicode.Scalar: Unicode.Scalar] = [
                "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}",
                "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}",
            ]
            if let s = simple[e] {
                out.append(s)
                k += 2
            } else if e == "\n" || e == "\r" {  // backslash-newline: joins lines
                k += 2
                if e == "\r", k < body.count, body[k] == "\n" { k += 1 }
            } else if ("0"..."7").contains(e) {
                var value: UInt32 = 0
                var j = k + 1
                while j < body.count, j < k + 4, ("0"..."7").contains(body[j]) {
                    value = value * 8 + (body[j].value - 48)
                    j += 1
                }
                out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                k = j
            } else if let width = ["x": 2, "u": 4, "U": 8][e] {
                var j = k + 2
                var value: UInt32 = 0
                while j < body.count, j < k + 2 + width, let d = Int(String(body[j]), radix: 16) {
                    value = value * 16 + UInt32(d)
                    j += 1
                }
                guard j == k + 2 + width else {
                    let shape = e == "x" ? "\\xXX" : e == "u" ? "\\uXXXX" : "\\UXXXXXXXX"
                    return ("", unicodeError("truncated \(shape) escape", k, j - 1))
                }
                guard let scalar = Unicode.Scalar(value) else {
                    if value > 0x10FFFF { return ("", unicodeError("illegal Unicode character", k, j - 1)) }
                    return ("", .unsupported("surrogate code points in strings are not supported in model scripts"))
                }
                out.append(scalar)
                k = j
            } else if e == "N" {
                // `\N{NAME}`: ICU knows Unicode's character names, as Python does.
                guard k + 2 < body.count, body[k + 2] == "{",
                      let close = body[(k + 3)...].firstIndex(of: "}") else {
                    let end = k + 2 < body.count && body[k + 2] == "{" ? body.count - 1 : k + 1
                    return ("", unicodeError("malformed \\N character escape", k, end))
                }
                let name = String(String.UnicodeScalarView(body[(k + 3)..<close]))
                let named = "\\N{\(name)}".applyingTransform(StringTransform("Name-Any"), reverse: false)
                guard close > k + 3, let named, named.unicodeScalars.count == 1,
                      let scalar = named.unicodeScalars.first, scalar != "\\" else {
                    return ("", unicodeError("unknown Unicode character name", k, close))
                }
                out.append(scalar)
                k = close + 1
            } else {
                out.append(c)  // unknown escapes stay as written, like Python
                out.append(e)
                k += 2
            }
        }
        return (String(out), nil)
    }

    /// CPython's complaints about a bytes literal: non-ASCII text, or a
    /// `\x` escape without two hex digits (positions count bytes of the body).
    private static func checkBytes(_ body: [Unicode.Scalar], raw: Bool) -> LiteralProblem? {
        if body.contains(where: { !$0.isASCII }) {
            return .atLiteral("bytes can only contain ASCII literal characters")
        }
        guard !raw else { return nil }
        var k = 0
        while k < body.count {
            guard body[k] == "\\", k + 1 < body.count else { k += 1; continue }
            if body[k + 1] == "x" {
                let digits = body[(k + 2)...].prefix(2).prefix { Int(String($0), radix: 16) != nil }
                if digits.count < 2 { return .afterLiterals("(value error) invalid \\x escape at position \(k)") }
            }
            k += 2
        }
        return nil
    }

    // MARK: - Helpers

    private var current: Unicode.Scalar? { char(at: i) }

    private func char(at k: Int) -> Unicode.Scalar? { k < text.count ? text[k] : nil }

    private var here: SourceLocation { SourceLocation(line: line, column: i - lineStart + 1) }

    private var lineLength: Int {
        var end = lineStart
        while end < text.count, !Self.isNewline(text[end]) { end += 1 }
        return end - lineStart
    }

    /// `joined`: the line break is inside a token (a multi-line string) or
    /// a backslash continuation, where CPython's tokenizer keeps reading
    /// into the same line buffer.
    private mutating func consumeNewline(joined: Bool = false) {
        if current == "\r", char(at: i + 1) == "\n" { i += 2 } else { i += 1 }
        line += 1
        lineStart = i
        if !joined { bufferStart = i }
        bufferLines.append(joined ? bufferLines[line - 1] : line)
    }

    private mutating func skipWhitespace() {
        while let c = current, c == " " || c == "\t" || c == "\u{0C}" { i += 1 }
    }

    private mutating func emit(_ kind: TokenKind, at location: SourceLocation, from begin: Int) {
        tokens.append(Token(kind, at: location, start: begin, end: i, level: brackets.count))
    }

    private static func isNewline(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? (c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)) : c.properties.isXIDStart
    }

    private static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? (isIdentifierStart(c) || isDigit(c)) : c.properties.isXIDContinue
    }

    private static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
