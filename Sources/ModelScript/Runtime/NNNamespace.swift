import Autograd

/// `torch.nn.*` (modules and `Parameter`), the module objects' attributes and
/// methods, the `F.*` layers and losses, and `torch.optim.*`.
extension Interpreter {
    // MARK: nn constructors

    func nnFunction(_ name: String, _ a: Arguments) throws -> Value {
        let rt = runtime
        if case .dtype(let d)? = a.value(nil, "dtype"), d != .float32, name != "Parameter" {
            throw Raise.unsupported("torch.nn.\(name)(dtype=\(d.torchName)) is not supported by autograd-viz (parameters are float32)")
        }
        switch name {
        case "Parameter":
            guard let data = try a.optionalTensor(0, "data") else {
                return .tensor(try Tensor.parameter(Tensor.zeros(rt, shape: [0]), requiresGrad: a.bool(1, "requires_grad", default: true)))
            }
            return .tensor(try Tensor.parameter(data, requiresGrad: a.bool(1, "requires_grad", default: true)))
        case "Module":
            return moduleValue(Module(runtime: rt))
        case "Linear":
            return moduleValue(try Linear(runtime: rt, inFeatures: a.int(0, "in_features"), outFeatures: a.int(1, "out_features"),
                                          bias: a.bool(2, "bias", default: true)))
        case "ReLU":
            return moduleValue(Activation(runtime: rt, .relu, inPlace: try a.bool(0, "inplace", default: false)))
        case "Tanh": return moduleValue(Activation(runtime: rt, .tanh))
        case "Sigmoid": return moduleValue(Activation(runtime: rt, .sigmoid))
        case "Dropout":
            return moduleValue(try Dropout(runtime: rt, p: a.double(0, "p", default: 0.5), inPlace: a.bool(1, "inplace", default: false)))
        case "BatchNorm1d":
            let momentum: Double? = Self.passedNone(a, 2, "momentum") ? nil : try a.double(2, "momentum", default: 0.1)
            let affine = try a.bool(3, "affine", default: true)
            guard try a.bool(nil, "bias", default: true) == true || !affine else {
                throw Raise.unsupported("BatchNorm1d(bias=False) is not supported by autograd-viz")
            }
            return moduleValue(try BatchNorm1d(runtime: rt, numFeatures: a.int(0, "num_features"), eps: a.double(1, "eps", default: 1e-5),
                                               momentum: momentum, affine: affine,
                                               trackRunningStats: a.bool(4, "track_running_stats", default: true)))
        case "ModuleList":
            let modules = try (a.value(0, "modules").map { try items(of: $0) } ?? []).map { v -> Module in
                guard case .object(let o as ModuleObject) = v else {
                    throw Raise.type("ModuleList.append() expects a Module, got \(typeName(of: v))")
                }
                return o.module
            }
            return moduleValue(ModuleList(runtime: rt, modules))
        case "Sequential":
            let modules = try a.positional.map { v -> Module in
                guard case .object(let o as ModuleObject) = v else {
                    throw Raise.type("\(v.typeName) is not a Module subclass")
                }
                return o.module
            }
            return moduleValue(Sequential(runtime: rt, modules))
        case "MSELoss":
            try Self.rejectLegacyReduction(a, [0, 1])
            return moduleValue(Loss(runtime: rt, .mse, reduction: try reduction(a, 2)))
        case "CrossEntropyLoss", "NLLLoss":
            try Self.rejectLegacyReduction(a, [1, 3])
            return moduleValue(Loss(runtime: rt, name == "NLLLoss" ? .nll : .crossEntropy, reduction: try reduction(a, 4),
                                    weight: try a.optionalTensor(0, "weight"), ignoreIndex: try a.int(2, "ignore_index", default: -100),
                                    labelSmoothing: name == "NLLLoss" ? 0 : try a.double(5, "label_smoothing", default: 0)))
        case "BCEWithLogitsLoss":
            try Self.rejectLegacyReduction(a, [1, 2])
            return moduleValue(Loss(runtime: rt, .bceWithLogits, reduction: try reduction(a, 3), weight: try a.optionalTensor(0, "weight"),
                                    posWeight: try a.optionalTensor(4, "pos_weight")))
        default:
            throw Raise.unsupported("torch.nn.\(name) is not supported by autograd-viz")
        }
    }

