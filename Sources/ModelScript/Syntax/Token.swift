/// One token of a model script, as Python's tokenizer would cut it.
///
/// Besides its 1-based `location` a token keeps `start..<end`, its span as
/// offsets into the script's Unicode scalars, so the parser can copy the
/// exact source text of a statement (`Stmt.source`).
public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var location: SourceLocation
    public var start: Int
    public var end: Int
    /// How many brackets are open after this token (CPython's `level`):
    /// its "Perhaps you forgot a comma?" hint only applies inside brackets.
    public var level: Int

    public init(_ kind: TokenKind, at location: SourceLocation, start: Int, end: Int, level: Int = 0) {
        self.kind = kind
        self.location = location
        self.start = start
        self.end = end
        self.level = level
    }
}

public enum TokenKind: Equatable, Sendable {
    /// An identifier that is not a keyword. Soft keywords (`match`, `case`,
    /// `_`) are names, as in Python.
    case name(String)
    /// A hard keyword of Python 3 (`if`, `lambda`, `None`, `True`, ...),
    /// `async` and `await` included.
    case keyword(String)
    case int(Int)
    /// An int literal wider than 64 bits.
    case bigInt(PyInt)
    case float(Double)
    /// A number that is valid Python but that scripts cannot hold (complex,
    /// an int literal of more than 4,300 decimal digits): the parser accepts it and the script is
    /// refused with this `.unsupported` error once it parses.
    case rejectedLiteral(ScriptError)
    /// A string literal with its escapes already decoded.
    case string(String)
    /// An f-string: `body` is the span of the text between its quotes
    /// (offsets into the script's scalars), split by the parser.
    case formattedString(raw: Bool, body: Range<Int>)
    /// A bytes literal (refused once the script parses), with the
    /// SyntaxError CPython raises for it, if any.
    case bytes(problem: LiteralProblem?)
    /// A `str` literal that cannot be decoded.
    case badString(LiteralProblem)
    /// An operator or delimiter, spelled as in the source (`"**="`, `"("`).
    /// Stray ASCII characters Python has no use for (`$`, `?`, `!`, `` ` ``)
    /// also come through here so the parser reports "invalid syntax" at
    /// them, which is what CPython 3.11 does.
    case op(String)
    case newline
    /// INDENT and DEDENT sit where CPython puts them: on the last
    /// indentation character of the line (column = indentation width in
    /// characters, so 0 for a dedent to the margin). DEDENTs at the end
    /// of the file sit at `.endOfFile`'s location.
    case indent
    case dedent
    case endOfFile
    /// The tokenizer stopped here. It is always the last token.
    case error(ScriptError, LexErrorKind)
}

/// How a tokenizer error competes with a parser error found *earlier* in
/// the file. CPython tokenizes the rest of the file after a parse error and
/// lets some tokenizer errors replace it; we mimic that so messages and
/// positions match what `python3 script.py` prints.
public enum LexErrorKind: Equatable, Sendable {
    /// Bad number, unterminated string, bad character, unmatched closing
    /// bracket: always wins.
    case fatal
    /// End of file, bad indentation, a stray backslash: reported when the
    /// parser gets there. If a bracket was open, `unclosedBracket` (its
    /// "'(' was never closed") replaces a parse error found on a later line
    /// than the bracket.
    case whenReached(unclosedBracket: ScriptError?)
}

extension Token {
    var isNewline: Bool { kind == .newline }
    var isEnd: Bool {
        switch kind {
        case .endOfFile, .error: return true
        default: return false
        }
    }
    func isOp(_ symbol: String) -> Bool { kind == .op(symbol) }
    func isKeyword(_ word: String) -> Bool { kind == .keyword(word) }
}

/// What is wrong with a string literal. CPython decodes literals when the
/// parser reaches them, so these are reported then, not by the tokenizer.
public enum LiteralProblem: Equatable, Sendable {
    /// A SyntaxError that CPython places at the token after the run of
    /// adjacent literals (a bad escape such as `'\x4'`).
    case afterLiterals(String)
    /// A SyntaxError placed at the literal itself (non-ASCII bytes).
    case atLiteral(String)
    /// Valid Python scripts cannot hold (`\N{...}`, a lone surrogate).
    case unsupported(String)
}

extension TokenKind {
    /// STRING in CPython's grammar: any kind of string literal.
    var isString: Bool {
        switch self {
        case .string, .formattedString, .bytes, .badString: return true
        default: return false
        }
    }
}

/// Python 3's hard keywords. Soft keywords are deliberately absent.
let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await",
    "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
    "while", "with", "yield",
]
