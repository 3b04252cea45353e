import Autograd

/// Calling: builtins, the script's functions (binding arguments to
/// parameters with CPython's messages), bound methods, classes and callable
/// objects.
extension Interpreter {
    /// `callee(*args, **kwargs)`. Errors have no position yet: the caller's
    /// expression gives them its own.
    func call(_ callee: Value, _ args: [Value], _ kwargs: [(String, Value)], at location: SourceLocation? = nil) throws -> Value {
        do {
            switch callee {
            case .function(let f):
                return try f.call(args, kwargs)
            case .object(let f as FunctionObject):
                return try callFunction(f, args, kwargs)
            case .object(let m as BoundMethod):
                if case .object(let f as FunctionObject) = m.function { return try callFunction(f, [m.receiver] + args, kwargs) }
                return try call(m.function, [m.receiver] + args, kwargs)
            case .object(let cls as ClassObject):
                return try instantiate(cls, args, kwargs)
            case .object(let o as ModuleObject):
                return try callModule(o, args, kwargs, callee: nil)
            case .object(let w as MethodWrapper):
                // A staticmethod is callable since 3.10.
                if w.kind == .staticMethod { return try call(w.function, args, kwargs) }
            case .context(let context):
                // `@torch.no_grad()` on a function: the call runs inside the context.
                guard args.count == 1, kwargs.isEmpty, isCallable(args[0]) else { break }
                let function = args[0]
                return .function(Function(hookDisplayName(function)) { [unowned self] args, kwargs in
                    _ = try context.enter()
                    defer { context.exit() }
                    return try self.call(function, args, kwargs)
                })
            case .object(let c as CachedFunction):
                return try c.call(args, kwargs, self)
            case .object(let p as PartialObject):
                return try call(p.function, p.args + args, p.kwargs.filter { k in !kwargs.contains { $0.0 == k.0 } } + kwargs)
            case .object:
                if let method = lookupSpecial(callee, "__call__") { return try call(method, args, kwargs) }
            default: break
            }
            throw Raise.type("'\(typeName(of: callee))' object is not callable")
        } catch {
            guard let location else { throw error }
            throw located(error, at: location)
        }
    }

    /// Python's `callable(value)`.
    func isCallable(_ value: Value) -> Bool {
        switch value {
        case .function, .object(is FunctionObject), .object(is BoundMethod), .object(is ClassObject), .object(is ModuleObject),
             .object(is PartialObject), .object(is CachedFunction):
            return true
        default:
            return lookupSpecial(value, "__call__") != nil
        }
    }

    /// `__name__` of a hook, as PyTorch's hook messages name it.
    func hookDisplayName(_ value: Value) -> String {
        switch value {
        case .function(let f): return f.name
        case .object(let f as FunctionObject): return f.name
        case .object(let m as BoundMethod): return hookDisplayName(m.function)
        default: return typeName(of: value)
        }
    }

    /// The name a call's messages use for `callee` (`f`, `Net.forward`).
    func callableName(_ callee: Value) -> String {
        switch callee {
        case .function(let f): return f.name
        case .object(let f as FunctionObject): return f.qualifiedName
        case .object(let m as BoundMethod): return callableName(m.function)
        case .object(let c as ClassObject): return c.name
        default: return typeName(of: callee)
        }
    }

    // MARK: The script's functions

    /// `def` or `lambda` run: the function object, with its defaults
    /// evaluated now and its closure taken from `frame`.
    func makeFunction(_ definition: FunctionDef, _ frame: Frame) throws -> Value {
        let parameters = definition.parameters.all
        var defaults: [Value?] = []
        defaults.reserveCapacity(parameters.count)
        for p in parameters { defaults.append(try p.defaultValue.map { try evaluate($0, frame) }) }
        let closure = definition.scope.freeSources.map { frame.cells[$0] }
        let function = FunctionObject(definition, qualifiedName: qualifiedPrefix(frame) + definition.name,
                                      defaults: defaults, closure: closure)
        function.classCell = frame.classCell ?? frame.function?.classCell
        if case .expr(let first)? = definition.body.first?.kind, case .string(let doc) = first.kind, definition.name != "<lambda>" {
            function.attributes["__doc__"] = .string(doc)
        }
        return .object(function)
    }

    /// `outer.<locals>.` inside a function, `Net.` inside a class body.
    private func qualifiedPrefix(_ frame: Frame) -> String {
        if let f = frame.function { return f.qualifiedName + ".<locals>." }
        if let cls = frame.classPrefix { return cls + "." }
        return ""
    }

    /// Runs the script function `f` with `args`: binds the parameters, runs
    /// the body in a new frame, and returns what it returned (or, for a
    /// generator function, the generator).
    func callFunction(_ f: FunctionObject, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        let definition = f.definition
        let frame = Frame(name: definition.name, layout: definition.scope, function: f, closure: f.closure,
                          at: definition.location)
        if !(f.isSimple && kwargs.isEmpty && bindPositional(f, args, frame)) {
            try bindArguments(f, args, kwargs, frame)
        }
        if definition.isGenerator {
            return .object(GeneratorObject(interpreter: self, frame: frame, body: definition.body, name: definition.name,
                                           qualifiedName: f.qualifiedName))
        }
        return try run(frame, definition.body)
    }