    /// Whether an argument was given as an explicit `None` (`momentum=None`).
    private static func passedNone(_ a: Arguments, _ index: Int, _ name: String) -> Bool {
        if index < a.positional.count, case .none = a.positional[index] { return true }
        a.markRead(name)
        if case .none? = a.keywords.first(where: { $0.0 == name })?.1 { return true }
        return false
    }

    /// `reduction='mean'`, with PyTorch's ValueError for other strings.
    func reduction(_ a: Arguments, _ index: Int?) throws -> Reduction {
        guard let v = a.value(index, "reduction") else { return .mean }
        guard case .string(let s) = v else { throw Raise.type("reduction must be a string, not \(v.typeName)") }
        return try Reduction(name: s)
    }

    /// `size_average=` and `reduce=`, deprecated in PyTorch, are not modelled.
    private static func rejectLegacyReduction(_ a: Arguments, _ indices: [Int]) throws {
        for (i, name) in zip(indices, ["size_average", "reduce"]) where a.has(i, name) {
            throw Raise.unsupported("the deprecated \(name)= argument is not supported by autograd-viz; use reduction=")
        }
    }

    // MARK: F layers and losses

    /// The `torch.nn.functional` functions that are not tensor methods.
    func nnFunctional(_ name: String, _ a: Arguments) throws -> Value? {
        switch name {
        case "linear":
            return .tensor(try Tensor.linear(a.tensor(0, "input"), weight: a.tensor(1, "weight"), bias: a.optionalTensor(2, "bias")))
        case "dropout":
            return .tensor(try a.tensor(0, "input").dropout(p: a.double(1, "p", default: 0.5), training: a.bool(2, "training", default: true),
                                                           inPlace: a.bool(3, "inplace", default: false)))
        case "mse_loss":
            try Self.rejectLegacyReduction(a, [2, 3])
            guard !a.has(5, "weight") else { throw Raise.unsupported("mse_loss(weight=...) is not supported by autograd-viz") }
            return .tensor(try Functional.mseLoss(a.tensor(0, "input"), a.tensor(1, "target"), reduction: reduction(a, 4)))
        case "cross_entropy":
            try Self.rejectLegacyReduction(a, [3, 5])
            return .tensor(try Functional.crossEntropy(a.tensor(0, "input"), a.tensor(1, "target"), weight: a.optionalTensor(2, "weight"),
                                                       ignoreIndex: a.int(4, "ignore_index", default: -100), reduction: reduction(a, 6),
                                                       labelSmoothing: a.double(7, "label_smoothing", default: 0)))
        case "nll_loss":
            try Self.rejectLegacyReduction(a, [3, 5])
            return .tensor(try Functional.nllLoss(a.tensor(0, "input"), a.tensor(1, "target"), weight: a.optionalTensor(2, "weight"),
                                                  ignoreIndex: a.int(4, "ignore_index", default: -100), reduction: reduction(a, 6)))
        case "binary_cross_entropy_with_logits":
            try Self.rejectLegacyReduction(a, [3, 4])
            return .tensor(try Functional.binaryCrossEntropyWithLogits(
                a.tensor(0, "input"), a.tensor(1, "target"), weight: a.optionalTensor(2, "weight"),
                posWeight: a.optionalTensor(6, "pos_weight"), reduction: reduction(a, 5)))
        case "batch_norm":
            let input = try a.tensor(0, "input"), training = try a.bool(5, "training", default: false)
            if training {
                let perChannel = input.rank >= 2 ? input.numel / Swift.max(input.shape[1], 1) : input.numel
                guard perChannel > 1 else {
                    throw Raise.value("Expected more than 1 value per channel when training, got input size \(try repr(.size(input.shape)))")
                }
            }
            return .tensor(try Tensor.nativeBatchNorm(input, weight: a.optionalTensor(3, "weight"), bias: a.optionalTensor(4, "bias"),
                                                      runningMean: a.optionalTensor(1, "running_mean"),
                                                      runningVar: a.optionalTensor(2, "running_var"), training: training,
                                                      momentum: a.double(6, "momentum", default: 0.1), eps: a.double(7, "eps", default: 1e-5)))
        case "relu" where try a.bool(1, "inplace", default: false):
            return .tensor(try a.tensor(0, "input").reluInPlace())
        case "logsigmoid":
            return .tensor(try a.tensor(0, "input").logSigmoid())
        default:
            return nil
        }
    }

