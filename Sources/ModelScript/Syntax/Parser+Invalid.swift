/// The `invalid_*` rules of CPython 3.11's grammar: they only run in the
/// second pass (see NOTE [A port of CPython's grammar] in Parser.swift)
/// and exist to raise a specific SyntaxError. Each either throws or
/// returns; the caller puts the position back.
///
/// CPython stops at the first alternative of an invalid rule that matches,
/// even when its action then decides to raise nothing (`return` below
/// after such an action, where the grammar's action returns NULL).
extension Parser {
    enum TargetsType {
        case star, del, `for`
    }

    /// `RAISE_SYNTAX_ERROR_INVALID_TARGET`: names the first part of `expr`
    /// that cannot be assigned to (or deleted), if any.
    func raiseInvalidTarget(_ type: TargetsType, _ expr: Expr) throws {
        guard let bad = Self.invalidTarget(in: expr, type) else { return }
        let verb = type == .del ? "delete" : "assign to"
        throw raise("cannot \(verb) \(Self.describe(bad))", at: bad.location)
    }

    /// `_PyPegen_get_invalid_target`
    static func invalidTarget(in expr: Expr, _ type: TargetsType) -> Expr? {
        if awaited(expr) != nil { return expr }
        switch expr.kind {
        case .list(let items), .tuple(let items):
            for item in items {
                if let bad = invalidTarget(in: item, type) { return bad }
            }
            return nil
        case .starred(let value):
            return type == .del ? expr : invalidTarget(in: value, type)
        case .compare(let left, let rest):
            // `for a in b` parses as a comparison: look left of its `in`.
            guard type == .for else { return expr }
            return rest.first?.op == .in ? invalidTarget(in: left, type) : nil
        case .name, .subscript, .attribute:
            return nil
        default:
            return expr
        }
    }

    /// `_PyPegen_get_expr_name`: CPython's name for an expression in messages.
    static func describe(_ expr: Expr) -> String {
        if awaited(expr) != nil { return "await expression" }
        switch expr.kind {
        case .attribute: return "attribute"
        case .subscript: return "subscript"
        case .starred: return "starred"
        case .name: return "name"
        case .list: return "list"
        case .tuple: return "tuple"
        case .lambda: return "lambda"
        case .call: return "function call"
        case .boolean, .binary, .unary, .not: return "expression"
        case .comprehension(let c):
            switch c.kind {
            case .list: return "list comprehension"
            case .set: return "set comprehension"
            case .dict: return "dict comprehension"
            case .generator: return "generator expression"
            }
        case .yield, .yieldFrom: return "yield expression"
        case .dict: return "dict literal"
        case .set: return "set display"
        case .formatted: return "f-string expression"
        case .none: return "None"
        case .bool(let value): return value ? "True" : "False"
        case .ellipsis: return "ellipsis"
        case .int, .bigInt, .float, .string: return "literal"
        case .compare: return "comparison"
        case .conditional: return "conditional expression"
        case .namedExpr: return "named expression"
        case .slice: return "slice"
        }
    }

    /// `_PyPegen_check_legacy_stmt`
    static func isLegacyStatement(_ expr: Expr) -> Bool {
        guard case .name(let name, _) = expr.kind else { return false }
        return name == "print" || name == "exec"
    }

    // MARK: - Expressions

    /// `invalid_expression`
    mutating func invalidExpression() throws {
        let mark = pos
        // !(NAME STRING | SOFT_KEYWORD) disjunction expression_without_invalid
        let current = try token()
        var excluded = false
        if case .name(let name) = current.kind {
            advance()
            excluded = try token().kind.isString || ["_", "case", "match"].contains { $0.hasPrefix(name) }
            pos = mark
        }
        if !excluded, let first = try disjunction(), try expressionWithoutInvalid() != nil {
            if Self.isLegacyStatement(first) || previous.level == 0 { return }
            throw raise("invalid syntax. Perhaps you forgot a comma?", at: first.location)
        }
        pos = mark
        // disjunction 'if' disjunction !('else' | ':')
        if let body = try disjunction(), try expectKeyword("if") != nil, try disjunction() != nil,
           !(try isKeyword("else") || isOp(":")) {
            throw raise("expected 'else' after 'if' expression", at: body.location)
        }
        pos = mark
    }