    /// Runs a body in `frame`, pushed on the frame stack, with Python's
    /// recursion limit.
    func run(_ frame: Frame, _ body: [Stmt]) throws -> Value {
        guard frames.count < Interpreter.maxCallDepth else {
            throw Raise(type: "RecursionError", message: "maximum recursion depth exceeded")
        }
        let statement = currentStatement
        frames.append(frame)
        defer {
            frames.removeLast()
            currentStatement = statement
            if let statement { runtime.origin = SourceOrigin(line: statement.location.line, column: 0) }
            // Nodes the caller's statement makes next belong to its line again.
            if runtime.anomalyDetection, let statement { runtime.currentLocation = forwardLocation(of: statement) }
        }
        switch try execute(body, in: frame) {
        case .returned: return frame.returnValue
        default: return .none
        }
    }

    /// The common call: positional arguments only, the missing ones with
    /// defaults. False when that does not bind (the general path then
    /// reports the error).
    @inline(__always)
    private func bindPositional(_ f: FunctionObject, _ args: [Value], _ frame: Frame) -> Bool {
        let slots = f.definition.scope.parameterSlots
        guard args.count <= f.positionalCount else { return false }
        for i in args.count..<f.positionalCount where f.defaults[i] == nil { return false }
        for i in 0..<f.positionalCount { store(slots[i], i < args.count ? args[i] : f.defaults[i]!, frame) }
        return true
    }

    /// Python's argument binding, with CPython 3.11's TypeError texts.
    private func bindArguments(_ f: FunctionObject, _ args: [Value], _ kwargs: [(String, Value)], _ frame: Frame) throws {
        let p = f.definition.parameters
        let all = p.all
        let slots = f.definition.scope.parameterSlots
        let name = f.qualifiedName
        var values = [Value?](repeating: nil, count: all.count)
        let positional = f.positionalCount
        for (i, arg) in args.prefix(positional).enumerated() { values[i] = arg }
        let varArgsIndex = p.varArgs == nil ? nil : positional
        let kwOnlyStart = positional + (p.varArgs == nil ? 0 : 1)
        let varKeywordsIndex = p.varKeywords == nil ? nil : all.count - 1
        if args.count > positional {
            if let varArgsIndex {
                values[varArgsIndex] = .tuple(Array(args[positional...]))
            } else {
                let withDefault = (0..<positional).filter { f.defaults[$0] != nil }.count
                let takes = withDefault > 0 ? "from \(positional - withDefault) to \(positional)" : "\(positional)"
                let plural = positional == 1 && withDefault == 0 ? "" : "s"
                let kwGiven = kwargs.filter { k in p.keywordOnly.contains { $0.name == k.0 } }.count
                let given = kwGiven > 0
                    ? "\(args.count) positional argument\(args.count == 1 ? "" : "s") (and \(kwGiven) keyword-only argument\(kwGiven == 1 ? "" : "s")) were given"
                    : "\(args.count) \(args.count == 1 ? "was" : "were") given"
                throw Raise.type("\(name)() takes \(takes) positional argument\(plural) but \(given)")
            }
        } else if let varArgsIndex {
            values[varArgsIndex] = .tuple([])
        }
        var extra: [(String, Value)] = []
        var positionalOnlyPassed: [String] = []
        for (key, value) in kwargs {
            if let i = all.indices.first(where: { i in
                all[i].name == key && i >= p.positionalOnly.count && i != varArgsIndex && i != varKeywordsIndex
            }) {
                if values[i] != nil { throw Raise.type("\(name)() got multiple values for argument '\(key)'") }
                values[i] = value
            } else if varKeywordsIndex != nil {
                extra.append((key, value))
            } else if p.positionalOnly.contains(where: { $0.name == key }) {
                positionalOnlyPassed.append(key)
            } else {
                throw Raise.type("\(name)() got an unexpected keyword argument '\(key)'")
            }
        }
        if !positionalOnlyPassed.isEmpty {
            throw Raise.type("\(name)() got some positional-only arguments passed as keyword arguments: '\(positionalOnlyPassed.joined(separator: ", "))'")
        }
        if let varKeywordsIndex {
            let dict = DictObject()
            for (k, v) in extra { try dict.set(.string(k), v) }
            values[varKeywordsIndex] = .object(dict)
        }
        var missing: [String] = []
        for i in 0..<positional where values[i] == nil {
            if let d = f.defaults[i] { values[i] = d } else { missing.append(all[i].name) }
        }
        if !missing.isEmpty { throw Raise.type("\(name)() missing \(Self.missingList(missing, "positional"))") }
        for i in kwOnlyStart..<(kwOnlyStart + p.keywordOnly.count) where values[i] == nil {
            if let d = f.defaults[i] { values[i] = d } else { missing.append(all[i].name) }
        }
        if !missing.isEmpty { throw Raise.type("\(name)() missing \(Self.missingList(missing, "keyword-only"))") }
        for (slot, value) in zip(slots, values) { if let value { store(slot, value, frame) } }
    }

    /// `1 required positional argument: 'x'`, `2 required positional
    /// arguments: 'x' and 'y'`, `3 ...: 'x', 'y', and 'z'`.
    static func missingList(_ names: [String], _ kind: String) -> String {
        let quoted = names.map { "'\($0)'" }
        let list: String
        switch quoted.count {
        case 1: list = quoted[0]
        case 2: list = "\(quoted[0]) and \(quoted[1])"
        default: list = quoted.dropLast().joined(separator: ", ") + ", and " + quoted.last!
        }
        return "\(names.count) required \(kind) argument\(names.count == 1 ? "" : "s"): \(list)"
    }
}

/// `functools.partial(f, *args, **kwargs)`.
final class PartialObject: ScriptObject {
    let function: Value
    let args: [Value]
    let kwargs: [(String, Value)]
    init(function: Value, args: [Value], kwargs: [(String, Value)]) {
        self.function = function
        self.args = args
        self.kwargs = kwargs
        super.init(typeName: "functools.partial")
    }
}
