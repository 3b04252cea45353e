import Autograd

/// `ctx` of a custom `torch.autograd.Function`: what `forward` saves and
/// sets for `backward`. Once the node exists it is the node's script face
/// (`y.grad_fn.saved_tensors`, `y.grad_fn.k`), as PyTorch's ctx is the node.
final class FunctionContext: ScriptObject {
    var saved: [Tensor?] = []
    var dirty: [Tensor] = []
    var nonDifferentiable: [Tensor] = []
    var needsInputGrad: [Bool]
    var materializeGrads = true
    weak var node: CustomFunctionNode?

    init(className: String, needsInputGrad: [Bool]) {
        self.needsInputGrad = needsInputGrad
        super.init(typeName: "\(className)Backward")
    }
}

extension Interpreter {
    /// `torch.autograd.Function`, the class the script's Functions subclass.
    var autogradFunctionClass: ClassObject {
        let cls = classes.torch("torch.autograd.function.Function", name: "Function", kind: .autogradFunction)
        if cls.namespace["apply"] == nil {
            cls.namespace["apply"] = .object(MethodWrapper(.classMethod, .function(Function("apply") { [unowned self] args, kwargs in
                guard case .object(let fnClass as ClassObject)? = args.first else { throw Raise.type("apply() needs a Function class") }
                return try self.applyFunction(fnClass, Array(args.dropFirst()), kwargs)
            })))
            cls.namespace["forward"] = .object(MethodWrapper(.staticMethod, .function(Function("forward") { _, _ in
                throw Raise.unsupported("You must implement the forward function for custom autograd.Function.")
            })))
            cls.namespace["backward"] = .object(MethodWrapper(.staticMethod, .function(Function("backward") { _, _ in
                throw Raise.unsupported("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.")
            })))
        }
        return cls
    }

    /// `MyFunction.apply(*args)`: forward under no_grad with a fresh ctx,
    /// then one node whose formula is the class's `backward`.
    func applyFunction(_ cls: ClassObject, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        guard let forward = cls.lookup("forward"), let backward = cls.lookup("backward") else {
            throw Raise.unsupported("\(cls.name) has no forward or backward")
        }
        // PyTorch 2's style: `forward(*args)` without ctx, then
        // `setup_context(ctx, inputs, output)` saves what backward needs.
        let setupContext = cls.mro.first { $0.kind != .builtin && $0.namespace["setup_context"] != nil }?.namespace["setup_context"]
        let (args, kwargs) = setupContext == nil
            ? (try applyPositionalArguments(unwrapStatic(forward, cls), args, kwargs), [])
            : try boundDefaultArguments(unwrapStatic(forward, cls), args, kwargs)
        let tensors: [Tensor?] = args.map { if case .tensor(let t) = $0 { return t } else { return nil } }
        let recording = runtime.gradEnabled
        let ctx = FunctionContext(className: cls.name,
                                  needsInputGrad: tensors.map { recording && ($0?.requiresGrad ?? false) })
        let result = try runtime.withGradMode(false) {
            try call(unwrapStatic(forward, cls), setupContext == nil ? [.object(ctx)] + args : args, kwargs)
        }
        if let setupContext {
            try runtime.withGradMode(false) {
                _ = try call(unwrapStatic(setupContext, cls), [.object(ctx), .tuple(args), result], [])
            }
        }
        guard case .tensor(let output) = result else {
            if case .tuple = result {
                throw Raise.unsupported("custom autograd.Functions returning several tensors are not supported by autograd-viz (\(cls.name).forward returned a tuple)")
            }
            return result
        }
        let request = CustomFunctionCall(name: "\(cls.name)Backward", arguments: tensors, output: output, saved: ctx.saved,
                                      dirty: ctx.dirty, nonDifferentiable: ctx.nonDifferentiable)
        let backwardFunction = unwrapStatic(backward, cls)
        let (recorded, node) = try Tensor.recordCustomFunction(request) { [unowned self, unowned ctx] node, grad in
            let gradients = try self.call(backwardFunction, [.object(ctx), .tensor(grad)], [])
            let values: [Value]
            if case .tuple(let items) = gradients { values = items } else { values = [gradients] }
            return try values.map { v in
                switch v {
                case .none: return nil
                case .tensor(let t): return t
                default:
                    throw TorchError.type("expected Tensor or None as the gradient of \(node.name), got \(self.typeName(of: v))")
                }
            }
        }
        if let node {
            ctx.node = node
            node.context = ctx
            ctx.saved = []  // the node holds them now, and frees them after backward
        }
        return .tensor(recorded)
    }

