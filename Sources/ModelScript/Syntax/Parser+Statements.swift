/// Statement rules of CPython 3.11's grammar (see NOTE [A port of
/// CPython's grammar] in Parser.swift). Each function is the rule named in
/// its comment; it returns nil, leaving the position where it was, when the
/// rule does not match.
extension Parser {
    // MARK: - Start rules

    /// `file: [statements] ENDMARKER`
    mutating func fileRule() throws -> [Stmt]? {
        let body = try statements() ?? []
        guard try token().kind == .endOfFile else { return nil }
        return body
    }

    /// `eval: expressions NEWLINE* ENDMARKER`
    mutating func evalRule() throws -> Expr? {
        let mark = pos
        guard let expr = try expressions() else { return nil }
        while try expectNewline() != nil {}
        guard try token().kind == .endOfFile else { pos = mark; return nil }
        return expr
    }

    /// `statements: statement+`
    mutating func statements() throws -> [Stmt]? {
        var body: [Stmt] = []
        var matched = false
        while let more = try statement() {
            body += more
            matched = true
        }
        return matched ? body : nil
    }

    /// `statement: compound_stmt | simple_stmts`
    mutating func statement() throws -> [Stmt]? {
        if let compound = try compoundStatement() { return [compound] }
        return try simpleStatements()
    }

    /// `compound_stmt`
    mutating func compoundStatement() throws -> Stmt? {
        let first = try token()
        if first.isKeyword("def") || first.isOp("@") || first.isKeyword("async"),
           let def = try functionDef() { return def }
        if first.isKeyword("if"), let stmt = try ifStatement() { return stmt }
        if first.isKeyword("class") || first.isOp("@"), let def = try classDef() { return def }
        if first.isKeyword("with") || first.isKeyword("async"), let stmt = try withStatement() { return stmt }
        if first.isKeyword("for") || first.isKeyword("async"), let stmt = try forStatement() { return stmt }
        if first.isKeyword("try"), let stmt = try tryStatement() { return stmt }
        if first.isKeyword("while"), let stmt = try whileStatement() { return stmt }
        return try matchStatement()
    }

    /// `simple_stmts: simple_stmt !';' NEWLINE | ';'.simple_stmt+ [';'] NEWLINE`
    mutating func simpleStatements() throws -> [Stmt]? {
        let mark = pos
        if let stmt = try simpleStatement(), !(try isOp(";")), try expectNewline() != nil { return stmt }
        pos = mark
        guard var statements = try simpleStatement() else { return nil }
        while true {
            let beforeSemicolon = pos
            guard try expectOp(";") != nil, let more = try simpleStatement() else {
                pos = beforeSemicolon
                break
            }
            statements += more
        }
        _ = try expectOp(";")
        guard try expectNewline() != nil else { pos = mark; return nil }
        return statements
    }

    /// `simple_stmt` (memo). Several statements for `import a, b`.
    mutating func simpleStatement() throws -> [Stmt]? {
        try memoizedStatements(.simpleStmt) { try $0.simpleStatementBody() }
    }

    private mutating func simpleStatementBody() throws -> [Stmt]? {
        let mark = pos
        let first = try token()
        func make(_ kind: StmtKind, _ parser: Parser) -> [Stmt] {
            [Stmt(kind, at: first.location, source: parser.sourceText(from: first))]
        }
        if let kind = try assignment() { return make(kind, self) }
        pos = mark
        if let expr = try starExpressions() { return make(.expr(expr), self) }
        pos = mark
        switch first.kind {
        case .keyword("return"):
            advance()
            let value = try starExpressions()
            return make(.returnStmt(value), self)
        case .keyword("import"):
            return try importName()
        case .keyword("from"):
            if let stmt = try importFrom() { return [stmt] }
        case .keyword("raise"):
            if let kind = try raiseStatement() { return make(kind, self) }
        case .keyword("pass"):
            advance()
            return make(.pass, self)
        case .keyword("del"):
            if let kind = try delStatement() { return make(kind, self) }
        case .keyword("yield"):
            if let expr = try yieldExpression() { return make(.expr(expr), self) }
        case .keyword("assert"):
            if let kind = try assertStatement() { return make(kind, self) }
        case .keyword("break"):
            advance()
            return make(.break, self)
        case .keyword("continue"):
            advance()
            return make(.continue, self)
        case .keyword("global"), .keyword("nonlocal"):
            advance()
            guard let names = try nameList() else { break }
            return make(first.isKeyword("global") ? .global(names) : .nonlocal(names), self)
        default:
            break
        }
        pos = mark
        return nil
    }

