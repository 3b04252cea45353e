/// The `match` statement of CPython 3.11's grammar (see NOTE [A port of
/// CPython's grammar] in Parser.swift). Scripts cannot use it, but its
/// syntax errors must still be Python's, so it is parsed in full; patterns
/// only report where they start. The statement becomes an `if` chain over
/// its case bodies, so that the checks after parsing still see them, and
/// the script is refused once it parses.
extension Parser {
    /// `match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT | invalid_match_stmt`
    mutating func matchStatement() throws -> Stmt? {
        let mark = pos
        if let keyword = try expectSoftKeyword("match"), let subject = try subjectExpression(),
           try expectOp(":") != nil {
            let header = sourceText(from: keyword)
            if try expectNewline() != nil, try expectIndent() != nil {
                var cases: [(test: Expr, body: [Stmt], location: SourceLocation, source: String)] = []
                while let next = try caseBlock() {
                    cases.append((next.guard ?? subject, next.body, next.location, next.source))
                }
                if !cases.isEmpty, try expectDedent() != nil {
                    refusals.append(.unsupported("'match' statements are not supported in model scripts", keyword.location))
                    var orElse: [Stmt] = []
                    for item in cases.dropFirst().reversed() {
                        orElse = [Stmt(.ifStmt(test: item.test, body: item.body, orElse: orElse),
                                       at: item.location, source: item.source)]
                    }
                    return Stmt(.ifStmt(test: cases[0].test, body: cases[0].body, orElse: orElse),
                                at: keyword.location, source: header)
                }
            }
        }
        pos = mark
        if secondPass {
            if try expectSoftKeyword("match") != nil, try subjectExpression() != nil, try expectNewline() != nil {
                throw raise("expected ':'")
            }
            pos = mark
            if let keyword = try expectSoftKeyword("match"), try subjectExpression() != nil, try expectOp(":") != nil,
               try missingIndentedBlock() {
                throw raiseIndentationError("expected an indented block after 'match' statement on line \(keyword.location.line)")
            }
            pos = mark
        }
        return nil
    }

    /// `subject_expr: star_named_expression ',' star_named_expressions? | named_expression`
    private mutating func subjectExpression() throws -> Expr? {
        let mark = pos
        let start = try token().location
        if let first = try starNamedExpression(), try expectOp(",") != nil {
            let rest = try starNamedExpressions() ?? []
            return Expr(.tuple([first] + rest), at: start)
        }
        pos = mark
        return try namedExpression()
    }

    /// `case_block: invalid_case_block | "case" patterns guard? ':' block`
    private mutating func caseBlock() throws -> (guard: Expr?, body: [Stmt], location: SourceLocation, source: String)? {
        let mark = pos
        if secondPass {
            for colon in [false, true] {
                if let keyword = try expectSoftKeyword("case"), try patterns() != nil {
                    _ = try optional { try $0.caseGuard() }
                    if !colon, try expectNewline() != nil { throw raise("expected ':'") }
                    if colon, try expectOp(":") != nil, try missingIndentedBlock() {
                        throw raiseIndentationError("expected an indented block after 'case' statement on line \(keyword.location.line)")
                    }
                }
                pos = mark
            }
        }
        guard let keyword = try expectSoftKeyword("case"), try patterns() != nil else { pos = mark; return nil }
        let caseGuard = try optional { try $0.caseGuard() }
        guard try expectOp(":") != nil else { pos = mark; return nil }
        let header = sourceText(from: keyword)
        guard let body = try block() else { pos = mark; return nil }
        return (caseGuard, body, keyword.location, header)
    }

    /// `guard: 'if' named_expression`
    private mutating func caseGuard() throws -> Expr? {
        guard try expectKeyword("if") != nil else { return nil }
        return try namedExpression()
    }

    /// `patterns: open_sequence_pattern | pattern`
    private mutating func patterns() throws -> SourceLocation? {
        if let start = try openSequencePattern() { return start }
        return try pattern()
    }

    /// `pattern: as_pattern | or_pattern`
    private mutating func pattern() throws -> SourceLocation? {
        try nested { parser in
            if let start = try parser.asPattern() { return start }
            return try parser.orPattern()
        }
    }

    /// `as_pattern: or_pattern 'as' pattern_capture_target | invalid_as_pattern`
    private mutating func asPattern() throws -> SourceLocation? {
        let mark = pos
        if let start = try orPattern(), try expectKeyword("as") != nil, try patternCaptureTarget() {
            return start
        }
        pos = mark
        if secondPass {
            if try orPattern() != nil, try expectKeyword("as") != nil {
                let afterAs = pos
                if let underscore = try expectSoftKeyword("_") {
                    throw raise("cannot use '_' as a target", at: underscore.location)
                }
                pos = afterAs
                if try expectName() == nil {
                    pos = afterAs
                    if let target = try expression() { throw raise("invalid pattern target", at: target.location) }
                }
            }
            pos = mark
        }
        return nil
    }

    /// `or_pattern: '|'.closed_pattern+`
    private mutating func orPattern() throws -> SourceLocation? {
        guard let start = try closedPattern() else { return nil }
        while true {
            let mark = pos
            guard try expectOp("|") != nil, try closedPattern() != nil else {
                pos = mark
                return start
            }
        }
    }

