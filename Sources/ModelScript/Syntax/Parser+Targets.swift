/// Assignment and `del` targets of CPython 3.11's grammar (see NOTE [A
/// port of CPython's grammar] in Parser.swift).
extension Parser {
    /// `star_targets: star_target !',' | star_target (',' star_target)* [',']`
    mutating func starTargets() throws -> Expr? {
        let start = try token().location
        guard let first = try starTarget() else { return nil }
        if !(try isOp(",")) { return first }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try starTarget() else {
                pos = mark
                break
            }
            items.append(next)
        }
        _ = try expectOp(",")
        return Expr(.tuple(items), at: start)
    }

    /// `star_targets_list_seq: ','.star_target+ [',']`
    private mutating func starTargetsListSeq() throws -> [Expr]? {
        guard let first = try starTarget() else { return nil }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try starTarget() else {
                pos = mark
                break
            }
            items.append(next)
        }
        _ = try expectOp(",")
        return items
    }

    /// `star_targets_tuple_seq: star_target (',' star_target)+ [','] | star_target ','`
    private mutating func starTargetsTupleSeq() throws -> [Expr]? {
        let mark = pos
        guard let first = try starTarget() else { return nil }
        var items = [first]
        while true {
            let beforeComma = pos
            guard try expectOp(",") != nil, let next = try starTarget() else {
                pos = beforeComma
                break
            }
            items.append(next)
        }
        if items.count > 1 {
            _ = try expectOp(",")
            return items
        }
        guard try expectOp(",") != nil else { pos = mark; return nil }
        return items
    }

    /// `star_target: '*' (!'*' star_target) | target_with_star_atom` (memo)
    mutating func starTarget() throws -> Expr? {
        try memoized(.starTarget) { parser in
            let mark = parser.pos
            if let star = try parser.expectOp("*") {
                if !(try parser.isOp("*")), let target = try parser.nested({ try $0.starTarget() }) {
                    return Expr(.starred(target), at: star.location)
                }
                parser.pos = mark
            }
            return try parser.targetWithStarAtom()
        }
    }

    /// `target_with_star_atom` (memo): an attribute or subscript target, or `star_atom`.
    private mutating func targetWithStarAtom() throws -> Expr? {
        try memoized(.targetWithStarAtom) { parser in
            if let target = try parser.subscriptAttributeTarget() { return target }
            return try parser.starAtom()
        }
    }

    /// `star_atom: NAME | '(' target_with_star_atom ')' | '(' [star_targets_tuple_seq] ')' | '[' [star_targets_list_seq] ']'`
    private mutating func starAtom() throws -> Expr? {
        let mark = pos
        if let (name, token) = try expectName() { return Expr(.name(name, .unresolved), at: token.location) }
        if let open = try expectOp("(") {
            if let target = try nested({ try $0.targetWithStarAtom() }), try expectOp(")") != nil { return target }
            pos = mark + 1
            let items = try nested { try $0.starTargetsTupleSeq() } ?? []
            if try expectOp(")") != nil { return Expr(.tuple(items), at: open.location) }
            pos = mark
            return nil
        }
        if let open = try expectOp("[") {
            let items = try nested { try $0.starTargetsListSeq() } ?? []
            if try expectOp("]") != nil { return Expr(.list(items), at: open.location) }
            pos = mark
        }
        return nil
    }

    /// `single_target: single_subscript_attribute_target | NAME | '(' single_target ')'`
    mutating func singleTarget() throws -> Expr? {
        if let target = try singleSubscriptAttributeTarget() { return target }
        if let (name, token) = try expectName() { return Expr(.name(name, .unresolved), at: token.location) }
        let mark = pos
        if try expectOp("(") != nil, let target = try nested({ try $0.singleTarget() }), try expectOp(")") != nil {
            return target
        }
        pos = mark
        return nil
    }

    /// `single_subscript_attribute_target`:
    /// `t_primary '.' NAME !t_lookahead | t_primary '[' slices ']' !t_lookahead`
    mutating func singleSubscriptAttributeTarget() throws -> Expr? {
        try subscriptAttributeTarget()
    }

    /// The two alternatives shared by `single_subscript_attribute_target`,
    /// `target_with_star_atom` and `del_target`.
    private mutating func subscriptAttributeTarget() throws -> Expr? {
        let mark = pos
        let start = try token().location
        if let base = try tPrimary() {
            let afterBase = pos
            if try expectOp(".") != nil, let (name, _) = try expectName(), !(try tLookahead()) {
                return Expr(.attribute(base, name: name), at: start)
            }
            pos = afterBase
            if try expectOp("[") != nil, let index = try slices(), try expectOp("]") != nil, !(try tLookahead()) {
                return Expr(.subscript(base, index: index), at: start)
            }
        }
        pos = mark
        return nil
    }

    /// `t_primary`: a primary followed by `.`, `[` or `(`, so that the
    /// target's last trailer is still ahead (left-recursive, as a loop).
    private mutating func tPrimary() throws -> Expr? {
        try memoized(.tPrimary) { parser in
            let start = try parser.token().location
            guard var expr = try parser.atom(), try parser.tLookahead() else { return nil }
            let outer = parser.nesting
            defer { parser.nesting = outer }
            while let longer = try parser.tPrimaryTrailer(of: expr, at: start) {
                try parser.descend()
                expr = longer
            }
            return expr
        }
    }

    private mutating func tPrimaryTrailer(of expr: Expr, at start: SourceLocation) throws -> Expr? {
        let mark = pos
        if try expectOp(".") != nil, let (name, _) = try expectName(), try tLookahead() {
            return Expr(.attribute(expr, name: name), at: start)
        }
        pos = mark
        if try expectOp("[") != nil, let index = try slices(), try expectOp("]") != nil, try tLookahead() {
            return Expr(.subscript(expr, index: index), at: start)
        }
        pos = mark
        if let generator = try genexp(), try tLookahead() {
            return Expr(.call(expr, args: [generator], keywords: []), at: start)
        }
        pos = mark
        if try expectOp("(") != nil {
            let arguments = try arguments()
            if try expectOp(")") != nil, try tLookahead() {
                return Expr(.call(expr, args: arguments?.args ?? [], keywords: arguments?.keywords ?? []), at: start)
            }
        }
        pos = mark
        return nil
    }

    /// `t_lookahead: '(' | '[' | '.'`, looked at, not consumed.
    private mutating func tLookahead() throws -> Bool {
        let current = try token()
        return current.isOp("(") || current.isOp("[") || current.isOp(".")
    }

    // MARK: - del

    /// `del_targets: ','.del_target+ [',']`
    mutating func delTargets() throws -> [Expr]? {
        guard let first = try delTarget() else { return nil }
        var items = [first]
        while true {
            let mark = pos
            guard try expectOp(",") != nil, let next = try delTarget() else {
                pos = mark
                break
            }
            items.append(next)
        }
        _ = try expectOp(",")
        return items
    }

    /// `del_target` (memo): an attribute or subscript, or `del_t_atom`.
    private mutating func delTarget() throws -> Expr? {
        try memoized(.delTarget) { parser in
            if let target = try parser.subscriptAttributeTarget() { return target }
            return try parser.delTargetAtom()
        }
    }

    /// `del_t_atom: NAME | '(' del_target ')' | '(' [del_targets] ')' | '[' [del_targets] ']'`
    private mutating func delTargetAtom() throws -> Expr? {
        let mark = pos
        if let (name, token) = try expectName() { return Expr(.name(name, .unresolved), at: token.location) }
        if let open = try expectOp("(") {
            if let target = try nested({ try $0.delTarget() }), try expectOp(")") != nil { return target }
            pos = mark + 1
            let items = try nested { try $0.delTargets() } ?? []
            if try expectOp(")") != nil { return Expr(.tuple(items), at: open.location) }
            pos = mark
            return nil
        }
        if let open = try expectOp("[") {
            let items = try nested { try $0.delTargets() } ?? []
            if try expectOp("]") != nil { return Expr(.list(items), at: open.location) }
            pos = mark
        }
        return nil
    }
}