    /// `','.NAME+` of `global` and `nonlocal`.
    private mutating func nameList() throws -> [String]? {
        guard let first = try expectName() else { return nil }
        var names = [first.name]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try expectName() else {
                pos = mark
                return names
            }
            names.append(next.name)
        }
    }

    // MARK: - Assignments

    /// `assignment`: annotated, plain (`a = b = c`) or augmented.
    mutating func assignment() throws -> StmtKind? {
        let mark = pos
        // NAME ':' expression ['=' annotated_rhs]
        if let (name, nameToken) = try expectName(), try expectOp(":") != nil, let annotation = try expression() {
            let value = try annotatedValue()
            return .annotatedAssign(target: Expr(.name(name, .unresolved), at: nameToken.location),
                                    annotation: annotation, value: value)
        }
        pos = mark
        // ('(' single_target ')' | single_subscript_attribute_target) ':' expression ['=' annotated_rhs]
        if let target = try parenthesizedSingleTarget() ?? (try optional { try $0.singleSubscriptAttributeTarget() }),
           try expectOp(":") != nil, let annotation = try expression() {
            let value = try annotatedValue()
            return .annotatedAssign(target: target, annotation: annotation, value: value)
        }
        pos = mark
        // (star_targets '=')+ (yield_expr | star_expressions) !'=' [TYPE_COMMENT]
        var targets: [Expr] = []
        while true {
            let before = pos
            guard let target = try starTargets(), try expectOp("=") != nil else {
                pos = before
                break
            }
            targets.append(target)
        }
        if !targets.isEmpty, let value = try yieldExpression() ?? (try starExpressions()), !(try isOp("=")) {
            return .assign(targets: targets, value: value)
        }
        pos = mark
        // single_target augassign ~ (yield_expr | star_expressions)
        if let target = try singleTarget(), let op = try augmentedOperator() {
            guard let value = try yieldExpression() ?? (try starExpressions()) else {
                pos = mark
                return nil  // the cut: no other alternative
            }
            return .augAssign(target: target, op: op, value: value)
        }
        pos = mark
        if secondPass { try invalidAssignment() }
        pos = mark
        return nil
    }

    /// `['=' annotated_rhs]`
    private mutating func annotatedValue() throws -> Expr? {
        let mark = pos
        if try expectOp("=") != nil, let value = try yieldExpression() ?? (try starExpressions()) { return value }
        pos = mark
        return nil
    }

    /// `'(' single_target ')'`
    private mutating func parenthesizedSingleTarget() throws -> Expr? {
        let mark = pos
        if try expectOp("(") != nil, let target = try singleTarget(), try expectOp(")") != nil { return target }
        pos = mark
        return nil
    }

    /// `augassign`
    mutating func augmentedOperator() throws -> BinaryOp? {
        guard case .op(let symbol) = try token().kind, symbol.count >= 2, symbol.hasSuffix("="),
              let op = BinaryOp(rawValue: String(symbol.dropLast())) else { return nil }
        advance()
        return op
    }

    // MARK: - Simple statements

    /// `raise_stmt: 'raise' expression ['from' expression] | 'raise'`
    private mutating func raiseStatement() throws -> StmtKind? {
        let mark = pos
        guard try expectKeyword("raise") != nil else { return nil }
        if let exception = try expression() {
            var cause: Expr?
            let beforeFrom = pos
            if try expectKeyword("from") != nil {
                cause = try expression()
                if cause == nil { pos = beforeFrom }
            }
            return .raise(exception: exception, cause: cause)
        }
        pos = mark + 1
        return .raise(exception: nil, cause: nil)
    }

    /// `del_stmt: 'del' del_targets &(';' | NEWLINE) | invalid_del_stmt`
    private mutating func delStatement() throws -> StmtKind? {
        let mark = pos
        if try expectKeyword("del") != nil, let targets = try delTargets(),
           try isOp(";") || token().isNewline {
            return .delete(targets)
        }
        pos = mark
        if secondPass { try invalidDelStatement() }
        pos = mark
        return nil
    }

    /// `assert_stmt: 'assert' expression [',' expression]`
    private mutating func assertStatement() throws -> StmtKind? {
        let mark = pos
        guard try expectKeyword("assert") != nil, let test = try expression() else { pos = mark; return nil }
        var message: Expr?
        let beforeComma = pos
        if try expectOp(",") != nil {
            message = try expression()
            if message == nil { pos = beforeComma }
        }
        return .assert(test: test, message: message)
    }

    // MARK: - Imports

    /// `import_name: 'import' dotted_as_names`, one statement per module.
    private mutating func importName() throws -> [Stmt]? {
        let mark = pos
        let first = try token()
        guard try expectKeyword("import") != nil else { return nil }
        var modules: [ImportName] = []
        repeat {
            guard let module = try importedName(dotted: true) else {
                if modules.isEmpty { pos = mark; return nil }
                pos -= 1  // the comma
                break
            }
            modules.append(module)
        } while try expectOp(",") != nil
        let source = sourceText(from: first)
        return modules.map {
            Stmt(.importModule(module: $0.name, alias: $0.alias, target: $0.target), at: first.location, source: source)
        }
    }

    /// `import_from`. A relative import keeps its dots in `module`, and
    /// `import *` is a name `*`: both are refused once the script parses.
    private mutating func importFrom() throws -> Stmt? {
        let mark = pos
        let first = try token()
        guard try expectKeyword("from") != nil else { return nil }
        var dots = ""
        let firstDot = try token()
        while true {
            if try expectOp(".") != nil { dots += "." } else if try expectOp("...") != nil { dots += "..." } else { break }
        }
        var module = ""
        if let name = try dottedName() {
            module = name
        } else if dots.isEmpty {
            pos = mark
            return nil
        }
        guard try expectKeyword("import") != nil, let names = try importFromTargets() else {
            pos = mark
            return nil
        }
        if !dots.isEmpty {
            refusals.append(.unsupported("relative imports are not supported in model scripts", firstDot.location))
        }
        if names.first?.name == "*" {
            refusals.append(.unsupported("'from ... import *' is not supported in model scripts", names[0].target.location))
        }
        return Stmt(.importFrom(module: dots + module, names: names), at: first.location, source: sourceText(from: first))
    }

    /// `import_from_targets`
    private mutating func importFromTargets() throws -> [ImportName]? {
        let mark = pos
        if try expectOp("(") != nil, let names = try importFromAsNames() {
            _ = try expectOp(",")
            if try expectOp(")") != nil { return names }
        }
        pos = mark
        if let names = try importFromAsNames(), !(try isOp(",")) { return names }
        pos = mark
        if let star = try expectOp("*") {
            return [ImportName(name: "*", alias: nil, target: Expr(.name("*", .unresolved), at: star.location))]
        }
        if secondPass {
            // invalid_import_from_targets: import_from_as_names ',' NEWLINE
            if try importFromAsNames() != nil, try expectOp(",") != nil, try expectNewline() != nil {
                throw raise("trailing comma not allowed without surrounding parentheses")
            }
            pos = mark
        }
        return nil
    }

    /// `import_from_as_names: ','.import_from_as_name+`
    private mutating func importFromAsNames() throws -> [ImportName]? {
        guard let first = try importedName(dotted: false) else { return nil }
        var names = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try importedName(dotted: false) else {
                pos = mark
                return names
            }
            names.append(next)
        }
    }

    /// `dotted_as_name` / `import_from_as_name`: `name ['as' NAME]`.
    private mutating func importedName(dotted: Bool) throws -> ImportName? {
        let start = try token().location
        let name: String
        if dotted {
            guard let dottedName = try dottedName() else { return nil }
            name = dottedName
        } else {
            guard let plain = try expectName() else { return nil }
            name = plain.name
        }
        var alias: (name: String, token: Token)?
        let mark = pos
        if try expectKeyword("as") != nil {
            alias = try expectName()
            if alias == nil { pos = mark }
        }
        let bound = alias?.name ?? String(name.split(separator: ".")[0])
        return ImportName(name: name, alias: alias?.name,
                          target: Expr(.name(bound, .unresolved), at: alias?.token.location ?? start))
    }

    /// `dotted_name: dotted_name '.' NAME | NAME` (memo, left-recursive).
    mutating func dottedName() throws -> String? {
        guard var name = try expectName()?.name else { return nil }
        while true {
            let mark = pos
            guard try expectOp(".") != nil, let next = try expectName() else {
                pos = mark
                return name
            }
            name += "." + next.name
        }
    }

    // MARK: - Blocks

    /// `block: NEWLINE INDENT statements DEDENT | simple_stmts | invalid_block` (memo)
    mutating func block() throws -> [Stmt]? {
        try memoizedStatements(.block) { parser in
            let mark = parser.pos
            if try parser.expectNewline() != nil, try parser.expectIndent() != nil,
               let body = try parser.statements(), try parser.expectDedent() != nil {
                return body
            }
            parser.pos = mark
            if let body = try parser.simpleStatements() { return body }
            if parser.secondPass, try parser.expectNewline() != nil, !(try parser.lookahead { try $0.expectIndent() }) {
                throw parser.raiseIndentationError("expected an indented block")
            }
            parser.pos = mark
            return nil
        }
    }

    /// `NEWLINE !INDENT` after a header's colon: the start of CPython's
    /// "expected an indented block after ..." rules.
    mutating func missingIndentedBlock() throws -> Bool {
        guard try expectNewline() != nil else { return false }
        return !(try lookahead { try $0.expectIndent() })
    }

    /// `else_block: invalid_else_stmt | 'else' &&':' block`
    mutating func elseBlock() throws -> [Stmt]? {
        let mark = pos
        if secondPass {
            if let keyword = try expectKeyword("else"), try expectOp(":") != nil, try missingIndentedBlock() {
                throw raiseIndentationError("expected an indented block after 'else' statement on line \(keyword.location.line)")
            }
            pos = mark
        }
        guard try expectKeyword("else") != nil else { return nil }
        _ = try forced(":")
        guard let body = try block() else { pos = mark; return nil }
        return body
    }

    // MARK: - Compound statements

    /// `if_stmt` and `elif_stmt`; an `elif` chain becomes nested ifs.
    mutating func ifStatement(keyword word: String = "if") throws -> Stmt? {
        let mark = pos
        if secondPass {
            // invalid_if_stmt / invalid_elif_stmt
            if try expectKeyword(word) != nil, try namedExpression() != nil, try expectNewline() != nil {
                throw raise("expected ':'")
            }
            pos = mark
            if let keyword = try expectKeyword(word), let test = try namedExpression(), try expectOp(":") != nil,
               try missingIndentedBlock() {
                // CPython's `a='if' a=named_expression` names the condition's line.
                let line = word == "if" ? test.location.line : keyword.location.line
                throw raiseIndentationError("expected an indented block after '\(word)' statement on line \(line)")
            }
            pos = mark
        }
        guard let keyword = try expectKeyword(word), let test = try namedExpression(), try expectOp(":") != nil else {
            pos = mark
            return nil
        }
        let header = sourceText(from: keyword)
        guard let body = try block() else { pos = mark; return nil }
        var orElse: [Stmt] = []
        if try isKeyword("elif"), let elif = try ifStatement(keyword: "elif") {
            orElse = [elif]
        } else if let elseBody = try elseBlock() {
            orElse = elseBody
        }
        return Stmt(.ifStmt(test: test, body: body, orElse: orElse), at: keyword.location, source: header)
    }

    /// `while_stmt: invalid_while_stmt | 'while' named_expression ':' block [else_block]`
    mutating func whileStatement() throws -> Stmt? {
        let mark = pos
        if secondPass {
            if try expectKeyword("while") != nil, try namedExpression() != nil, try expectNewline() != nil {
                throw raise("expected ':'")
            }
            pos = mark
            if let keyword = try expectKeyword("while"), try namedExpression() != nil, try expectOp(":") != nil,
               try missingIndentedBlock() {
                throw raiseIndentationError("expected an indented block after 'while' statement on line \(keyword.location.line)")
            }
            pos = mark
        }
        guard let keyword = try expectKeyword("while"), let test = try namedExpression(), try expectOp(":") != nil else {
            pos = mark
            return nil
        }
        let header = sourceText(from: keyword)
        guard let body = try block() else { pos = mark; return nil }
        let orElse = try elseBlock() ?? []
        return Stmt(.whileLoop(test: test, body: body, orElse: orElse), at: keyword.location, source: header)
    }

    /// `for_stmt`, `async for` included (refused once the script parses).
    mutating func forStatement() throws -> Stmt? {
        let mark = pos
        if secondPass {
            // invalid_for_stmt
            _ = try expectKeyword("async")
            if try expectKeyword("for") != nil, try starTargets() != nil, try expectKeyword("in") != nil,
               try starExpressions() != nil, try expectNewline() != nil {
                throw raise("expected ':'")
            }
            pos = mark
            _ = try expectKeyword("async")
            if let keyword = try expectKeyword("for"), try starTargets() != nil, try expectKeyword("in") != nil,
               try starExpressions() != nil, try expectOp(":") != nil, try missingIndentedBlock() {
                throw raiseIndentationError("expected an indented block after 'for' statement on line \(keyword.location.line)")
            }
            pos = mark
        }
        for isAsync in [false, true] {
            let first = try token()
            if isAsync, try expectKeyword("async") == nil { break }
            guard try expectKeyword("for") != nil, let target = try starTargets(), try expectKeyword("in") != nil else {
                pos = mark
                continue
            }
            // The cut: past `in`, nothing else is tried.
            guard let iterable = try starExpressions(), try expectOp(":") != nil else { pos = mark; return nil }
            let header = sourceText(from: first)
            guard let body = try block() else { pos = mark; return nil }
            let orElse = try elseBlock() ?? []
            return Stmt(.forLoop(target: target, iterable: iterable, body: body, orElse: orElse),
                        at: first.location, source: header)
        }
        pos = mark
        if secondPass { try invalidForTarget() }
        pos = mark
        return nil
    }

    /// `with_stmt`, `async with` included (refused once the script parses).
    mutating func withStatement() throws -> Stmt? {
        let mark = pos
        if secondPass { try invalidWithStatementIndent() }
        pos = mark
        for isAsync in [false, true] {
            let first = try token()
            if isAsync, try expectKeyword("async") == nil { break }
            let afterKeyword = pos
            guard try expectKeyword("with") != nil else { pos = mark; continue }
            // 'with' '(' ','.with_item+ ','? ')' ':' block
            if try expectOp("(") != nil, let items = try withItems() {
                _ = try expectOp(",")
                if try expectOp(")") != nil, try expectOp(":") != nil {
                    let header = sourceText(from: first)
                    if let body = try block() {
                        return Stmt(.with(items: items, body: body), at: first.location, source: header)
                    }
                }
            }
            pos = afterKeyword + 1
            // 'with' ','.with_item+ ':' [TYPE_COMMENT] block
            if let items = try withItems(), try expectOp(":") != nil {
                let header = sourceText(from: first)
                if let body = try block() {
                    return Stmt(.with(items: items, body: body), at: first.location, source: header)
                }
            }
            pos = mark
        }
        pos = mark
        if secondPass { try invalidWithStatement() }
        pos = mark
        return nil
    }

    /// `','.with_item+`
    private mutating func withItems() throws -> [WithItem]? {
        guard let first = try withItem() else { return nil }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try withItem() else {
                pos = mark
                return items
            }
            items.append(next)
        }
    }

    /// `with_item: expression 'as' star_target &(',' | ')' | ':') | invalid_with_item | expression`
    private mutating func withItem() throws -> WithItem? {
        let mark = pos
        if let context = try expression(), try expectKeyword("as") != nil, let target = try starTarget(),
           try isOp(",") || isOp(")") || isOp(":") {
            return WithItem(context: context, name: target)
        }
        pos = mark
        if secondPass {
            // invalid_with_item: expression 'as' a=expression &(',' | ')' | ':')
            if try expression() != nil, try expectKeyword("as") != nil, let target = try expression(),
               try isOp(",") || isOp(")") || isOp(":") {
                try raiseInvalidTarget(.star, target)
            }
            pos = mark
        }
        guard let context = try expression() else { return nil }
        return WithItem(context: context, name: nil)
    }

    /// `try_stmt`. `except*` handlers are kept as plain ones; the script is
    /// refused once it parses.
    mutating func tryStatement() throws -> Stmt? {
        let mark = pos
        if secondPass { try invalidTryStatement() }
        pos = mark
        guard let keyword = try expectKeyword("try") else { return nil }
        _ = try forced(":")
        let header = sourceText(from: keyword)
        guard let body = try block() else { pos = mark; return nil }
        func make(_ handlers: [ExceptHandler], _ orElse: [Stmt], _ final: [Stmt]) -> Stmt {
            Stmt(.tryStmt(body: body, handlers: handlers, orElse: orElse, finally: final),
                 at: keyword.location, source: header)
        }
        let afterBody = pos
        if let final = try finallyBlock() { return make([], [], final) }
        pos = afterBody
        for star in [false, true] {
            var handlers: [ExceptHandler] = []
            while let handler = try exceptBlock(star: star) { handlers.append(handler) }
            guard !handlers.isEmpty else { pos = afterBody; continue }
            if star { refusals.append(.unsupported("'except*' is not supported in model scripts", handlers[0].location)) }
            let orElse = try elseBlock() ?? []
            let final = try finallyBlock() ?? []
            return make(handlers, orElse, final)
        }
        pos = mark
        return nil
    }

    /// `except_block` (`star`: `except_star_block`).
    mutating func exceptBlock(star: Bool) throws -> ExceptHandler? {
        let mark = pos
        if secondPass {
            // invalid_except_stmt_indent / invalid_except_star_stmt_indent
            if let keyword = try expectKeyword("except"), try expectStar(if: star), try expression() != nil {
                try optionalAsName()
                if try expectOp(":") != nil, try missingIndentedBlock() {
                    let what = star ? "except*" : "except"
                    throw raiseIndentationError("expected an indented block after '\(what)' statement on line \(keyword.location.line)")
                }
            }
            pos = mark
            if !star, let keyword = try expectKeyword("except"), try expectOp(":") != nil, try missingIndentedBlock() {
                throw raiseIndentationError("expected an indented block after 'except' statement on line \(keyword.location.line)")
            }
            pos = mark
        }
        if let keyword = try expectKeyword("except"), try expectStar(if: star), let type = try expression() {
            let name = try optionalAsName()
            if try expectOp(":") != nil {
                let source = sourceText(from: keyword)
                if let body = try block() {
                    return ExceptHandler(type: type, name: name, body: body, at: keyword.location, source: source)
                }
            }
        }
        pos = mark
        if !star, let keyword = try expectKeyword("except"), try expectOp(":") != nil {
            let source = sourceText(from: keyword)
            if let body = try block() {
                return ExceptHandler(type: nil, name: nil, body: body, at: keyword.location, source: source)
            }
        }
        pos = mark
        if secondPass { try invalidExceptStatement() }
        pos = mark
        return nil
    }

    /// `'*'` after `except` in an `except*` clause.
    private mutating func expectStar(if star: Bool) throws -> Bool {
        guard star else { return true }
        return try expectOp("*") != nil
    }

    /// `['as' NAME]`
    @discardableResult
    mutating func optionalAsName() throws -> Expr? {
        let mark = pos
        if try expectKeyword("as") != nil, let (name, token) = try expectName() {
            return Expr(.name(name, .unresolved), at: token.location)
        }
        pos = mark
        return nil
    }

    /// `finally_block: invalid_finally_stmt | 'finally' &&':' block`
    private mutating func finallyBlock() throws -> [Stmt]? {
        let mark = pos
        if secondPass {
            if let keyword = try expectKeyword("finally"), try expectOp(":") != nil, try missingIndentedBlock() {
                throw raiseIndentationError("expected an indented block after 'finally' statement on line \(keyword.location.line)")
            }
            pos = mark
        }
        guard try expectKeyword("finally") != nil else { return nil }
        _ = try forced(":")
        guard let body = try block() else { pos = mark; return nil }
        return body
    }

    // MARK: - Definitions

    /// `decorators: ('@' named_expression NEWLINE)+`
    private mutating func decorators() throws -> [Expr]? {
        var found: [Expr] = []
        while true {
            let mark = pos
            guard try expectOp("@") != nil, let decorator = try namedExpression(), try expectNewline() != nil else {
                pos = mark
                return found.isEmpty ? nil : found
            }
            found.append(decorator)
        }
    }

    /// `function_def: decorators function_def_raw | function_def_raw`. As in
    /// CPython 3.8+, a decorated function is located at its `def`.
    mutating func functionDef() throws -> Stmt? {
        let mark = pos
        if let decorators = try decorators(), var def = try functionDefRaw() {
            guard case .functionDef(var function) = def.kind else { return def }
            function.decorators = decorators
            def.kind = .functionDef(function)
            return def
        }
        pos = mark
        return try functionDefRaw()
    }

    /// `function_def_raw`, `async def` included (refused once the script parses).
    private mutating func functionDefRaw() throws -> Stmt? {
        let mark = pos
        if secondPass {
            // invalid_def_raw
            _ = try expectKeyword("async")
            if let keyword = try expectKeyword("def"), try expectName() != nil, try expectOp("(") != nil {
                _ = try optional { try $0.params() }
                if try expectOp(")") != nil {
                    _ = try optional { try $0.returnAnnotation() }
                    if try expectOp(":") != nil, try missingIndentedBlock() {
                        throw raiseIndentationError("expected an indented block after function definition on line \(keyword.location.line)")
                    }
                }
            }
            pos = mark
        }
        let first = try token()
        _ = try expectKeyword("async")
        guard try expectKeyword("def") != nil, let (name, nameToken) = try expectName() else { pos = mark; return nil }
        _ = try forced("(")
        let parameters = try optional { try $0.params() } ?? Parameters()
        guard try expectOp(")") != nil else { pos = mark; return nil }
        let returns = try optional { try $0.returnAnnotation() }
        _ = try forced(":")
        let header = sourceText(from: first)
        guard let body = try block() else { pos = mark; return nil }
        let function = FunctionDef(name: name, target: Expr(.name(name, .unresolved), at: nameToken.location),
                                   parameters: parameters, body: body, returns: returns,
                                   isGenerator: Self.containsYield(body), at: first.location)
        return Stmt(.functionDef(function), at: first.location, source: header)
    }

    /// `'->' expression`
    private mutating func returnAnnotation() throws -> Expr? {
        guard try expectOp("->") != nil else { return nil }
        return try expression()
    }

    /// `class_def: decorators class_def_raw | class_def_raw`
    mutating func classDef() throws -> Stmt? {
        let mark = pos
        if let decorators = try decorators(), var def = try classDefRaw() {
            guard case .classDef(var classDef) = def.kind else { return def }
            classDef.decorators = decorators
            def.kind = .classDef(classDef)
            return def
        }
        pos = mark
        return try classDefRaw()
    }

    /// `class_def_raw: invalid_class_def_raw | 'class' NAME ['(' [arguments] ')'] ':' block`
    private mutating func classDefRaw() throws -> Stmt? {
        let mark = pos
        if secondPass {
            for colon in [false, true] {
                guard let keyword = try expectKeyword("class"), try expectName() != nil else { pos = mark; break }
                _ = try optional { try $0.parenthesizedArguments() }
                if !colon, try expectNewline() != nil { throw raise("expected ':'") }
                if colon, try expectOp(":") != nil, try missingIndentedBlock() {
                    throw raiseIndentationError("expected an indented block after class definition on line \(keyword.location.line)")
                }
                pos = mark
            }
        }
        guard let keyword = try expectKeyword("class"), let (name, nameToken) = try expectName() else {
            pos = mark
            return nil
        }
        let arguments = try optional { try $0.parenthesizedArguments() }
        guard try expectOp(":") != nil else { pos = mark; return nil }
        let header = sourceText(from: keyword)
        guard let body = try block() else { pos = mark; return nil }
        let classDef = ClassDef(name: name, target: Expr(.name(name, .unresolved), at: nameToken.location),
                                bases: arguments?.args ?? [], keywords: arguments?.keywords ?? [],
                                body: body, at: keyword.location)
        return Stmt(.classDef(classDef), at: keyword.location, source: header)
    }

    /// `'(' [arguments] ')'`
    private mutating func parenthesizedArguments() throws -> CallArguments? {
        let mark = pos
        guard try expectOp("(") != nil else { return nil }
        let arguments = try arguments() ?? CallArguments(args: [], keywords: [])
        guard try expectOp(")") != nil else { pos = mark; return nil }
        return arguments
    }

    /// Whether a function body holds `yield` outside nested functions,
    /// lambdas and classes (where CPython's symbol table looks for it).
    static func containsYield(_ body: [Stmt]) -> Bool {
        var finder = YieldFinder()
        for stmt in body { finder.visit(stmt) }
        return finder.found
    }
}