    // MARK: Module attributes

    func moduleObjectAttribute(_ o: ModuleObject, _ name: String) throws -> Value? {
        let m = o.module
        if let method = moduleMethod(o, name) { return method }
        switch (name, m) {
        case ("training", _): return .bool(m.training)
        case ("in_features", let l as Linear): return .int(l.inFeatures)
        case ("out_features", let l as Linear): return .int(l.outFeatures)
        case ("p", let d as Dropout): return .float(d.p)
        case ("inplace", let d as Dropout): return .bool(d.inPlace)
        case ("inplace", let r as Activation) where r.kind == .relu: return .bool(r.inPlace)
        case ("num_features", let b as BatchNorm1d): return .int(b.numFeatures)
        case ("eps", let b as BatchNorm1d): return .float(b.eps)
        case ("momentum", let b as BatchNorm1d): return b.momentum.map(Value.float) ?? Value.none
        case ("affine", let b as BatchNorm1d): return .bool(b.affine)
        case ("track_running_stats", let b as BatchNorm1d): return .bool(b.trackRunningStats)
        case ("reduction", let l as Loss): return .string(["none", "mean", "sum"][l.reduction.rawValue])
        case ("ignore_index", let l as Loss) where l.kind != .mse && l.kind != .bceWithLogits: return .int(l.ignoreIndex)
        default: break
        }
        if let v = o.attributes[name] { return v }
        if let p = m.parameter(named: name) { return p.map(Value.tensor) ?? Value.none }
        if let b = m.buffer(named: name) { return b.map(Value.tensor) ?? Value.none }
        if let child = m.child(named: name) { return child.map(moduleValue) ?? Value.none }
        return nil
    }