    /// `closed_pattern` (memo)
    private mutating func closedPattern() throws -> SourceLocation? {
        _ = try token()
        if let memo = patternMemo[pos] {
            pos = memo.end
            return memo.value
        }
        let mark = pos
        let start = try token().location
        let matched = try literalPattern() || capturePattern() || wildcardPattern() || valuePattern()
            || groupPattern() || sequencePattern() || mappingPattern() || classPattern()
        if !matched { pos = mark }
        patternMemo[mark] = (matched ? start : nil, pos)
        return matched ? start : nil
    }

    /// `literal_pattern` (and `literal_expr`): numbers, complex literals,
    /// strings, None, True, False.
    private mutating func literalPattern() throws -> Bool {
        let mark = pos
        // signed_number !('+' | '-')
        if try signedNumber(), !(try isOp("+") || isOp("-")) { return true }
        pos = mark
        // complex_number: signed_real_number ('+' | '-') imaginary_number
        if try signedNumber(real: true), try expectOp("+") != nil || (try expectOp("-")) != nil,
           try number(imaginary: true) {
            return true
        }
        pos = mark
        if try token().kind.isString, try atom() != nil { return true }
        pos = mark
        if try expectKeyword("None") != nil || (try expectKeyword("True")) != nil
            || (try expectKeyword("False")) != nil {
            return true
        }
        return false
    }

    /// `signed_number: NUMBER | '-' NUMBER`; with `real`, `signed_real_number`.
    private mutating func signedNumber(real: Bool = false) throws -> Bool {
        let mark = pos
        if try number(imaginary: real ? false : nil) { return true }
        if try expectOp("-") != nil, try number(imaginary: real ? false : nil) { return true }
        pos = mark
        return false
    }

    /// A NUMBER; `imaginary` true or false runs CPython's
    /// `_PyPegen_ensure_imaginary` or `_PyPegen_ensure_real` on it.
    private mutating func number(imaginary: Bool?) throws -> Bool {
        let current = try token()
        switch current.kind {
        case .int, .bigInt, .float, .rejectedLiteral:
            advance()
            if let error = Self.numberRefusal(current.kind) { refusals.append(error) }
            let isImaginary = current.end > current.start && "jJ".unicodeScalars.contains(text[current.end - 1])
            if imaginary == true, !isImaginary {
                throw raise("imaginary number required in complex literal", at: current.location)
            }
            if imaginary == false, isImaginary {
                throw raise("real number required in complex literal", at: current.location)
            }
            return true
        default:
            return false
        }
    }

    static func numberRefusal(_ kind: TokenKind) -> ScriptError? {
        if case .rejectedLiteral(let error) = kind { return error }
        return nil
    }

    /// `capture_pattern: pattern_capture_target`
    private mutating func capturePattern() throws -> Bool {
        try patternCaptureTarget()
    }

    /// `pattern_capture_target: !"_" NAME !('.' | '(' | '=')`
    private mutating func patternCaptureTarget() throws -> Bool {
        let mark = pos
        if try token().kind == .name("_") { return false }
        guard try expectName() != nil, !(try isOp(".") || isOp("(") || isOp("=")) else {
            pos = mark
            return false
        }
        return true
    }

    /// `wildcard_pattern: "_"`
    private mutating func wildcardPattern() throws -> Bool {
        try expectSoftKeyword("_") != nil
    }

    /// `value_pattern: attr !('.' | '(' | '=')`
    private mutating func valuePattern() throws -> Bool {
        let mark = pos
        guard try attr(), !(try isOp(".") || isOp("(") || isOp("=")) else {
            pos = mark
            return false
        }
        return true
    }

    /// `attr: name_or_attr '.' NAME`: a dotted name with at least one dot.
    private mutating func attr() throws -> Bool {
        let mark = pos
        guard try expectName() != nil else { return false }
        var dots = 0
        while true {
            let beforeDot = pos
            guard try expectOp(".") != nil, try expectName() != nil else {
                pos = beforeDot
                break
            }
            dots += 1
        }
        if dots == 0 { pos = mark }
        return dots > 0
    }

    /// `name_or_attr: attr | NAME`
    private mutating func nameOrAttr() throws -> Bool {
        if try attr() { return true }
        return try expectName() != nil
    }

    /// `group_pattern: '(' pattern ')'`
    private mutating func groupPattern() throws -> Bool {
        let mark = pos
        if try expectOp("(") != nil, try pattern() != nil, try expectOp(")") != nil { return true }
        pos = mark
        return false
    }

    /// `sequence_pattern: '[' maybe_sequence_pattern? ']' | '(' open_sequence_pattern? ')'`
    private mutating func sequencePattern() throws -> Bool {
        let mark = pos
        if try expectOp("[") != nil {
            _ = try maybeSequencePattern()
            if try expectOp("]") != nil { return true }
        }
        pos = mark
        if try expectOp("(") != nil {
            _ = try openSequencePattern()
            if try expectOp(")") != nil { return true }
        }
        pos = mark
        return false
    }

