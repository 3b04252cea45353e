/// Parameter lists of `def` and `lambda` in CPython 3.11's grammar (see
/// NOTE [A port of CPython's grammar] in Parser.swift). The two grammars
/// differ only in annotations and in what ends the list (`)` or `:`), so
/// each rule here serves both: `lambda` selects the `lambda_*` rule.
extension Parser {
    /// `*`, `kwonly...` and `**kwargs` of a parameter list.
    struct StarEtc {
        var varArgs: Parameter?
        var keywordOnly: [Parameter] = []
        var varKeywords: Parameter?
    }

    /// `params: invalid_parameters | parameters`
    mutating func params() throws -> Parameters? {
        let mark = pos
        if secondPass { try invalidParameters(lambda: false) }
        pos = mark
        return try parameters(lambda: false)
    }

    /// `lambda_params: invalid_lambda_parameters | lambda_parameters`
    mutating func lambdaParams() throws -> Parameters? {
        let mark = pos
        if secondPass { try invalidParameters(lambda: true) }
        pos = mark
        return try parameters(lambda: true)
    }

    /// `parameters` / `lambda_parameters`
    private mutating func parameters(lambda: Bool) throws -> Parameters? {
        let mark = pos
        // slash_no_default param_no_default* param_with_default* [star_etc]
        if let positionalOnly = try slashNoDefault(lambda: lambda) {
            let plain = try many { try $0.paramNoDefault(lambda: lambda) }
            let defaults = try many { try $0.paramWithDefault(lambda: lambda) }
            let star = try optional { try $0.starEtc(lambda: lambda) }
            return make(positionalOnly: positionalOnly, regular: plain + defaults, star: star)
        }
        pos = mark
        // slash_with_default param_with_default* [star_etc]
        if let positionalOnly = try slashWithDefault(lambda: lambda) {
            let defaults = try many { try $0.paramWithDefault(lambda: lambda) }
            let star = try optional { try $0.starEtc(lambda: lambda) }
            return make(positionalOnly: positionalOnly, regular: defaults, star: star)
        }
        pos = mark
        // param_no_default+ param_with_default* [star_etc]
        let plain = try many { try $0.paramNoDefault(lambda: lambda) }
        if !plain.isEmpty {
            let defaults = try many { try $0.paramWithDefault(lambda: lambda) }
            let star = try optional { try $0.starEtc(lambda: lambda) }
            return make(positionalOnly: [], regular: plain + defaults, star: star)
        }
        // param_with_default+ [star_etc]
        let defaults = try many { try $0.paramWithDefault(lambda: lambda) }
        if !defaults.isEmpty {
            let star = try optional { try $0.starEtc(lambda: lambda) }
            return make(positionalOnly: [], regular: defaults, star: star)
        }
        // star_etc
        if let star = try starEtc(lambda: lambda) { return make(positionalOnly: [], regular: [], star: star) }
        pos = mark
        return nil
    }

    private func make(positionalOnly: [Parameter], regular: [Parameter], star: StarEtc?) -> Parameters {
        Parameters(positionalOnly: positionalOnly, regular: regular, varArgs: star?.varArgs,
                   keywordOnly: star?.keywordOnly ?? [], varKeywords: star?.varKeywords)
    }

    /// `e*`: as many matches as there are.
    mutating func many<T>(_ rule: (inout Parser) throws -> T?) throws -> [T] {
        var found: [T] = []
        while let next = try rule(&self) { found.append(next) }
        return found
    }

    /// `slash_no_default: param_no_default+ '/' ',' | param_no_default+ '/' &')'`
    mutating func slashNoDefault(lambda: Bool) throws -> [Parameter]? {
        let mark = pos
        let plain = try many { try $0.paramNoDefault(lambda: lambda) }
        if !plain.isEmpty, try expectOp("/") != nil, try endOfParameter(lambda: lambda) { return plain }
        pos = mark
        return nil
    }

    /// `slash_with_default: param_no_default* param_with_default+ '/' (',' | &')')`
    mutating func slashWithDefault(lambda: Bool) throws -> [Parameter]? {
        let mark = pos
        let plain = try many { try $0.paramNoDefault(lambda: lambda) }
        let defaults = try many { try $0.paramWithDefault(lambda: lambda) }
        if !defaults.isEmpty, try expectOp("/") != nil, try endOfParameter(lambda: lambda) { return plain + defaults }
        pos = mark
        return nil
    }

    /// `',' | &')'` (`&':'` in a lambda) after a parameter; `def`
    /// parameters may carry a type comment after the comma, which CPython
    /// looks for.
    private mutating func endOfParameter(lambda: Bool) throws -> Bool {
        if try expectOp(",") != nil {
            if !lambda { _ = try token() }  // TYPE_COMMENT?
            return true
        }
        if !lambda { _ = try token() }
        return try isOp(lambda ? ":" : ")")
    }