    private func moduleMethod(_ o: ModuleObject, _ name: String) -> Value? {
        let m = o.module
        let qualified = "\(m.typeName).\(name)"
        func method(_ body: @escaping (Arguments) throws -> Value) -> Value {
            .function(Function(name) { args, kwargs in
                let arguments = try Arguments(qualified, args, kwargs)
                let result = try body(arguments)
                try arguments.rejectUnreadKeywords()
                return result
            })
        }
        switch name {
        case "forward", "__call__":
            return .function(Function(qualified) { [unowned self] args, kwargs in
                try self.callModule(o, args, kwargs, callee: nil)
            })
        case "parameters", "buffers":
            return method { _ in
                let list = name == "parameters" ? m.namedParameters() : m.namedBuffers()
                return .object(SequenceIterator(typeName: "generator", qualifiedName: "Module.\(name)", list.map { .tensor($0.tensor) }))
            }
        case "named_parameters", "named_buffers":
            return method { a in
                let prefix = try a.value(0, "prefix").map { v -> String in
                    guard case .string(let s) = v else { throw Raise.type("prefix must be a string") }
                    return s
                } ?? ""
                let list = name == "named_parameters" ? m.namedParameters(prefix: prefix) : m.namedBuffers(prefix: prefix)
                return .object(SequenceIterator(typeName: "generator", qualifiedName: "Module.\(name)", list.map { .tuple([.string($0.name), .tensor($0.tensor)]) }))
            }
        case "children", "named_children":
            return method { [unowned self] _ in
                .object(SequenceIterator(typeName: "generator", qualifiedName: "Module.\(name)", m.children.map { child in
                    name == "children" ? self.moduleValue(child.module)
                        : .tuple([.string(child.name), self.moduleValue(child.module)])
                }))
            }
        case "modules", "named_modules":
            return method { [unowned self] _ in
                .object(SequenceIterator(typeName: "generator", qualifiedName: "Module.\(name)", m.namedModules().map { entry in
                    name == "modules" ? self.moduleValue(entry.module)
                        : .tuple([.string(entry.name), self.moduleValue(entry.module)])
                }))
            }
        case "train":
            return method { a in
                m.train(try a.bool(0, "mode", default: true))
                return .object(o)
            }
        case "eval":
            return method { _ in
                m.train(false)
                return .object(o)
            }
        case "requires_grad_":
            return method { a in
                try m.requiresGrad(a.bool(0, "requires_grad", default: true))
                return .object(o)
            }
        case "zero_grad":
            return method { a in
                try m.zeroGrad(setToNone: a.bool(0, "set_to_none", default: true))
                return .none
            }
        case "add_module", "register_module":
            return method { [unowned self] a in
                // PyTorch's add_module reaches for self._modules, which
                // Module.__init__ has not made yet.
                guard o.initialized else { throw Raise.attribute("'\(o.typeName)' object has no attribute '_modules'") }
                guard case .string(let childName)? = a.value(0, "name") else { throw Raise.type("module name should be a string") }
                try self.setModuleObjectAttribute(o, childName, a.value(1, "module") ?? .none)
                return .none
            }
        case "register_buffer":
            return method { a in
                guard o.initialized else { throw Raise.attribute("cannot assign buffer before Module.__init__() call") }
                guard case .string(let bufferName)? = a.value(0, "name") else { throw Raise.type("buffer name should be a string") }
                m.registerBuffer(bufferName, try a.optionalTensor(1, "tensor"))
                return .none
            }
        case "register_parameter":
            return method { a in
                guard o.initialized else { throw Raise.attribute("cannot assign parameter before Module.__init__() call") }
                guard case .string(let paramName)? = a.value(0, "name") else { throw Raise.type("parameter name should be a string") }
                let p = try a.optionalTensor(1, "param")
                if let p, !p.isParameter {
                    throw Raise.type("cannot assign 'torch.FloatTensor' object to parameter '\(paramName)' (torch.nn.Parameter or None required)")
                }
                m.registerParameter(paramName, p)
                return .none
            }
        case "append" where m is Sequential || m is ModuleList:
            return method { a in
                guard case .object(let child as ModuleObject)? = a.value(0, "module") else {
                    throw Raise.type("\(a.value(0, "module")?.typeName ?? "NoneType") is not a Module subclass")
                }
                m.addModule(String(m.children.count), child.module)
                return .object(o)
            }
        case "to":
            return method { a in
                if case .dtype(let d)? = a.value(0, "dtype"), d != .float32 {
                    throw Raise.unsupported("Module.to(\(d.torchName)) is not supported by autograd-viz (parameters are float32)")
                }
                return .object(o)
            }
        case "float", "cpu":
            return method { _ in .object(o) }
        case "double", "half", "bfloat16", "cuda":
            return method { _ in throw Raise.unsupported("Module.\(name)() is not supported by autograd-viz (parameters are float32 on the CPU)") }
        case "extra_repr":
            return method { _ in .string(m.extraRepr) }
        default:
            return nil
        }
    }

