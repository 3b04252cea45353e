import Autograd

/// An `nn.Module` as a script sees it. The interpreter keeps one per module
/// (`moduleObject(for:)`), so `model[0] is model[0]`; attributes the script
/// sets that are not parameters, buffers or modules live in `attributes`.
final class ModuleObject: ScriptObject {
    let module: Module
    init(_ module: Module) {
        self.module = module
        super.init(typeName: module.typeName)
    }
    override var repr: String { module.description }
}

/// A `torch.optim` optimizer, with its one parameter group.
final class OptimizerObject: ScriptObject {
    let optimizer: Optimizer
    let group: ParamGroupObject
    init(_ optimizer: Optimizer, typeName: String, settings: [(String, Value)]) {
        self.optimizer = optimizer
        self.group = ParamGroupObject(optimizer, settings: settings)
        super.init(typeName: typeName)
    }
}

/// `optimizer.param_groups[0]`: a dict of the hyperparameters as the script
/// gave them, in PyTorch's key order; `group['lr'] = ...` changes the rate.
final class ParamGroupObject: ScriptObject {
    let optimizer: Optimizer
    /// Without `params`, in insertion order.
    private(set) var settings: [(String, Value)]
    init(_ optimizer: Optimizer, settings: [(String, Value)]) {
        self.optimizer = optimizer
        self.settings = settings
        super.init(typeName: "dict")
    }

    subscript(key: String) -> Value? {
        if key == "params" { return .list(ListBox(optimizer.params.map(Value.tensor))) }
        return settings.first { $0.0 == key }?.1
    }

    func set(_ key: String, _ value: Value) throws {
        guard key == "lr" else {
            throw Raise.unsupported("changing '\(key)' of a parameter group is not supported by autograd-viz (only 'lr')")
        }
        let lr = try Arguments("lr", [value], []).double(0, "lr")
        switch optimizer {
        case let sgd as SGD: sgd.lr = lr
        case let adam as Adam: adam.lr = lr
        default: break
        }
        if let i = settings.firstIndex(where: { $0.0 == key }) { settings[i].1 = value }
    }
}

/// A Python generator (`model.parameters()`): iterable once.
final class GeneratorObject: ScriptObject {
    let qualifiedName: String
    private var remaining: [Value]?
    init(_ qualifiedName: String, _ items: [Value]) {
        self.qualifiedName = qualifiedName
        self.remaining = items
        super.init(typeName: "generator")
    }
    /// The items not yet consumed; the generator is exhausted afterwards.
    func drain() -> [Value] {
        defer { remaining = [] }
        return remaining ?? []
    }
}

extension Interpreter {
    /// The one script object for `module`.
    func moduleObject(for module: Module) -> ModuleObject {
        let key = ObjectIdentifier(module)
        if let known = moduleObjects[key] { return known }
        let object = ModuleObject(module)
        moduleObjects[key] = object
        return object
    }

    func moduleValue(_ module: Module) -> Value { .object(moduleObject(for: module)) }

    /// `nn.Module`s bound to top-level names, sorted by name.
    public var namedModules: [(name: String, module: Module)] {
        globals.compactMap { name, value in
            if case .object(let o as ModuleObject) = value { return (name, o.module) }
            return nil
        }.sorted { $0.name < $1.name }
    }

    /// Where a module sits in the script, for the scopes of the nodes its
    /// call creates: the callee as written (`model.fc1`, `model[0]` →
    /// `model.0`) when it starts from a top-level name, else the first
    /// top-level module (in binding order) that contains it, else its type.
    func modulePath(of module: Module, callee: Expr?) -> String {
        if let callee, case .name = callee.kind {
            // A bare name may be a loop variable over a container.
            return containingPath(of: module) ?? expressionPath(callee) ?? module.typeName
        }
        if let callee, let path = expressionPath(callee) { return path }
        return containingPath(of: module) ?? module.typeName
    }

    private func expressionPath(_ expr: Expr) -> String? {
        switch expr.kind {
        case .name(let name, _):
            return name
        case .attribute(let base, let name):
            return expressionPath(base).map { "\($0).\(name)" }
        case .subscript(let base, let index):
            guard let basePath = expressionPath(base),
                  case .object(let o as ModuleObject)? = try? evaluate(base) else { return nil }
            var i: Int
            switch index.kind {
            case .int(let v): i = v
            case .unary(.minus, let inner):
                guard case .int(let v) = inner.kind else { return nil }
                i = -v
            default: return nil
            }
            let children = o.module.children
            if i < 0 { i += children.count }
            guard children.indices.contains(i) else { return nil }
            return "\(basePath).\(children[i].name)"
        default:
            return nil
        }
    }

    private func containingPath(of module: Module) -> String? {
        for name in bindingOrder {
            guard case .object(let o as ModuleObject)? = globals[name] else { continue }
            if let found = o.module.namedModules(prefix: name).first(where: { $0.module === module }) { return found.name }
        }
        return nil
    }

    /// `module(*args, **kwargs)`: the tensors by the forward's parameter
    /// names, then the call inside the module's scope.
    func callModule(_ module: Module, _ args: [Value], _ kwargs: [(String, Value)], callee: Expr?) throws -> Value {
        var values = args
        for (i, name) in module.forwardArguments.enumerated() {
            guard let v = kwargs.first(where: { $0.0 == name })?.1 else { continue }
            if i < values.count {
                throw Raise.type("\(module.typeName).forward() got multiple values for argument '\(name)'")
            }
            if i == values.count { values.append(v) }
        }
        for (name, _) in kwargs where !module.forwardArguments.contains(name) {
            throw Raise.type("\(module.typeName).forward() got an unexpected keyword argument '\(name)'")
        }
        let tensors = try values.enumerated().map { i, v -> Tensor in
            guard case .tensor(let t) = v else {
                let name = i < module.forwardArguments.count ? module.forwardArguments[i] : "input"
                throw Raise.type("\(module.kernelName)(): argument '\(name)' (position \(i + 1)) must be Tensor, not \(v.typeName)")
            }
            return t
        }
        return .tensor(try module.call(tensors, path: modulePath(of: module, callee: callee)))
    }
}
