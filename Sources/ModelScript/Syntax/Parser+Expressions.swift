/// Expression rules of CPython 3.11's grammar (see NOTE [A port of
/// CPython's grammar] in Parser.swift).

/// The arguments of a call, or the bases and keywords of a class (CPython
/// parses both as a dummy `Call`).
struct CallArguments {
    var args: [Expr]
    var keywords: [Keyword]
}

extension Parser {
    // MARK: - Expression lists

    /// `expressions: expression (',' expression)+ [','] | expression ',' | expression`
    mutating func expressions() throws -> Expr? {
        try expressionList { try $0.expression() }
    }

    /// `star_expressions`, the same with `star_expression` elements.
    mutating func starExpressions() throws -> Expr? {
        try expressionList { try $0.starExpression() }
    }

    private mutating func expressionList(_ element: (inout Parser) throws -> Expr?) throws -> Expr? {
        let start = try token().location
        guard let first = try element(&self) else { return nil }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try element(&self) else {
                pos = mark
                break
            }
            items.append(next)
        }
        if try expectOp(",") == nil && items.count == 1 { return first }
        return Expr(.tuple(items), at: start)
    }

    /// `star_expression: '*' bitwise_or | expression` (memo)
    mutating func starExpression() throws -> Expr? {
        try memoized(.starExpression) { parser in
            if let star = try parser.expectOp("*") {
                if let value = try parser.bitwiseOr() { return Expr(.starred(value), at: star.location) }
                parser.pos -= 1
            }
            return try parser.expression()
        }
    }

    /// `star_named_expressions: ','.star_named_expression+ [',']`
    mutating func starNamedExpressions() throws -> [Expr]? {
        guard let first = try starNamedExpression() else { return nil }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try starNamedExpression() else {
                pos = mark
                break
            }
            items.append(next)
        }
        _ = try expectOp(",")
        return items
    }

    /// `star_named_expression: '*' bitwise_or | named_expression`
    mutating func starNamedExpression() throws -> Expr? {
        let mark = pos
        if let star = try expectOp("*") {
            if let value = try bitwiseOr() { return Expr(.starred(value), at: star.location) }
            pos = mark
        }
        return try namedExpression()
    }

    /// `assignment_expression: NAME ':=' ~ expression`
    mutating func assignmentExpression() throws -> Expr? {
        let mark = pos
        guard let (name, token) = try expectName(), try expectOp(":=") != nil, let value = try expression() else {
            pos = mark
            return nil
        }
        return Expr(.namedExpr(target: Expr(.name(name, .unresolved), at: token.location), value: value),
                    at: token.location)
    }

    /// `named_expression: assignment_expression | invalid_named_expression | expression !':='`
    mutating func namedExpression() throws -> Expr? {
        let mark = pos
        if let named = try assignmentExpression() { return named }
        if secondPass { try invalidNamedExpression() }
        pos = mark
        return try expressionNotWalrus()
    }

    /// `expression !':='`
    mutating func expressionNotWalrus() throws -> Expr? {
        let mark = pos
        guard let expr = try expression() else { return nil }
        if try isOp(":=") { pos = mark; return nil }
        return expr
    }

    // MARK: - Expressions

    /// `expression` (memo): a conditional expression, a disjunction or a lambda.
    mutating func expression() throws -> Expr? {
        try nested { parser in
            try parser.memoized(.expression) { try $0.expressionBody() }
        }
    }

    private mutating func expressionBody() throws -> Expr? {
        let mark = pos
        if secondPass {
            try invalidExpression()
            pos = mark
            try invalidLegacyExpression()
            pos = mark
        }
        let start = try token().location
        if let body = try disjunction() {
            let afterBody = pos
            if try expectKeyword("if") != nil, let test = try disjunction(), try expectKeyword("else") != nil,
               let orElse = try expression() {
                return Expr(.conditional(then: body, test: test, orElse: orElse), at: start)
            }
            pos = afterBody
            return body
        }
        pos = mark
        return try lambdef()
    }

    /// `expression_without_invalid`: an expression, with the invalid rules off.
    mutating func expressionWithoutInvalid() throws -> Expr? {
        let saved = secondPass
        secondPass = false
        defer { secondPass = saved }
        let start = try token().location
        let mark = pos
        if let body = try disjunction() {
            let afterBody = pos
            if try expectKeyword("if") != nil, let test = try disjunction(), try expectKeyword("else") != nil,
               let orElse = try expression() {
                return Expr(.conditional(then: body, test: test, orElse: orElse), at: start)
            }
            pos = afterBody
            return body
        }
        pos = mark
        return try lambdef()
    }

    /// `yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]`
    mutating func yieldExpression() throws -> Expr? {
        let mark = pos
        guard let keyword = try expectKeyword("yield") else { return nil }
        if try expectKeyword("from") != nil {
            if let value = try expression() { return Expr(.yieldFrom(value), at: keyword.location) }
            pos = mark + 1
        }
        return Expr(.yield(try starExpressions()), at: keyword.location)
    }

    /// `disjunction: conjunction ('or' conjunction)+ | conjunction` (memo)
    mutating func disjunction() throws -> Expr? {
        try memoized(.disjunction) { try $0.booleanChain(.or) { try $0.conjunction() } }
    }

    /// `conjunction: inversion ('and' inversion)+ | inversion` (memo)
    mutating func conjunction() throws -> Expr? {
        try memoized(.conjunction) { try $0.booleanChain(.and) { try $0.inversion() } }
    }

    private mutating func booleanChain(_ op: BoolOp, _ operand: (inout Parser) throws -> Expr?) throws -> Expr? {
        let start = try token().location
        guard let first = try operand(&self) else { return nil }
        var operands = [first]
        while true {
            let mark = pos
            guard try expectKeyword(op.rawValue) != nil, let next = try operand(&self) else {
                pos = mark
                break
            }
            operands.append(next)
        }
        return operands.count == 1 ? first : Expr(.boolean(op, operands), at: start)
    }

    /// `inversion: 'not' inversion | comparison` (memo)
    mutating func inversion() throws -> Expr? {
        try memoized(.inversion) { parser in
            let mark = parser.pos
            if let keyword = try parser.expectKeyword("not") {
                if let operand = try parser.nested({ try $0.inversion() }) {
                    return Expr(.not(operand), at: keyword.location)
                }
                parser.pos = mark
            }
            return try parser.comparison()
        }
    }

    /// `comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or`
    mutating func comparison() throws -> Expr? {
        let start = try token().location
        guard let first = try bitwiseOr() else { return nil }
        var rest: [Comparison] = []
        while true {
            let mark = pos
            guard let op = try comparisonOperator(), let right = try bitwiseOr() else {
                pos = mark
                break
            }
            rest.append(Comparison(op: op, right: right))
        }
        return rest.isEmpty ? first : Expr(.compare(first, rest), at: start)
    }

    /// The operator of `compare_op_bitwise_or_pair`. `<>` is only valid
    /// with `from __future__ import barry_as_FLUFL`, so it never matches.
    private mutating func comparisonOperator() throws -> CompareOp? {
        let current = try token()
        switch current.kind {
        case .op(let symbol) where ["==", "!=", "<=", "<", ">=", ">"].contains(symbol):
            advance()
            return CompareOp(rawValue: symbol)
        case .keyword("not"):
            advance()
            if try expectKeyword("in") != nil { return .notIn }
            pos -= 1
            return nil
        case .keyword("in"):
            advance()
            return .in
        case .keyword("is"):
            advance()
            return try expectKeyword("not") != nil ? .isNot : .is
        default:
            return nil
        }
    }

    /// `bitwise_or` down to `term`: the left-recursive binary operators,
    /// as loops (one precedence level per entry, loosest first).
    private static let binaryLevels: [[String: BinaryOp]] = [
        ["|": .bitOr], ["^": .bitXor], ["&": .bitAnd], ["<<": .lShift, ">>": .rShift],
        ["+": .add, "-": .sub], ["*": .mul, "/": .div, "//": .floorDiv, "%": .mod, "@": .matMul],
    ]

    /// `bitwise_or` (left-recursive, hence memoized)
    mutating func bitwiseOr() throws -> Expr? {
        try memoized(.bitwiseOr) { try $0.binary(level: 0) }
    }

    private mutating func binary(level: Int) throws -> Expr? {
        let start = try token().location
        let operand: (inout Parser) throws -> Expr? = level + 1 < Self.binaryLevels.count
            ? { try $0.binary(level: level + 1) }
            : { try $0.factor() }
        guard var left = try operand(&self) else { return nil }
        let outer = nesting
        defer { nesting = outer }
        while true {
            let mark = pos
            guard case .op(let symbol) = try token().kind, let op = Self.binaryLevels[level][symbol] else { break }
            advance()
            guard let right = try operand(&self) else {
                pos = mark
                break
            }
            try descend()  // each link deepens the tree
            left = Expr(.binary(op, left, right), at: start)
        }
        return left
    }

    /// `factor: '+' factor | '-' factor | '~' factor | power` (memo)
    mutating func factor() throws -> Expr? {
        try memoized(.factor) { parser in
            let current = try parser.token()
            let op: UnaryOp? = switch current.kind {
            case .op("+"): .plus
            case .op("-"): .minus
            case .op("~"): .invert
            default: nil
            }
            if let op {
                parser.advance()
                if let operand = try parser.nested({ try $0.factor() }) {
                    return Expr(.unary(op, operand), at: current.location)
                }
                parser.pos -= 1
                return nil
            }
            return try parser.power()
        }
    }

    /// `power: await_primary '**' factor | await_primary`
    private mutating func power() throws -> Expr? {
        let start = try token().location
        guard let base = try awaitPrimary() else { return nil }
        let mark = pos
        if try expectOp("**") != nil, let exponent = try nested({ try $0.factor() }) {
            return Expr(.binary(.pow, base, exponent), at: start)
        }
        pos = mark
        return base
    }

    /// `await_primary: AWAIT primary | primary` (memo). The AST has no
    /// await: see `Parser.awaitMarker`.
    private mutating func awaitPrimary() throws -> Expr? {
        try memoized(.awaitPrimary) { parser in
            let mark = parser.pos
            if let keyword = try parser.expectKeyword("await") {
                if let value = try parser.primary() { return Self.awaitMarker(value, at: keyword.location) }
                parser.pos = mark
            }
            return try parser.primary()
        }
    }

    /// `primary`: an atom with `.name`, genexp, `(args)` and `[slices]`
    /// trailers (left-recursive, as a loop).
    mutating func primary() throws -> Expr? {
        try memoized(.primary) { parser in
            let start = try parser.token().location
            guard var expr = try parser.atom() else { return nil }
            let outer = parser.nesting
            defer { parser.nesting = outer }
            while let longer = try parser.trailer(of: expr, at: start) {
                try parser.descend()  // each link deepens the tree
                expr = longer
            }
            return expr
        }
    }

    /// One trailer of `primary`, in the order of its alternatives.
    private mutating func trailer(of expr: Expr, at start: SourceLocation) throws -> Expr? {
        let mark = pos
        if try expectOp(".") != nil, let (name, _) = try expectName() {
            return Expr(.attribute(expr, name: name), at: start)
        }
        pos = mark
        if let generator = try genexp() {
            return Expr(.call(expr, args: [generator], keywords: []), at: start)
        }
        if try expectOp("(") != nil {
            let arguments = try arguments()
            if try expectOp(")") != nil {
                return Expr(.call(expr, args: arguments?.args ?? [], keywords: arguments?.keywords ?? []), at: start)
            }
        }
        pos = mark
        if try expectOp("[") != nil, let index = try slices(), try expectOp("]") != nil {
            return Expr(.subscript(expr, index: index), at: start)
        }
        pos = mark
        return nil
    }

    /// `slices: slice !',' | ','.(slice | starred_expression)+ [',']`
    mutating func slices() throws -> Expr? {
        let mark = pos
        let start = try token().location
        if let single = try slice(), !(try isOp(",")) { return single }
        pos = mark
        guard let first = try sliceOrStarred() else { return nil }
        var items = [first]
        while true {
            let beforeComma = pos
            guard try expectOp(",") != nil, let next = try sliceOrStarred() else {
                pos = beforeComma
                break
            }
            items.append(next)
        }
        _ = try expectOp(",")
        return Expr(.tuple(items), at: start)
    }

    private mutating func sliceOrStarred() throws -> Expr? {
        if let item = try slice() { return item }
        return try starredExpression()
    }

    /// `slice: [expression] ':' [expression] [':' [expression]] | named_expression`
    private mutating func slice() throws -> Expr? {
        let mark = pos
        let start = try token().location
        let lower = try expression()
        if try expectOp(":") != nil {
            let upper = try expression()
            var step: Expr?
            let beforeColon = pos
            if try expectOp(":") != nil {
                step = try expression()
            } else {
                pos = beforeColon
            }
            return Expr(.slice(lower: lower, upper: upper, step: step), at: start)
        }
        pos = mark
        return try namedExpression()
    }

    // MARK: - Atoms

    /// `atom`
    mutating func atom() throws -> Expr? {
        let current = try token()
        let at = current.location
        switch current.kind {
        case .name(let name):
            advance()
            return Expr(.name(name, .unresolved), at: at)
        case .keyword("True"), .keyword("False"):
            advance()
            return Expr(.bool(current.isKeyword("True")), at: at)
        case .keyword("None"):
            advance()
            return Expr(.none, at: at)
        case .int(let value):
            advance()
            return Expr(.int(value), at: at)
        case .bigInt(let value):
            advance()
            return Expr(.bigInt(value), at: at)
        case .float(let value):
            advance()
            return Expr(.float(value), at: at)
        case .rejectedLiteral(let error):
            advance()
            refusals.append(error)
            return Expr(.int(0), at: at)
        case .op("("):
            if let tuple = try tuple() { return tuple }
            if let group = try group() { return group }
            return try genexp()
        case .op("["):
            if let list = try list() { return list }
            return try listcomp()
        case .op("{"):
            if let dict = try dict() { return dict }
            if let set = try set() { return set }
            if let dictcomp = try dictcomp() { return dictcomp }
            return try setcomp()
        case .op("..."):
            advance()
            return Expr(.ellipsis, at: at)
        default:
            if current.kind.isString { return try strings() }
            return nil
        }
    }

    /// `strings: STRING+` (memo): adjacent literals concatenated.
    private mutating func strings() throws -> Expr? {
        try memoized(.strings) { parser in
            var literals: [Token] = []
            while parser.tokens[parser.pos].kind.isString, try parser.token().kind.isString {
                literals.append(parser.advance())
            }
            _ = try parser.token()  // STRING+ looks at the token after the last one
            guard !literals.isEmpty else { return nil }
            return try parser.concatenate(literals)
        }
    }

    /// `group: '(' (yield_expr | named_expression) ')' | invalid_group`
    private mutating func group() throws -> Expr? {
        let mark = pos
        if try expectOp("(") != nil, let inner = try yieldExpression() ?? (try namedExpression()),
           try expectOp(")") != nil {
            return inner
        }
        pos = mark
        if secondPass { try invalidGroup() }
        pos = mark
        return nil
    }

    /// `tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'`
    mutating func tuple() throws -> Expr? {
        let mark = pos
        guard let open = try expectOp("(") else { return nil }
        var items: [Expr] = []
        let afterOpen = pos
        if let first = try starNamedExpression(), try expectOp(",") != nil {
            items = [first] + (try starNamedExpressions() ?? [])
        } else {
            pos = afterOpen
        }
        guard try expectOp(")") != nil else { pos = mark; return nil }
        return Expr(.tuple(items), at: open.location)
    }

    /// `list: '[' [star_named_expressions] ']'`
    mutating func list() throws -> Expr? {
        let mark = pos
        guard let open = try expectOp("[") else { return nil }
        let items = try starNamedExpressions() ?? []
        guard try expectOp("]") != nil else { pos = mark; return nil }
        return Expr(.list(items), at: open.location)
    }

    /// `set: '{' star_named_expressions '}'`
    private mutating func set() throws -> Expr? {
        let mark = pos
        guard let open = try expectOp("{"), let items = try starNamedExpressions(), try expectOp("}") != nil else {
            pos = mark
            return nil
        }
        return Expr(.set(items), at: open.location)
    }

    /// `dict: '{' [double_starred_kvpairs] '}' | '{' invalid_double_starred_kvpairs '}'`
    ///
    /// NOTE: CPython's generated parser only skips an invalid rule in the
    /// first pass when it is an alternative on its own (`| invalid_x`).
    /// This one comes with braces, so it runs in the first pass too, which
    /// is why `{a: 1, b c}` says "':' expected after dictionary key" and
    /// not "Perhaps you forgot a comma?".
    private mutating func dict() throws -> Expr? {
        let mark = pos
        guard let open = try expectOp("{") else { return nil }
        let items = try doubleStarredPairs() ?? []
        if try expectOp("}") != nil { return Expr(.dict(items), at: open.location) }
        pos = mark + 1
        try invalidDoubleStarredPairs()
        pos = mark
        return nil
    }

    /// `double_starred_kvpairs: ','.double_starred_kvpair+ [',']`
    private mutating func doubleStarredPairs() throws -> [DictItem]? {
        guard let first = try doubleStarredPair() else { return nil }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try doubleStarredPair() else {
                pos = mark
                break
            }
            items.append(next)
        }
        _ = try expectOp(",")
        return items
    }

    /// `double_starred_kvpair: '**' bitwise_or | kvpair`
    mutating func doubleStarredPair() throws -> DictItem? {
        let mark = pos
        if try expectOp("**") != nil {
            if let value = try bitwiseOr() { return DictItem(key: nil, value: value) }
            pos = mark
        }
        return try keyValuePair()
    }

    /// `kvpair: expression ':' expression`
    mutating func keyValuePair() throws -> DictItem? {
        let mark = pos
        guard let key = try expression(), try expectOp(":") != nil, let value = try expression() else {
            pos = mark
            return nil
        }
        return DictItem(key: key, value: value)
    }

    // MARK: - Comprehensions

    /// `for_if_clauses: for_if_clause+`
    mutating func forIfClauses() throws -> [ComprehensionClause]? {
        var clauses: [ComprehensionClause] = []
        while let clause = try forIfClause() { clauses.append(clause) }
        return clauses.isEmpty ? nil : clauses
    }

    /// `for_if_clause: [ASYNC] 'for' star_targets 'in' ~ disjunction ('if' disjunction)* | invalid_for_target`
    private mutating func forIfClause() throws -> ComprehensionClause? {
        let mark = pos
        for isAsync in [true, false] {
            if isAsync, try expectKeyword("async") == nil { continue }
            guard try expectKeyword("for") != nil, let target = try starTargets(), try expectKeyword("in") != nil else {
                pos = mark
                continue
            }
            // The cut: past `in`, nothing else is tried.
            guard let iterable = try disjunction() else { pos = mark; return nil }
            var conditions: [Expr] = []
            while true {
                let beforeIf = pos
                guard try expectKeyword("if") != nil, let condition = try disjunction() else {
                    pos = beforeIf
                    break
                }
                conditions.append(condition)
            }
            return ComprehensionClause(target: target, iterable: iterable, conditions: conditions)
        }
        pos = mark
        if secondPass { try invalidForTarget() }
        pos = mark
        return nil
    }

    /// `listcomp: '[' named_expression for_if_clauses ']' | invalid_comprehension`
    private mutating func listcomp() throws -> Expr? {
        try comprehension(.list, open: "[", close: "]")
    }

    /// `setcomp: '{' named_expression for_if_clauses '}' | invalid_comprehension`
    private mutating func setcomp() throws -> Expr? {
        try comprehension(.set, open: "{", close: "}")
    }

    /// `genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')' | invalid_comprehension`
    mutating func genexp() throws -> Expr? {
        try comprehension(.generator, open: "(", close: ")")
    }

    private mutating func comprehension(_ kind: Comprehension.Kind, open: String, close: String) throws -> Expr? {
        let mark = pos
        if let opening = try expectOp(open) {
            let element = kind == .generator
                ? try assignmentExpression() ?? (try expressionNotWalrus())
                : try namedExpression()
            if let element, let clauses = try forIfClauses(), try expectOp(close) != nil {
                let comprehension = Comprehension(kind: kind, element: element, value: nil, clauses: clauses)
                return Expr(.comprehension(comprehension), at: opening.location)
            }
        }
        pos = mark
        if secondPass { try invalidComprehension() }
        pos = mark
        return nil
    }

    /// `dictcomp: '{' kvpair for_if_clauses '}' | invalid_dict_comprehension`
    private mutating func dictcomp() throws -> Expr? {
        let mark = pos
        if let open = try expectOp("{"), let pair = try keyValuePair(), let clauses = try forIfClauses(),
           try expectOp("}") != nil, let key = pair.key {
            let comprehension = Comprehension(kind: .dict, element: key, value: pair.value, clauses: clauses)
            return Expr(.comprehension(comprehension), at: open.location)
        }
        pos = mark
        if secondPass { try invalidDictComprehension() }
        pos = mark
        return nil
    }

    // MARK: - Lambdas

    /// `lambdef: 'lambda' [lambda_params] ':' expression`; the function's
    /// body is one `return` statement.
    mutating func lambdef() throws -> Expr? {
        let mark = pos
        guard let keyword = try expectKeyword("lambda") else { return nil }
        let parameters = try optional { try $0.lambdaParams() } ?? Parameters()
        guard try expectOp(":") != nil, let body = try expression() else { pos = mark; return nil }
        let function = FunctionDef(name: "<lambda>", target: nil, parameters: parameters,
                                   body: [Stmt(.returnStmt(body), at: body.location, source: "")],
                                   isGenerator: Self.containsYield([Stmt(.expr(body), at: body.location, source: "")]),
                                   at: keyword.location)
        return Expr(.lambda(function), at: keyword.location)
    }

    // MARK: - Call arguments

    /// `arguments: args [','] &')' | invalid_arguments` (memo)
    mutating func arguments() throws -> CallArguments? {
        let mark = pos
        _ = try token()
        let key = pos &* 32 &+ Memo.arguments.rawValue
        if let memo = argumentsMemo[key] {
            pos = memo.end
            return memo.value
        }
        var result: CallArguments?
        if let args = try args() {
            _ = try expectOp(",")
            if try isOp(")") { result = args }
        }
        if result == nil {
            pos = mark
            if secondPass { try invalidArguments() }
            pos = mark
        }
        argumentsMemo[key] = (result, pos)
        return result
    }

    /// `args`: positional arguments (starred included) then keywords, or
    /// keywords alone.
    mutating func args() throws -> CallArguments? {
        let mark = pos
        let start = try token().location
        if let positional = try positionalArguments() {
            let afterPositional = pos
            if try expectOp(",") != nil, let keywords = try kwargs() {
                return collect(positional, keywords, at: start)
            }
            pos = afterPositional
            return CallArguments(args: positional, keywords: [])
        }
        pos = mark
        if let keywords = try kwargs() { return collect([], keywords, at: start) }
        pos = mark
        return nil
    }

    /// `','.(starred_expression | (assignment_expression | expression !':=') !'=')+`
    mutating func positionalArguments() throws -> [Expr]? {
        var positional: [Expr] = []
        while true {
            let beforeComma = pos
            if !positional.isEmpty, try expectOp(",") == nil { break }
            guard let arg = try positionalArgument() else {
                pos = beforeComma
                break
            }
            positional.append(arg)
        }
        return positional.isEmpty ? nil : positional
    }

    /// `starred_expression | (assignment_expression | expression !':=') !'='`
    private mutating func positionalArgument() throws -> Expr? {
        if let starred = try starredExpression() { return starred }
        let mark = pos
        guard let value = try assignmentExpression() ?? (try expressionNotWalrus()) else { return nil }
        if try isOp("=") { pos = mark; return nil }
        return value
    }

    /// `_PyPegen_collect_call_seqs`: starred items among the keywords are
    /// positional arguments.
    private func collect(_ positional: [Expr], _ keywords: [KeywordOrStarred], at start: SourceLocation) -> CallArguments {
        var args = positional
        var named: [Keyword] = []
        for item in keywords {
            switch item {
            case .keyword(let keyword): named.append(keyword)
            case .starred(let starred): args.append(starred)
            }
        }
        return CallArguments(args: args, keywords: named)
    }

    enum KeywordOrStarred {
        case keyword(Keyword)
        case starred(Expr)
    }

    /// `kwargs`: `','.kwarg_or_starred+ ',' ','.kwarg_or_double_starred+`,
    /// or either list alone.
    mutating func kwargs() throws -> [KeywordOrStarred]? {
        let mark = pos
        if let starred = try kwargList(doubleStarred: false) {
            let afterStarred = pos
            if try expectOp(",") != nil, let doubleStarred = try kwargList(doubleStarred: true) {
                return starred + doubleStarred
            }
            pos = afterStarred
            return starred
        }
        pos = mark
        return try kwargList(doubleStarred: true)
    }

    private mutating func kwargList(doubleStarred: Bool) throws -> [KeywordOrStarred]? {
        guard let first = try kwarg(doubleStarred: doubleStarred) else { return nil }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try kwarg(doubleStarred: doubleStarred) else {
                pos = mark
                return items
            }
            items.append(next)
        }
    }

    /// `kwarg_or_starred: invalid_kwarg | NAME '=' expression | starred_expression`
    /// and `kwarg_or_double_starred: invalid_kwarg | NAME '=' expression | '**' expression`
    private mutating func kwarg(doubleStarred: Bool) throws -> KeywordOrStarred? {
        let mark = pos
        if secondPass { try invalidKwarg() }
        pos = mark
        if let (name, token) = try expectName(), try expectOp("=") != nil, let value = try expression() {
            return .keyword(Keyword(name: name, value: value, location: token.location))
        }
        pos = mark
        if doubleStarred {
            if let stars = try expectOp("**"), let value = try expression() {
                return .keyword(Keyword(name: nil, value: value, location: stars.location))
            }
            pos = mark
            return nil
        }
        return try starredExpression().map { .starred($0) }
    }

    /// `starred_expression: '*' expression`
    mutating func starredExpression() throws -> Expr? {
        let mark = pos
        guard let star = try expectOp("*"), let value = try expression() else {
            pos = mark
            return nil
        }
        return Expr(.starred(value), at: star.location)
    }

    // MARK: - Await

    /// NOTE [await in the AST]: the AST has no `await` node, and needs
    /// none: `await` is refused (inside `async def`) or a SyntaxError
    /// (anywhere else), so a tree holding one is never run. The parser
    /// writes `await x` as a call of the name `await`, which no script can
    /// spell (`await` is a keyword), so that `CompileChecks` and CPython's
    /// error messages ("cannot assign to await expression") can tell it.
    static func awaitMarker(_ value: Expr, at location: SourceLocation) -> Expr {
        Expr(.call(Expr(.name("await", .unresolved), at: location), args: [value], keywords: []), at: location)
    }

    /// The awaited expression, if `expr` is an `await`.
    static func awaited(_ expr: Expr) -> Expr? {
        guard case .call(let callee, let args, _) = expr.kind, case .name("await", _) = callee.kind,
              callee.location == expr.location, args.count == 1 else { return nil }
        return args[0]
    }
}