    /// `open_sequence_pattern: maybe_star_pattern ',' maybe_sequence_pattern?`
    private mutating func openSequencePattern() throws -> SourceLocation? {
        let mark = pos
        guard let start = try maybeStarPattern(), try expectOp(",") != nil else { pos = mark; return nil }
        _ = try maybeSequencePattern()
        return start
    }

    /// `maybe_sequence_pattern: ','.maybe_star_pattern+ ','?`
    private mutating func maybeSequencePattern() throws -> Bool {
        guard try maybeStarPattern() != nil else { return false }
        while true {
            let mark = pos
            guard try expectOp(",") != nil, try maybeStarPattern() != nil else {
                pos = mark
                break
            }
        }
        _ = try expectOp(",")
        return true
    }

    /// `maybe_star_pattern: star_pattern | pattern`
    private mutating func maybeStarPattern() throws -> SourceLocation? {
        let mark = pos
        if let star = try expectOp("*") {
            if try patternCaptureTarget() || wildcardPattern() { return star.location }
            pos = mark
        }
        return try pattern()
    }

    /// `mapping_pattern`
    private mutating func mappingPattern() throws -> Bool {
        let mark = pos
        guard try expectOp("{") != nil else { return false }
        if try expectOp("}") != nil { return true }
        let afterBrace = pos
        // '{' double_star_pattern ','? '}'
        if try doubleStarPattern() {
            _ = try expectOp(",")
            if try expectOp("}") != nil { return true }
        }
        pos = afterBrace
        // '{' items_pattern ',' double_star_pattern ','? '}'
        if try itemsPattern(), try expectOp(",") != nil, try doubleStarPattern() {
            _ = try expectOp(",")
            if try expectOp("}") != nil { return true }
        }
        pos = afterBrace
        // '{' items_pattern ','? '}'
        if try itemsPattern() {
            _ = try expectOp(",")
            if try expectOp("}") != nil { return true }
        }
        pos = mark
        return false
    }

    /// `items_pattern: ','.key_value_pattern+`
    private mutating func itemsPattern() throws -> Bool {
        guard try keyValuePattern() else { return false }
        while true {
            let mark = pos
            guard try expectOp(",") != nil, try keyValuePattern() else {
                pos = mark
                return true
            }
        }
    }

    /// `key_value_pattern: (literal_expr | attr) ':' pattern`
    private mutating func keyValuePattern() throws -> Bool {
        let mark = pos
        if try literalPattern() || attr(), try expectOp(":") != nil, try pattern() != nil { return true }
        pos = mark
        return false
    }

    /// `double_star_pattern: '**' pattern_capture_target`
    private mutating func doubleStarPattern() throws -> Bool {
        let mark = pos
        if try expectOp("**") != nil, try patternCaptureTarget() { return true }
        pos = mark
        return false
    }

    /// `class_pattern` and `invalid_class_pattern`
    private mutating func classPattern() throws -> Bool {
        let mark = pos
        guard try nameOrAttr(), try expectOp("(") != nil else { pos = mark; return false }
        let afterParen = pos
        if try expectOp(")") != nil { return true }
        // positional_patterns ','? ')'
        if try positionalPatterns() != nil {
            _ = try expectOp(",")
            if try expectOp(")") != nil { return true }
        }
        pos = afterParen
        // keyword_patterns ','? ')'
        if try keywordPatterns() {
            _ = try expectOp(",")
            if try expectOp(")") != nil { return true }
        }
        pos = afterParen
        // positional_patterns ',' keyword_patterns ','? ')'
        if try positionalPatterns() != nil, try expectOp(",") != nil, try keywordPatterns() {
            _ = try expectOp(",")
            if try expectOp(")") != nil { return true }
        }
        pos = mark
        if secondPass {
            // name_or_attr '(' [positional_patterns ','] keyword_patterns ',' positional_patterns
            if try nameOrAttr(), try expectOp("(") != nil {
                let afterOpen = pos
                if try positionalPatterns() == nil || (try expectOp(",")) == nil { pos = afterOpen }
                if try keywordPatterns(), try expectOp(",") != nil, let first = try positionalPatterns() {
                    throw raise("positional patterns follow keyword patterns", at: first)
                }
            }
            pos = mark
        }
        return false
    }

    /// `positional_patterns: ','.pattern+`
    private mutating func positionalPatterns() throws -> SourceLocation? {
        guard let start = try pattern() else { return nil }
        while true {
            let mark = pos
            guard try expectOp(",") != nil, try pattern() != nil else {
                pos = mark
                return start
            }
        }
    }

    /// `keyword_patterns: ','.keyword_pattern+`
    private mutating func keywordPatterns() throws -> Bool {
        guard try keywordPattern() else { return false }
        while true {
            let mark = pos
            guard try expectOp(",") != nil, try keywordPattern() else {
                pos = mark
                return true
            }
        }
    }

    /// `keyword_pattern: NAME '=' pattern`
    private mutating func keywordPattern() throws -> Bool {
        let mark = pos
        if try expectName() != nil, try expectOp("=") != nil, try pattern() != nil { return true }
        pos = mark
        return false
    }
}