    /// `apply(x, k=3.0)` of a `forward(ctx, x, k)`: the keywords become
    /// positional arguments in the parameter order, as PyTorch's
    /// THPFunction_apply binds them, so each argument (and its gradient)
    /// has its forward position. Defaults are not filled in: only the
    /// arguments given count as inputs.
    private func applyPositionalArguments(_ forward: Value, _ args: [Value], _ kwargs: [(String, Value)]) throws -> [Value] {
        guard !kwargs.isEmpty else { return args }
        guard case .object(let f as FunctionObject) = forward else { throw Raise.type("apply() takes no keyword arguments") }
        let parameters = f.definition.parameters
        let names = (parameters.positionalOnly + parameters.regular).dropFirst().map(\.name)
        for (name, _) in kwargs {
            guard let index = names.firstIndex(of: name) else {
                throw Raise.type("forward() got an unexpected keyword argument '\(name)'")
            }
            if index < args.count { throw Raise.type("forward() got multiple values for argument '\(name)'") }
        }
        var bound = args, remaining = kwargs
        while !remaining.isEmpty {
            let name = names[bound.count]
            guard let k = remaining.firstIndex(where: { $0.0 == name }) else {
                throw Raise.type("forward() missing required argument: '\(name)' (position \(bound.count))")
            }
            bound.append(remaining.remove(at: k).1)
        }
        return bound
    }

    /// The arguments of a `forward` that has a `setup_context`, as PyTorch's
    /// `_bind_default_args` gives them: `inspect.signature(forward).bind`
    /// with the defaults applied, so `setup_context` sees every input.
    /// Keyword-only arguments stay keywords; inspect's messages.
    private func boundDefaultArguments(_ forward: Value, _ args: [Value],
                                       _ kwargs: [(String, Value)]) throws -> ([Value], [(String, Value)]) {
        guard case .object(let f as FunctionObject) = forward else { return (args, kwargs) }
        let parameters = f.definition.parameters
        let positional = parameters.positionalOnly + parameters.regular
        for p in positional.prefix(args.count) where kwargs.contains(where: { $0.0 == p.name }) {
            throw Raise.type("multiple values for argument '\(p.name)'")
        }
        if args.count > positional.count && parameters.varArgs == nil { throw Raise.type("too many positional arguments") }
        var bound = Array(args.prefix(positional.count)), remaining = kwargs
        for (i, p) in positional.enumerated().dropFirst(args.count) {
            if let k = remaining.firstIndex(where: { $0.0 == p.name }) {
                bound.append(remaining.remove(at: k).1)
            } else if let value = f.defaults[i] {
                bound.append(value)
            } else {
                throw Raise.type("missing a required argument: '\(p.name)'")
            }
        }
        let keywordOnly = Set(parameters.keywordOnly.map(\.name))
        if parameters.varKeywords == nil, let extra = remaining.first(where: { !keywordOnly.contains($0.0) }) {
            throw Raise.type("got an unexpected keyword argument '\(extra.0)'")
        }
        return (bound + args.dropFirst(positional.count), remaining)
    }

    /// `@staticmethod forward` as the class holds it, or a plain function.
    private func unwrapStatic(_ value: Value, _ cls: ClassObject) -> Value {
        if case .object(let w as MethodWrapper) = value {
            return w.kind == .staticMethod ? w.function : .object(BoundMethod(receiver: .object(cls), function: w.function))
        }
        return value
    }

    /// `ctx.name`: the ctx's methods and saved state, then what the script set.
    func contextAttribute(_ ctx: FunctionContext, _ name: String) throws -> Value? {
        switch name {
        case "save_for_backward":
            return .function(Function("save_for_backward") { [unowned ctx, unowned self] args, _ in
                ctx.saved = try args.map { v in
                    switch v {
                    case .tensor(let t): return t
                    case .none: return nil
                    default: throw Raise.type("save_for_backward can only save variables, but argument 0 is of type \(self.typeName(of: v))")
                    }
                }
                return .none
            })
        case "saved_tensors", "saved_variables":
            if let node = ctx.node { return .tuple(try node.savedTensors().map { $0.map(Value.tensor) ?? .none }) }
            return .tuple(ctx.saved.map { $0.map(Value.tensor) ?? .none })
        case "needs_input_grad":
            return .tuple((ctx.node?.needsInputGradients ?? ctx.needsInputGrad).map(Value.bool))
        case "mark_dirty", "mark_non_differentiable":
            return .function(Function(name) { [unowned ctx] args, _ in
                let tensors = args.compactMap { v -> Tensor? in if case .tensor(let t) = v { return t } else { return nil } }
                if name == "mark_dirty" { ctx.dirty += tensors } else { ctx.nonDifferentiable += tensors }
                return .none
            })
        case "set_materialize_grads":
            return .function(Function(name) { [unowned ctx, unowned self] args, _ in
                ctx.materializeGrads = try self.truthValue(args.first ?? .bool(true))
                return .none
            })
        case "next_functions", "name", "metadata":
            if let node = ctx.node { return try gradFnAttribute(node, name) }
            return nil
        default:
            return ctx.attributes[name]
        }
    }
}