    /// `module.name = value`, with `nn.Module.__setattr__`'s rules:
    /// Parameters and modules register, a registered parameter, child or
    /// buffer also takes None, anything else is a plain attribute.
    func setModuleObjectAttribute(_ o: ModuleObject, _ name: String, _ value: Value) throws {
        let m = o.module
        if !o.initialized {
            // nn.Module.__setattr__ before nn.Module.__init__ ran.
            if case .object(is ModuleObject) = value { throw Raise.attribute("cannot assign module before Module.__init__() call") }
            if case .tensor(let t) = value, t.isParameter { throw Raise.attribute("cannot assign parameters before Module.__init__() call") }
        }
        switch (name, value, m) {
        case ("training", .bool(let b), _): m.training = b; return
        case ("p", _, let d as Dropout):
            let p = try Arguments("Dropout", [value], []).double(0, "p")
            d.p = p
            return
        case ("eps", _, let b as BatchNorm1d): b.eps = try Arguments("BatchNorm1d", [value], []).double(0, "eps"); return
        case ("momentum", .none, let b as BatchNorm1d): b.momentum = nil; return
        case ("momentum", _, let b as BatchNorm1d): b.momentum = try Arguments("BatchNorm1d", [value], []).double(0, "momentum"); return
        default: break
        }
        if case .tensor(let t) = value, t.isParameter {
            o.attributes[name] = nil
            m.registerParameter(name, t)
            return
        }
        if m.parameter(named: name) != nil {
            guard case .none = value else {
                throw Raise.type("cannot assign '\(Self.legacyTypeName(value))' as parameter '\(name)' (torch.nn.Parameter or None expected)")
            }
            m.registerParameter(name, nil)
            return
        }
        if case .object(let child as ModuleObject) = value {
            o.attributes[name] = nil
            m.addModule(name, child.module)
            return
        }
        if m.child(named: name) != nil {
            guard case .none = value else {
                throw Raise.type("cannot assign '\(Self.legacyTypeName(value))' as child module '\(name)' (torch.nn.Module or None expected)")
            }
            m.addModule(name, nil)
            return
        }
        if m.buffer(named: name) != nil {
            switch value {
            case .tensor(let t): m.registerBuffer(name, t)
            case .none: m.registerBuffer(name, nil)
            default: throw Raise.type("cannot assign '\(Self.legacyTypeName(value))' as buffer '\(name)' (torch.Tensor or None expected)")
            }
            return
        }
        o.attributes[name] = value
    }

    /// `torch.typename(value)` as nn's messages print it.
    private static func legacyTypeName(_ value: Value) -> String {
        if case .tensor(let t) = value { return t.dtype.legacyTensorName }
        return value.typeName
    }

    // MARK: torch.optim

