import Autograd

/// An `nn.Module` as a script sees it. The interpreter keeps one per module
/// (`moduleObject(for:)`), so `model[0] is model[0]`; attributes the script
/// sets that are not parameters, buffers or modules live in `attributes`.
final class ModuleObject: ScriptObject {
    let module: Module
    /// The script's class, for an instance of an `nn.Module` subclass.
    let cls: ClassObject?
    /// False until `nn.Module.__init__` ran (`super().__init__()`).
    var initialized: Bool
    init(_ module: Module, cls: ClassObject? = nil) {
        self.module = module
        self.cls = cls
        self.initialized = cls == nil
        super.init(typeName: cls?.name ?? module.typeName)
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

    /// Where a module called from inside another module's forward sits: its
    /// child name under the caller's path (`model.fc1` for `self.fc1(x)`).
    private func childPath(of module: Module) -> String? {
        guard let (parent, path) = moduleCalls.last,
              let child = parent.children.first(where: { $0.module === module }) else { return nil }
        return "\(path).\(child.name)"
    }

    /// Where a module sits in the script, for the scopes of the nodes its
    /// call creates: the callee as written (`model.fc1`, `model[0]` →
    /// `model.0`) when it starts from a top-level name, else the first
    /// top-level module (in binding order) that contains it, else its type.
    func modulePath(of module: Module, callee: Expr?) -> String {
        if let path = childPath(of: module) { return path }
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
                  case .object(let o as ModuleObject)? = try? evaluate(base, frames.last ?? Frame(module: base.location)) else { return nil }
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
            guard case .object(let o as ModuleObject)? = global(named: name) else { continue }
            if let found = o.module.namedModules(prefix: name).first(where: { $0.module === module }) { return found.name }
        }
        return nil
    }

    /// `module(*args, **kwargs)`: the script's `forward` for an instance of
    /// an `nn.Module` subclass, else the tensors by the forward's parameter
    /// names; either inside the module's scope.
    func callModule(_ object: ModuleObject, _ args: [Value], _ kwargs: [(String, Value)], callee: Expr?) throws -> Value {
        let module = object.module
        let path = modulePath(of: module, callee: callee)
        if recordsLocalNames && moduleCalls.isEmpty { modulePaths[ObjectIdentifier(module)] = path }
        guard let cls = object.cls else {
            return .tensor(try callBuiltinModule(module, args, kwargs, path: path))
        }
        guard let forward = cls.lookup("forward") else {
            throw Raise.unsupported("Module [\(cls.name)] is missing the required \"forward\" function")
        }
        let scope = ModuleScope(path: path, summary: module.summary, training: nil)
        return try runtime.withModuleScope(scope) {
            moduleCalls.append((module, path))
            defer { moduleCalls.removeLast() }
            return try call(bind(forward, to: .object(object), class: cls), args, kwargs)
        }
    }

    private func callBuiltinModule(_ module: Module, _ args: [Value], _ kwargs: [(String, Value)], path: String) throws -> Tensor {
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
                throw Raise.type("\(module.kernelName)(): argument '\(name)' (position \(i + 1)) must be Tensor, not \(typeName(of: v))")
            }
            return t
        }
        moduleCalls.append((module, path))
        defer { moduleCalls.removeLast() }
        return try module.call(tensors, path: path)
    }

    /// Lets the engine call the script's `forward` and `extra_repr` of a
    /// module subclass (when a builtin container such as `nn.Sequential`
    /// calls it, and when a module prints).
    func connect(_ object: ModuleObject) {
        guard let module = object.module as? ScriptedModule, let cls = object.cls else { return }
        module.forwardBody = { [unowned self, unowned object] inputs, path in
            guard let forward = cls.lookup("forward") else {
                throw TorchError.notImplemented("Module [\(cls.name)] is missing the required \"forward\" function")
            }
            self.moduleCalls.append((object.module, path))
            defer { self.moduleCalls.removeLast() }
            let result = try self.call(self.bind(forward, to: .object(object), class: cls), inputs.map(Value.tensor), [])
            guard case .tensor(let t) = result else {
                throw TorchError.type("\(cls.name).forward() returned \(self.typeName(of: result)), not a Tensor (autograd-viz's containers pass tensors)")
            }
            return t
        }
        module.extraReprBody = { [unowned self, unowned object] in
            guard let method = cls.lookup("extra_repr"), case .object(is FunctionObject) = method,
                  case .string(let s)? = try? self.call(self.bind(method, to: .object(object), class: cls), [], []) else { return "" }
            return s
        }
    }
}

extension Interpreter {
    /// The class of `torch.nn.NAME`: `nn.Module` (what the script's modules
    /// subclass), `nn.Parameter`, and a class per builtin module type, whose
    /// call makes the module.
    func nnClass(_ name: String) -> ClassObject {
        switch name {
        case "Module":
            let cls = classes.torch("torch.nn.Module", name: "Module", kind: .module)
            if cls.namespace["__init__"] == nil {
                cls.namespace["__init__"] = .function(Function("Module.__init__") { args, _ in
                    guard case .object(let o as ModuleObject)? = args.first else {
                        throw Raise.type("descriptor '__init__' of 'Module' object needs an argument")
                    }
                    o.initialized = true
                    return .none
                })
                for (name, slot) in moduleSlots() { cls.namespace[name] = slot }
            }
            return cls
        case "Parameter":
            return classes.torch("torch.nn.Parameter", name: "Parameter", base: tensorClass) { [unowned self] args, kwargs in
                try self.callModuleFunction("torch.nn", "Parameter", args, kwargs)
            }
        default:
            return classes.torch("torch.nn.\(name)", name: name, base: nnClass("Module")) { [unowned self] args, kwargs in
                try self.callModuleFunction("torch.nn", name, args, kwargs)
            }
        }
    }
}