    /// `star_etc` / `lambda_star_etc`
    mutating func starEtc(lambda: Bool) throws -> StarEtc? {
        let mark = pos
        if secondPass { try invalidStarEtc(lambda: lambda) }
        pos = mark
        // '*' param_no_default param_maybe_default* [kwds]
        if try expectOp("*") != nil, let varArgs = try paramNoDefault(lambda: lambda) {
            let keywordOnly = try many { try $0.paramMaybeDefault(lambda: lambda) }
            let varKeywords = try optional { try $0.kwds(lambda: lambda) }
            return StarEtc(varArgs: varArgs, keywordOnly: keywordOnly, varKeywords: varKeywords)
        }
        pos = mark
        // '*' param_no_default_star_annotation param_maybe_default* [kwds]
        if !lambda, try expectOp("*") != nil, let varArgs = try paramNoDefaultStarAnnotation() {
            let keywordOnly = try many { try $0.paramMaybeDefault(lambda: lambda) }
            let varKeywords = try optional { try $0.kwds(lambda: lambda) }
            return StarEtc(varArgs: varArgs, keywordOnly: keywordOnly, varKeywords: varKeywords)
        }
        pos = mark
        // '*' ',' param_maybe_default+ [kwds]
        if try expectOp("*") != nil, try expectOp(",") != nil {
            let keywordOnly = try many { try $0.paramMaybeDefault(lambda: lambda) }
            if !keywordOnly.isEmpty {
                let varKeywords = try optional { try $0.kwds(lambda: lambda) }
                return StarEtc(varArgs: nil, keywordOnly: keywordOnly, varKeywords: varKeywords)
            }
        }
        pos = mark
        // kwds
        if let varKeywords = try kwds(lambda: lambda) { return StarEtc(varKeywords: varKeywords) }
        pos = mark
        return nil
    }

    /// `kwds: invalid_kwds | '**' param_no_default` (and the lambda's)
    mutating func kwds(lambda: Bool) throws -> Parameter? {
        let mark = pos
        if secondPass { try invalidKwds(lambda: lambda) }
        pos = mark
        if try expectOp("**") != nil, let parameter = try paramNoDefault(lambda: lambda) { return parameter }
        pos = mark
        return nil
    }

    /// `param_no_default: param ',' TYPE_COMMENT? | param TYPE_COMMENT? &')'`
    mutating func paramNoDefault(lambda: Bool) throws -> Parameter? {
        let mark = pos
        guard let parameter = try param(lambda: lambda), try endOfParameter(lambda: lambda) else {
            pos = mark
            return nil
        }
        return parameter
    }

    /// `param_no_default_star_annotation`: `*args: *Ts`
    private mutating func paramNoDefaultStarAnnotation() throws -> Parameter? {
        let mark = pos
        guard let (name, token) = try expectName(), try expectOp(":") != nil,
              let annotation = try starExpression(), try endOfParameter(lambda: false) else {
            pos = mark
            return nil
        }
        return Parameter(name: name, annotation: annotation, location: token.location)
    }

    /// `param_with_default: param default ',' | param default &')'`
    mutating func paramWithDefault(lambda: Bool) throws -> Parameter? {
        let mark = pos
        guard var parameter = try param(lambda: lambda), let value = try defaultValue(),
              try endOfParameter(lambda: lambda) else {
            pos = mark
            return nil
        }
        parameter.defaultValue = value
        return parameter
    }

    /// `param_maybe_default: param default? ',' | param default? &')'`
    mutating func paramMaybeDefault(lambda: Bool) throws -> Parameter? {
        let mark = pos
        guard var parameter = try param(lambda: lambda) else { return nil }
        parameter.defaultValue = try defaultValue()
        guard try endOfParameter(lambda: lambda) else { pos = mark; return nil }
        return parameter
    }

    /// `param: NAME annotation?` (`lambda_param: NAME`)
    mutating func param(lambda: Bool) throws -> Parameter? {
        guard let (name, token) = try expectName() else { return nil }
        var annotation: Expr?
        if !lambda {
            let mark = pos
            if try expectOp(":") != nil {
                annotation = try expression()
                if annotation == nil { pos = mark }
            }
        }
        return Parameter(name: name, annotation: annotation, location: token.location)
    }

    /// `default: '=' expression | invalid_default`
    mutating func defaultValue() throws -> Expr? {
        let mark = pos
        if try expectOp("=") != nil, let value = try expression() { return value }
        pos = mark
        if secondPass, let equals = try expectOp("="), try isOp(")") || isOp(",") {
            throw raise("expected default value expression", at: equals.location)
        }
        pos = mark
        return nil
    }
}