    func optimFunction(_ name: String, _ a: Arguments) throws -> Value {
        guard let paramsValue = a.value(0, "params") else { throw Raise.type("\(name).__init__() missing 1 required positional argument: 'params'") }
        let params: [Tensor]
        switch paramsValue {
        case .tensor(let t):
            throw Raise.type("params argument given to the optimizer should be an iterable of Tensors or dicts, but got \(t.dtype.legacyTensorName)")
        default:
            params = try items(of: paramsValue).map { v in
                guard case .tensor(let t) = v else {
                    throw Raise.type("optimizer can only optimize Tensors, but one of the params is \(v.typeName)")
                }
                return t
            }
        }
        func given(_ index: Int?, _ key: String, _ fallback: Value) -> Value { a.value(index, key) ?? fallback }
        let maximize = given(nil, "maximize", .bool(false))
        // param_groups[0] in PyTorch's key order (its repr sorts them).
        switch name {
        case "SGD":
            let settings: [(String, Value)] = [
                ("lr", given(1, "lr", .float(0.001))), ("momentum", given(2, "momentum", .int(0))),
                ("dampening", given(3, "dampening", .int(0))), ("weight_decay", given(4, "weight_decay", .int(0))),
                ("nesterov", given(5, "nesterov", .bool(false))), ("maximize", maximize), ("foreach", .none),
                ("differentiable", .bool(false)), ("fused", .none),
            ]
            let sgd = try SGD(params: params, lr: a.double(1, "lr", default: 0.001), momentum: a.double(2, "momentum", default: 0),
                              dampening: a.double(3, "dampening", default: 0), weightDecay: a.double(4, "weight_decay", default: 0),
                              nesterov: a.bool(5, "nesterov", default: false), maximize: a.bool(nil, "maximize", default: false))
            return .object(OptimizerObject(sgd, typeName: name, settings: settings))
        case "Adam", "AdamW":
            let decoupled = try name == "AdamW" || a.bool(nil, "decoupled_weight_decay", default: false)
            let defaultDecay: Value = name == "AdamW" ? .float(0.01) : .int(0)
            let betas = a.value(2, "betas") ?? .tuple([.float(0.9), .float(0.999)])
            let pair = try items(of: betas).map { try Arguments(name, [$0], []).double(0, "betas") }
            guard pair.count == 2 else { throw Raise.value("betas must be a pair of floats") }
            let settings: [(String, Value)] = [
                ("lr", given(1, "lr", .float(0.001))), ("betas", betas), ("eps", given(3, "eps", .float(1e-8))),
                ("weight_decay", given(4, "weight_decay", defaultDecay)), ("amsgrad", given(5, "amsgrad", .bool(false))),
                ("maximize", maximize), ("foreach", .none), ("capturable", .bool(false)), ("differentiable", .bool(false)),
                ("fused", .none), ("decoupled_weight_decay", .bool(decoupled)),
            ]
            let adam = try Adam(params: params, lr: a.double(1, "lr", default: 0.001), betas: (pair[0], pair[1]),
                                eps: a.double(3, "eps", default: 1e-8),
                                weightDecay: a.double(4, "weight_decay", default: name == "AdamW" ? 0.01 : 0),
                                amsgrad: a.bool(5, "amsgrad", default: false), maximize: a.bool(nil, "maximize", default: false),
                                decoupledWeightDecay: decoupled)
            return .object(OptimizerObject(adam, typeName: name, settings: settings))
        default:
            throw Raise.unsupported("torch.optim.\(name) is not supported by autograd-viz")
        }
    }

    func optimizerAttribute(_ o: OptimizerObject, _ name: String) -> Value? {
        let qualified = "\(o.typeName).\(name)"
        switch name {
        case "step":
            return .function(Function(qualified) { args, kwargs in
                let a = try Arguments(qualified, args, kwargs)
                guard !a.has(0, "closure") else { throw Raise.unsupported("optimizer.step(closure) is not supported by autograd-viz") }
                try o.optimizer.step()
                return .none
            })
        case "zero_grad":
            return .function(Function(qualified) { args, kwargs in
                try o.optimizer.zeroGrad(setToNone: Arguments(qualified, args, kwargs).bool(0, "set_to_none", default: true))
                return .none
            })
        case "param_groups":
            return .list(ListBox([.object(o.group)]))
        default:
            return nil
        }
    }

    /// `print(optimizer)`, as `Optimizer.__repr__` writes it (keys sorted).
    func optimizerRepr(_ o: OptimizerObject) throws -> String {
        var lines = ["\(o.typeName) (", "Parameter Group 0"]
        for (key, value) in o.group.settings.sorted(by: { $0.0 < $1.0 }) { lines.append("    \(key): \(try repr(value))") }
        lines.append(")")
        return lines.joined(separator: "\n")
    }

    /// `print(optimizer.param_groups[0])`: a dict, `params` first.
    func paramGroupRepr(_ g: ParamGroupObject) throws -> String {
        let items = [("params", g["params"] ?? .none)] + g.settings
        return "{" + (try items.map { "\(Interpreter.quote($0.0)): \(try repr($0.1))" }).joined(separator: ", ") + "}"
    }
}