    /// `invalid_legacy_expression: NAME !'(' star_expressions`
    mutating func invalidLegacyExpression() throws {
        let mark = pos
        defer { pos = mark }
        guard let (name, token) = try expectName(), !(try isOp("(")), try starExpressions() != nil else { return }
        if name == "print" || name == "exec" {
            throw raise("Missing parentheses in call to '\(name)'. Did you mean \(name)(...)?", at: token.location)
        }
    }

    /// `invalid_named_expression` (memo)
    mutating func invalidNamedExpression() throws {
        let mark = pos
        defer { pos = mark }
        _ = try token()
        guard !invalidNamedExpressionFailed.contains(pos) else { return }
        defer { invalidNamedExpressionFailed.insert(mark) }
        // expression ':=' expression
        if let target = try expression(), try expectOp(":=") != nil, try expression() != nil {
            throw raise("cannot use assignment expressions with \(Self.describe(target))", at: target.location)
        }
        pos = mark
        // NAME '=' bitwise_or !('=' | ':=')
        if let (_, token) = try expectName(), try expectOp("=") != nil, try bitwiseOr() != nil,
           !(try isOp("=") || isOp(":=")) {
            throw raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: token.location)
        }
        pos = mark
        // !(list | tuple | genexp | 'True' | 'None' | 'False') bitwise_or '=' bitwise_or !('=' | ':=')
        let excluded = try lookahead { try $0.list() } || lookahead { try $0.tuple() } || lookahead { try $0.genexp() }
            || isKeyword("True") || isKeyword("None") || isKeyword("False")
        if !excluded, let target = try bitwiseOr(), try expectOp("=") != nil, try bitwiseOr() != nil,
           !(try isOp("=") || isOp(":=")) {
            throw raise("cannot assign to \(Self.describe(target)) here. Maybe you meant '==' instead of '='?",
                        at: target.location)
        }
    }

    /// `invalid_group` (after nothing: it reads its own `(`)
    mutating func invalidGroup() throws {
        let mark = pos
        if try expectOp("(") != nil, let starred = try starredExpression(), try expectOp(")") != nil {
            throw raise("cannot use starred expression here", at: starred.location)
        }
        pos = mark
        if try expectOp("(") != nil, let stars = try expectOp("**"), try expression() != nil, try expectOp(")") != nil {
            throw raise("cannot use double starred expression here", at: stars.location)
        }
        pos = mark
    }

    /// `invalid_comprehension`
    mutating func invalidComprehension() throws {
        let mark = pos
        let opening = try token()
        guard opening.isOp("[") || opening.isOp("(") || opening.isOp("{") else { return }
        advance()
        if let starred = try starredExpression(), try forIfClauses() != nil {
            throw raise("iterable unpacking cannot be used in comprehension", at: starred.location)
        }
        pos = mark
        guard !opening.isOp("(") else { return }
        advance()
        if let first = try starNamedExpression(), try expectOp(",") != nil, try starNamedExpressions() != nil,
           try forIfClauses() != nil {
            throw raise("did you forget parentheses around the comprehension target?", at: first.location)
        }
        pos = mark + 1
        if let first = try starNamedExpression(), try expectOp(",") != nil, try forIfClauses() != nil {
            throw raise("did you forget parentheses around the comprehension target?", at: first.location)
        }
        pos = mark
    }

    /// `invalid_dict_comprehension: '{' '**' bitwise_or for_if_clauses '}'`
    mutating func invalidDictComprehension() throws {
        let mark = pos
        defer { pos = mark }
        if try expectOp("{") != nil, let stars = try expectOp("**"), try bitwiseOr() != nil,
           try forIfClauses() != nil, try expectOp("}") != nil {
            throw raise("dict unpacking cannot be used in dict comprehension", at: stars.location)
        }
    }

    /// `invalid_double_starred_kvpairs`, after the dict's `{`.
    mutating func invalidDoubleStarredPairs() throws {
        let mark = pos
        // ','.double_starred_kvpair+ ',' invalid_kvpair
        if try doubleStarredPair() != nil {
            while true {
                let beforeComma = pos
                guard try expectOp(",") != nil, try doubleStarredPair() != nil else {
                    pos = beforeComma
                    break
                }
            }
            if try expectOp(",") != nil, try invalidKeyValuePair() { return }
        }
        pos = mark
        // expression ':' '*' bitwise_or
        if try expression() != nil, try expectOp(":") != nil, let star = try expectOp("*"), try bitwiseOr() != nil {
            throw raise("cannot use a starred expression in a dictionary value", at: star.location)
        }
        pos = mark
        // expression ':' &('}' | ',')
        if try expression() != nil, let colon = try expectOp(":"), try isOp("}") || isOp(",") {
            throw raise("expression expected after dictionary key and ':'", at: colon.location)
        }
        pos = mark
    }

    /// `invalid_kvpair`; true when an alternative matched without raising.
    private mutating func invalidKeyValuePair() throws -> Bool {
        let mark = pos
        if let key = try expression(), !(try isOp(":")) {
            // CPython points at the key's last character (on the key's first
            // line). A parenthesized key is the expression inside: its
            // parentheses are not part of the node.
            var first = mark
            var last = pos - 1
            while first < last, tokens[first].isOp("("), tokens[first].location != key.location, tokens[last].isOp(")") {
                first += 1
                last -= 1
            }
            throw raise("':' expected after dictionary key",
                        at: SourceLocation(line: key.location.line, column: endColumn(ofTokenAt: last)))
        }
        pos = mark
        if try expression() != nil, try expectOp(":") != nil, let star = try expectOp("*"), try bitwiseOr() != nil {
            throw raise("cannot use a starred expression in a dictionary value", at: star.location)
        }
        pos = mark
        if try expression() != nil, let colon = try expectOp(":"), try isOp("}") || isOp(",") {
            throw raise("expression expected after dictionary key and ':'", at: colon.location)
        }
        pos = mark
        return false
    }

    /// The end column (CPython's 0-based `end_col_offset`) of a token:
    /// characters from the start of the line its last character is on.
    func endColumn(ofTokenAt index: Int) -> Int {
        let token = tokens[index]
        var lineStart = token.end
        while lineStart > token.start, lineStart > 0, text[lineStart - 1] != "\n", text[lineStart - 1] != "\r" {
            lineStart -= 1
        }
        if lineStart == token.start { return token.location.column - 1 + (token.end - token.start) }
        return token.end - lineStart
    }

    // MARK: - Calls

    /// `invalid_arguments`
    mutating func invalidArguments() throws {
        let mark = pos
        // ((','.(starred_expression | (assignment_expression | expression !':=') !'=')+ ',' kwargs) | kwargs)
        // ',' '*'   (3.11.7's rule: the 3.11.0 grammar had `args ',' '*'`)
        var keywordsFirst = false
        if try positionalArguments() != nil, try expectOp(",") != nil, try kwargs() != nil {
            keywordsFirst = true
        } else {
            pos = mark
            keywordsFirst = try kwargs() != nil
        }
        if keywordsFirst, try expectOp(",") != nil, let star = try expectOp("*") {
            throw raise("iterable argument unpacking follows keyword argument unpacking", at: star.location)
        }
        pos = mark
        // expression for_if_clauses ',' [args | expression for_if_clauses]
        if let first = try expression(), try forIfClauses() != nil, try expectOp(",") != nil {
            let afterComma = pos
            if try args() == nil {
                pos = afterComma
                if try expression() == nil || (try forIfClauses()) == nil { pos = afterComma }
            }
            throw raise("Generator expression must be parenthesized", at: first.location)
        }
        pos = mark
        // NAME '=' expression for_if_clauses
        if let (_, token) = try expectName(), try expectOp("=") != nil, try expression() != nil,
           try forIfClauses() != nil {
            throw raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: token.location)
        }
        pos = mark
        // args for_if_clauses
        if let args = try args(), try forIfClauses() != nil {
            guard args.args.count > 1, let last = args.args.last else { return }
            throw raise("Generator expression must be parenthesized", at: last.location)
        }
        pos = mark
        // args ',' expression for_if_clauses
        if try args() != nil, try expectOp(",") != nil, let generator = try expression(), try forIfClauses() != nil {
            throw raise("Generator expression must be parenthesized", at: generator.location)
        }
        pos = mark
        // args ',' args
        if let args = try args(), try expectOp(",") != nil, try self.args() != nil {
            let unpacking = args.keywords.contains { $0.name == nil }
            throw raise(unpacking ? "positional argument follows keyword argument unpacking"
                                  : "positional argument follows keyword argument")
        }
        pos = mark
    }

    /// `invalid_kwarg`
    mutating func invalidKwarg() throws {
        let mark = pos
        let current = try token()
        if case .keyword(let word) = current.kind, ["True", "False", "None"].contains(word) {
            advance()
            if try expectOp("=") != nil { throw raise("cannot assign to \(word)", at: current.location) }
            pos = mark
        }
        if let (_, token) = try expectName(), try expectOp("=") != nil, try expression() != nil,
           try forIfClauses() != nil {
            throw raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: token.location)
        }
        pos = mark
        let nameEquals = try expectName() != nil && (try expectOp("=")) != nil
        pos = mark
        if !nameEquals, let value = try expression(), try expectOp("=") != nil {
            throw raise("expression cannot contain assignment, perhaps you meant \"==\"?", at: value.location)
        }
        pos = mark
    }

    // MARK: - Statements

    /// `invalid_assignment`
    mutating func invalidAssignment() throws {
        let mark = pos
        // invalid_ann_assign_target ':' expression
        if let target = try invalidAnnotatedTarget(), try expectOp(":") != nil, try expression() != nil {
            throw raise("only single target (not \(Self.describe(target))) can be annotated", at: target.location)
        }
        pos = mark
        // star_named_expression ',' star_named_expressions* ':' expression
        if let first = try starNamedExpression(), try expectOp(",") != nil {
            _ = try many { try $0.starNamedExpressions() }
            if try expectOp(":") != nil, try expression() != nil {
                throw raise("only single target (not tuple) can be annotated", at: first.location)
            }
        }
        pos = mark
        // expression ':' expression
        if let target = try expression(), try expectOp(":") != nil, try expression() != nil {
            throw raise("illegal target for annotation", at: target.location)
        }
        pos = mark
        // (star_targets '=')* star_expressions '='
        try skipStarTargetsEquals()
        if let value = try starExpressions(), try expectOp("=") != nil {
            try raiseInvalidTarget(.star, value)
            return
        }
        pos = mark
        // (star_targets '=')* yield_expr '='
        try skipStarTargetsEquals()
        if let value = try yieldExpression(), try expectOp("=") != nil {
            throw raise("assignment to yield expression not possible", at: value.location)
        }
        pos = mark
        // star_expressions augassign (yield_expr | star_expressions)
        if let target = try starExpressions(), try augmentedOperator() != nil,
           try yieldExpression() ?? (try starExpressions()) != nil {
            throw raise("'\(Self.describe(target))' is an illegal expression for augmented assignment",
                        at: target.location)
        }
        pos = mark
    }

    /// `(star_targets '=')*`
    private mutating func skipStarTargetsEquals() throws {
        while true {
            let mark = pos
            guard try starTargets() != nil, try expectOp("=") != nil else {
                pos = mark
                return
            }
        }
    }

    /// `invalid_ann_assign_target: list | tuple | '(' invalid_ann_assign_target ')'`
    private mutating func invalidAnnotatedTarget() throws -> Expr? {
        if let list = try list() { return list }
        if let tuple = try tuple() { return tuple }
        let mark = pos
        if try expectOp("(") != nil, let inner = try nested({ try $0.invalidAnnotatedTarget() }),
           try expectOp(")") != nil {
            return inner
        }
        pos = mark
        return nil
    }

    /// `invalid_del_stmt: 'del' star_expressions`
    mutating func invalidDelStatement() throws {
        if try expectKeyword("del") != nil, let targets = try starExpressions() {
            try raiseInvalidTarget(.del, targets)
        }
    }

    /// `invalid_for_target: ASYNC? 'for' star_expressions`
    mutating func invalidForTarget() throws {
        _ = try expectKeyword("async")
        if try expectKeyword("for") != nil, let target = try starExpressions() {
            try raiseInvalidTarget(.for, target)
        }
    }

    /// `invalid_with_stmt`: a `with` header without its colon.
    mutating func invalidWithStatement() throws {
        let mark = pos
        _ = try expectKeyword("async")
        let afterAsync = pos
        if try expectKeyword("with") != nil, try withItemsLoosely(parenthesized: false), try expectNewline() != nil {
            throw raise("expected ':'")
        }
        pos = afterAsync
        if try expectKeyword("with") != nil, try expectOp("(") != nil, try withItemsLoosely(parenthesized: true) {
            _ = try expectOp(",")
            if try expectOp(")") != nil, try expectNewline() != nil { throw raise("expected ':'") }
        }
        pos = mark
    }

    /// `invalid_with_stmt_indent`
    mutating func invalidWithStatementIndent() throws {
        let mark = pos
        _ = try expectKeyword("async")
        let afterAsync = pos
        if let keyword = try expectKeyword("with"), try withItemsLoosely(parenthesized: false), try expectOp(":") != nil,
           try missingIndentedBlock() {
            throw raiseIndentationError("expected an indented block after 'with' statement on line \(keyword.location.line)")
        }
        pos = afterAsync
        if let keyword = try expectKeyword("with"), try expectOp("(") != nil, try withItemsLoosely(parenthesized: true) {
            _ = try expectOp(",")
            if try expectOp(")") != nil, try expectOp(":") != nil, try missingIndentedBlock() {
                throw raiseIndentationError("expected an indented block after 'with' statement on line \(keyword.location.line)")
            }
        }
        pos = mark
    }

    /// `','.(expression ['as' star_target])+` (`expressions` inside parentheses).
    private mutating func withItemsLoosely(parenthesized: Bool) throws -> Bool {
        var count = 0
        while true {
            let mark = pos
            if count > 0, try expectOp(",") == nil { break }
            let context = parenthesized ? try expressions() : try expression()
            guard context != nil else {
                pos = mark
                break
            }
            let beforeAs = pos
            if try expectKeyword("as") != nil, try starTarget() == nil { pos = beforeAs }
            count += 1
        }
        return count > 0
    }

    /// `invalid_try_stmt`
    mutating func invalidTryStatement() throws {
        let mark = pos
        if let keyword = try expectKeyword("try"), try expectOp(":") != nil, try missingIndentedBlock() {
            throw raiseIndentationError("expected an indented block after 'try' statement on line \(keyword.location.line)")
        }
        pos = mark
        if try expectKeyword("try") != nil, try expectOp(":") != nil, try block() != nil,
           !(try isKeyword("except") || isKeyword("finally")) {
            throw raise("expected 'except' or 'finally' block")
        }
        pos = mark
        for star in [false, true] {
            guard try expectKeyword("try") != nil, try expectOp(":") != nil else { break }
            _ = try many { try $0.block() }
            let handlers = try many { try $0.exceptBlock(star: star) }
            if !handlers.isEmpty, let keyword = try expectKeyword("except") {
                if !star {
                    // 'except' '*' expression ['as' NAME] ':'
                    if try expectOp("*") != nil, try expression() != nil {
                        try optionalAsName()
                        if try expectOp(":") != nil {
                            throw raise("cannot have both 'except' and 'except*' on the same 'try'", at: keyword.location)
                        }
                    }
                } else {
                    // 'except' [expression ['as' NAME]] ':'
                    let afterKeyword = pos
                    if try expression() != nil {
                        try optionalAsName()
                    } else {
                        pos = afterKeyword
                    }
                    if try expectOp(":") != nil {
                        throw raise("cannot have both 'except' and 'except*' on the same 'try'", at: keyword.location)
                    }
                }
            }
            pos = mark
        }
        pos = mark
    }

    /// `invalid_except_stmt`
    mutating func invalidExceptStatement() throws {
        let mark = pos
        // 'except' '*'? expression ',' expressions ['as' NAME] ':'
        if try expectKeyword("except") != nil {
            _ = try expectOp("*")
            if let first = try expression(), try expectOp(",") != nil, try expressions() != nil {
                try optionalAsName()
                if try expectOp(":") != nil {
                    throw raise("multiple exception types must be parenthesized", at: first.location)
                }
            }
        }
        pos = mark
        // 'except' '*'? expression ['as' NAME] NEWLINE
        if try expectKeyword("except") != nil {
            _ = try expectOp("*")
            if try expression() != nil {
                try optionalAsName()
                if try expectNewline() != nil { throw raise("expected ':'") }
            }
        }
        pos = mark
        // 'except' NEWLINE
        if try expectKeyword("except") != nil, try expectNewline() != nil { throw raise("expected ':'") }
        pos = mark
        // 'except' '*' (NEWLINE | ':')
        if try expectKeyword("except") != nil, try expectOp("*") != nil,
           try expectNewline() != nil || (try expectOp(":")) != nil {
            throw raise("expected one or more exception types")
        }
        pos = mark
    }

    // MARK: - Parameters

    /// `invalid_parameters` / `invalid_lambda_parameters`
    mutating func invalidParameters(lambda: Bool) throws {
        let mark = pos
        // param_no_default* invalid_parameters_helper param_no_default
        _ = try many { try $0.paramNoDefault(lambda: lambda) }
        if try invalidParametersHelper(lambda: lambda), let parameter = try paramNoDefault(lambda: lambda) {
            throw raise("non-default argument follows default argument", at: parameter.location)
        }
        pos = mark
        // param_no_default* '(' param_no_default+ ','? ')'   (lambda: ','.lambda_param+)
        _ = try many { try $0.paramNoDefault(lambda: lambda) }
        if let open = try expectOp("(") {
            var inner: [Parameter]
            if lambda {
                inner = []
                while true {
                    let beforeComma = pos
                    if !inner.isEmpty, try expectOp(",") == nil { break }
                    guard let parameter = try param(lambda: true) else {
                        pos = beforeComma
                        break
                    }
                    inner.append(parameter)
                }
            } else {
                inner = try many { try $0.paramNoDefault(lambda: false) }
            }
            if !inner.isEmpty {
                _ = try expectOp(",")
                if try expectOp(")") != nil {
                    throw raise(lambda ? "Lambda expression parameters cannot be parenthesized"
                                       : "Function parameters cannot be parenthesized", at: open.location)
                }
            }
        }
        pos = mark
        // "/" ','
        if let slash = try expectOp("/"), try expectOp(",") != nil {
            throw raise("at least one argument must precede /", at: slash.location)
        }
        pos = mark
        // (slash_no_default | slash_with_default) param_maybe_default* '/'
        if try slashNoDefault(lambda: lambda) != nil || (try slashWithDefault(lambda: lambda)) != nil {
            _ = try many { try $0.paramMaybeDefault(lambda: lambda) }
            if let slash = try expectOp("/") { throw raise("/ may appear only once", at: slash.location) }
        }
        pos = mark
        // (slash_no_default | slash_with_default)? param_maybe_default* '*' (',' | param_no_default)
        // param_maybe_default* '/'
        if try slashNoDefault(lambda: lambda) == nil { _ = try slashWithDefault(lambda: lambda) }
        _ = try many { try $0.paramMaybeDefault(lambda: lambda) }
        if try expectOp("*") != nil, try expectOp(",") != nil || (try paramNoDefault(lambda: lambda)) != nil {
            _ = try many { try $0.paramMaybeDefault(lambda: lambda) }
            if let slash = try expectOp("/") { throw raise("/ must be ahead of *", at: slash.location) }
        }
        pos = mark
        // param_maybe_default+ '/' '*'
        if !(try many { try $0.paramMaybeDefault(lambda: lambda) }).isEmpty, try expectOp("/") != nil,
           let star = try expectOp("*") {
            throw raise("expected comma between / and *", at: star.location)
        }
        pos = mark
    }

    /// `invalid_parameters_helper: slash_with_default | param_with_default+`
    private mutating func invalidParametersHelper(lambda: Bool) throws -> Bool {
        if try slashWithDefault(lambda: lambda) != nil { return true }
        return !(try many { try $0.paramWithDefault(lambda: lambda) }).isEmpty
    }

    /// `invalid_star_etc` / `invalid_lambda_star_etc`
    mutating func invalidStarEtc(lambda: Bool) throws {
        let mark = pos
        let end = lambda ? ":" : ")"
        // '*' (')' | ',' (')' | '**'))
        if let star = try expectOp("*") {
            var matched = try expectOp(end) != nil
            if !matched, try expectOp(",") != nil { matched = try expectOp(end) != nil || (try expectOp("**")) != nil }
            if matched {
                // The lambda rule says it at the furthest token.
                throw lambda ? raise("named arguments must follow bare *")
                             : raise("named arguments must follow bare *", at: star.location)
            }
        }
        pos = mark
        if !lambda, try expectOp("*") != nil, try expectOp(",") != nil {
            _ = try token()  // '*' ',' TYPE_COMMENT
        }
        pos = mark
        // '*' param '='
        if try expectOp("*") != nil, try param(lambda: lambda) != nil, let equals = try expectOp("=") {
            throw raise("var-positional argument cannot have default value", at: equals.location)
        }
        pos = mark
        // '*' (param_no_default | ',') param_maybe_default* '*' (param_no_default | ',')
        if try expectOp("*") != nil, try paramNoDefault(lambda: lambda) != nil || (try expectOp(",")) != nil {
            _ = try many { try $0.paramMaybeDefault(lambda: lambda) }
            if let star = try expectOp("*"), try paramNoDefault(lambda: lambda) != nil || (try expectOp(",")) != nil {
                throw raise("* argument may appear only once", at: star.location)
            }
        }
        pos = mark
    }

    /// `invalid_kwds` / `invalid_lambda_kwds`
    mutating func invalidKwds(lambda: Bool) throws {
        let mark = pos
        if try expectOp("**") != nil, try param(lambda: lambda) != nil, let equals = try expectOp("=") {
            throw raise("var-keyword argument cannot have default value", at: equals.location)
        }
        pos = mark
        if try expectOp("**") != nil, try param(lambda: lambda) != nil, try expectOp(",") != nil,
           let next = try param(lambda: lambda) {
            throw raise("arguments cannot follow var-keyword argument", at: next.location)
        }
        pos = mark
        if try expectOp("**") != nil, try param(lambda: lambda) != nil, try expectOp(",") != nil {
            let next = try token()
            if next.isOp("*") || next.isOp("**") || next.isOp("/") {
                throw raise("arguments cannot follow var-keyword argument", at: next.location)
            }
        }
        pos = mark
    }
}
