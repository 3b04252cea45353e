import Autograd

/// Tensor attributes (`grad`, `grad_fn`, `shape`, ...) and the methods scripts
/// call on tensors. Methods that also exist as `torch.X(t, ...)` share one
/// implementation in `tensorOp`.
extension Interpreter {
    /// PyTorch's warning texts, with the C++ location PyTorch appends, so the
    /// two tools' warnings compare equal.
    static let nonLeafGradWarning = "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:488.)"

    func tensorAttribute(_ t: Tensor, _ name: String) throws -> Value {
        if Interpreter.tensorMethods.contains(name) {
            return .function(Function(name) { [unowned self] args, kwargs in
                try self.callTensorMethod(t, name, args, kwargs)
            })
        }
        // PyTorch reads the grad_fn for these, which raises for a view it
        // can no longer rebase.
        if name == "grad_fn" || name == "is_leaf" { try t.checkViewRebase() }
        switch name {
        case "grad":
            if !t.isLeaf && !t.retainsGrad { warn(Interpreter.nonLeafGradWarning) }
            return t.grad.map(Value.tensor) ?? .none
        case "grad_fn": return t.gradFn.map(Value.gradFn) ?? .none
        case "requires_grad": return .bool(t.requiresGrad)
        case "is_leaf": return .bool(t.isLeaf)
        case "retains_grad": return .bool(t.retainsGrad)
        case "shape": return .size(t.shape)
        case "dtype": return .dtype(t.dtype)
        case "ndim": return .int(t.rank)
        case "T": return .tensor(try t.reversedDims())
        case "data": return .tensor(t.data())
        case "_version": return .int(t.version)
        case "output_nr": return .int(t.outputNr)
        case "_base": return t.base.map(Value.tensor) ?? .none
        default:
            throw Raise.attribute("'Tensor' object has no attribute '\(name)'")
        }
    }

    /// `t.name(args...)`, the method `tensorAttribute` binds.
    func callTensorMethod(_ t: Tensor, _ name: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        let arguments = try Arguments(name, args, kwargs)
        let result = try tensorMethod(t, name, arguments)
        try arguments.rejectUnreadKeywords()
        return result
    }

    func setTensorAttribute(_ t: Tensor, _ name: String, _ value: Value) throws {
        switch name {
        case "grad":
            switch value {
            case .none: t.grad = nil
            case .tensor(let g):
                guard g.dtype == t.dtype else {
                    throw Raise.runtime("attempting to assign a gradient with dtype '\(g.dtype.cTypeName)' to a tensor with grad_dtype '\(t.dtype.scalarTypeName)'. The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that assume they match.")
                }
                guard g.shape == t.shape else {
                    throw Raise.runtime("attempting to assign a gradient of size '\(Interpreter.list(g.shape))' to a tensor of size '\(Interpreter.list(t.shape))'. Please ensure that the gradient and the tensor are the same size")
                }
                t.grad = g
            default:
                throw Raise.type("assigned grad expected to be a Tensor or None but got grad of type \(value.typeName)")
            }
        case "requires_grad":
            guard case .bool(let flag) = value else { throw Raise.type("requires_grad must be a bool") }
            try t.setRequiresGrad(flag, viaMethod: false)
        default:
            throw Raise.attribute("attribute '\(name)' of 'torch._C.TensorBase' objects is not writable")
        }
    }

    func gradFnAttribute(_ node: Node, _ name: String) throws -> Value {
        if let custom = node as? CustomFunctionNode, let ctx = custom.context as? FunctionContext,
           !["next_functions", "name", "metadata"].contains(name), let v = try contextAttribute(ctx, name) {
            return v
        }
        switch name {
        case "name": return .function(Function("name") { _, _ in .string(node.qualifiedName) })
        case "next_functions":
            return .tuple(node.nextEdges.map { .tuple([$0.function.map(Value.gradFn) ?? .none, .int($0.inputNr)]) })
        case "variable":
            if let acc = node as? AccumulateGrad { return .tensor(acc.variable) }
        default:
            if name.hasPrefix("_saved_") {
                let key = String(name.dropFirst(7))
                if let t = try node.savedTensor(named: key) { return .tensor(t) }
                switch node.savedAttributes[key] {
                case .none?: return .none
                case .int(let i)?: return .int(i)
                case .double(let d)?: return .float(d)
                case .ints(let list)?: return .tuple(list.map(Value.int))
                case .bool(let b)?: return .bool(b)
                case nil: break
                }
            }
        }
        throw Raise.attribute("'\(node.name)' object has no attribute '\(name)'")
    }

    static let tensorMethods: Set<String> = Set([
        "backward", "retain_grad", "requires_grad_", "detach", "detach_", "clone", "contiguous", "item", "tolist",
        "numel", "size", "dim", "ndimension", "float", "double", "long", "bool", "to", "zero_", "fill_", "add_", "sub_",
        "mul_", "div_", "clamp_", "copy_", "register_hook", "is_floating_point", "expand_as", "view_as", "reshape_as",
        "numpy", "_is_view",
    ]).union(sharedOps)

    /// Ops that are both `t.name(...)` and `torch.name(t, ...)`.
    static let sharedOps: Set<String> = [
        "add", "sub", "mul", "div", "pow", "neg", "matmul", "mm", "mv", "dot", "bmm", "t", "transpose", "permute",
        "view", "reshape", "flatten", "squeeze", "unsqueeze", "expand", "select", "sum", "mean", "max", "min", "abs",
        "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "clamp", "clip", "softmax", "log_softmax",
        "eq", "ne", "lt", "le", "gt", "ge", "all", "any", "equal", "allclose", "sign", "sgn", "maximum", "minimum",
        "argmax", "argmin", "reciprocal", "square", "unbind",
    ]

    func tensorMethod(_ t: Tensor, _ name: String, _ a: Arguments) throws -> Value {
        switch name {
        case "backward":
            // The flags first, leniently, so that even a call PyTorch rejects
            // (a misspelled keyword) is recorded as a backward call, as there.
            let create = (try? a.bool(2, "create_graph", default: false)) ?? false
            let retain = ((try? a.optionalBool(1, "retain_graph")) ?? nil) ?? create
            try runBackward(kind: "backward", roots: [t], retain: retain, create: create) {
                let a = try Arguments("Tensor.backward", a.positional, a.keywords, sharing: a)
                try a.allowOnly(["gradient", "retain_graph", "create_graph", "inputs"])
                try a.refuseInputs()
                let gradient = try a.optionalTensor(0, "gradient")
                if create {
                    warn("UserWarning: Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters to None after use to break the cycle and avoid the leak. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1445.)")
                }
                try Engine.backward([t], grads: [gradient], retainGraph: retain, createGraph: create)
            }
            return .none
        case "retain_grad": try t.retainGrad(); return .none
        case "requires_grad_":
            try t.setRequiresGrad(try a.bool(0, "requires_grad", default: true))
            return .tensor(t)
        case "detach": return .tensor(t.detach())
        case "_is_view": return .bool(t.base != nil)
        case "detach_": try t.detachInPlace(); return .tensor(t)
        case "clone": return .tensor(try t.clone())
        case "contiguous": return .tensor(try t.contiguous())
        case "item":
            let v = try t.item()
            switch t.dtype {
            case .bool: return .bool(v != 0)
            case .int64: return .int(Int(v))
            default: return .float(v)
            }
        case "tolist":
            // PyTorch's ZeroTensor has no storage to read (Note [ZeroTensor]).
            guard !t.isZeroTensor else {
                throw TorchError.runtime("tolist() shouldn't be called on a tensor with unallocated storage")
            }
            return Interpreter.nestedList(t)
        case "numel": return .int(t.numel)
        case "size":
            if let d = try a.optionalInt(0, "dim") { return .int(t.shape[try wrap(d, t.rank)]) }
            return .size(t.shape)
        case "dim", "ndimension": return .int(t.rank)
        case "float": return .tensor(try t.to(.float32))
        case "double": return .tensor(try t.to(.float64))
        case "long": return .tensor(try t.to(.int64))
        case "bool": return .tensor(try t.to(.bool))
        case "to":
            guard let d = try a.dtype(0, "dtype") else {
                if case .string? = a.value(0, "device") { return .tensor(t) }
                throw Raise.unsupported("Tensor.to() is supported with a dtype only")
            }
            return .tensor(try t.to(d))
        case "is_floating_point": return .bool(t.dtype.isFloatingPoint)
        case "zero_": try t.zeroInPlace(); return .tensor(t)
        case "fill_":
            if case .tensor(let v)? = a.value(0, "value") { try t.fillInPlace(v) } else { try t.fillInPlace(try a.double(0, "value")) }
            return .tensor(t)
        case "add_": try t.addInPlace(try operand(a, 0, "other", t), alpha: try a.double(1, "alpha", default: 1)); return .tensor(t)
        case "sub_": try t.subInPlace(try operand(a, 0, "other", t), alpha: try a.double(1, "alpha", default: 1)); return .tensor(t)
        case "mul_": try t.mulInPlace(try operand(a, 0, "other", t)); return .tensor(t)
        case "div_": try t.divInPlace(try operand(a, 0, "other", t)); return .tensor(t)
        case "clamp_": try t.clampInPlace(min: try a.optionalDouble(0, "min"), max: try a.optionalDouble(1, "max")); return .tensor(t)
        case "copy_": try t.copyInPlace(try a.tensor(0, "src")); return .tensor(t)
        case "expand_as": return .tensor(try t.expand(try a.tensor(0, "other").shape))
        case "view_as": return .tensor(try t.view(try a.tensor(0, "other").shape))
        case "reshape_as": return .tensor(try t.reshape(try a.tensor(0, "other").shape))
        case "numpy":
            if t.requiresGrad { throw Raise.runtime("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.") }
            throw Raise.unsupported("numpy() is not available in model scripts")
        case "register_hook":
            guard let fn = a.value(0, "hook"), isCallable(fn) else { throw Raise.type("register_hook() expects a callable") }
            let hookName = hookDisplayName(fn)
            // PyTorch's checks on a replacement gradient (python_hook.cpp).
            let id = try t.registerHook { [unowned self] grad in
                let result = try self.call(fn, [grad.map(Value.tensor) ?? .none], [])
                switch result {
                case .none: return nil
                case .tensor(let r):
                    guard let grad else { throw TorchError.runtime("can't replace a None gradient with a non-None value") }
                    guard r.dtype == grad.dtype else {
                        throw TorchError.runtime("hook '\(hookName)' has changed the type of value (was \(grad.dtype.legacyTensorName) got \(r.dtype.legacyTensorName))")
                    }
                    guard r.shape == grad.shape else { throw TorchError.runtime("hook '\(hookName)' has changed the size of value") }
                    return r
                default: throw TorchError.type("expected Variable, but hook returned '\(self.typeName(of: result))'")
                }
            }
            let handle = ScriptObject(typeName: "RemovableHandle")
            handle.attributes["remove"] = .function(Function("remove") { _, _ in t.removeHook(id); return .none })
            return .object(handle)
        default:
            return try tensorOp(t, name, a)
        }
    }

    func wrapDimension(_ d: Int, _ rank: Int) throws -> Int { try wrap(d, rank) }

    private func wrap(_ d: Int, _ rank: Int) throws -> Int {
        let r = Swift.max(rank, 1)
        guard d >= -r && d < r else {
            throw Raise.index("Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(d))")
        }
        return d < 0 ? d + r : d
    }

    func operand(_ a: Arguments, _ i: Int, _ name: String, _ like: Tensor) throws -> Tensor {
        guard let v = a.value(i, name) else { throw Raise.type("\(a.function)() missing required argument '\(name)'") }
        return try tensorOperand(v, like: like)
    }

    /// The ops shared by `t.op(...)` and `torch.op(t, ...)`: argument 0 here
    /// is the first argument after the tensor.
    func tensorOp(_ t: Tensor, _ name: String, _ a: Arguments) throws -> Value {
        switch name {
        case "add": return .tensor(try t.add(operand(a, 0, "other", t), alpha: try a.double(1, "alpha", default: 1)))
        case "sub": return .tensor(try t.sub(operand(a, 0, "other", t), alpha: try a.double(1, "alpha", default: 1)))
        case "mul": return .tensor(try t.mul(operand(a, 0, "other", t)))
        case "div": return .tensor(try t.div(operand(a, 0, "other", t)))
        case "pow": return .tensor(try t.pow(operand(a, 0, "exponent", t)))
        case "neg": return .tensor(try t.neg())
        case "reciprocal": return .tensor(try t.reciprocal())
        case "square": return .tensor(try t.pow(2, exponentIsInt: true))
        case "matmul": return .tensor(try t.matmul(a.tensor(0, "other")))
        case "mm": return .tensor(try t.mm(a.tensor(0, "mat2")))
        case "mv": return .tensor(try t.mv(a.tensor(0, "vec")))
        case "dot": return .tensor(try t.dot(a.tensor(0, "tensor")))
        case "bmm": return .tensor(try t.bmm(a.tensor(0, "mat2")))
        case "t": return .tensor(try t.t())
        case "transpose": return .tensor(try t.transpose(a.int(0, "dim0"), a.int(1, "dim1")))
        case "permute": return .tensor(try t.permute(a.intList(from: 0, "dims")))
        case "view": return .tensor(try t.view(a.intList(from: 0, "size")))
        case "reshape": return .tensor(try t.reshape(a.intList(from: 0, "shape")))
        case "flatten": return .tensor(try t.flatten(startDim: a.int(0, "start_dim", default: 0), endDim: a.int(1, "end_dim", default: -1)))
        case "squeeze": return .tensor(try t.squeeze(a.optionalInt(0, "dim")))
        case "unsqueeze": return .tensor(try t.unsqueeze(a.int(0, "dim")))
        case "expand": return .tensor(try t.expand(a.intList(from: 0, "size")))
        case "select": return .tensor(try t.select(a.int(0, "dim"), a.int(1, "index")))
        case "unbind": return .tuple(try t.unbind(a.int(0, "dim", default: 0)).map(Value.tensor))
        case "sum":
            if let dims = try a.dims(0, "dim") { return .tensor(try t.sum(dims: dims, keepdim: a.bool(1, "keepdim", default: false))) }
            return .tensor(try t.sum())
        case "mean":
            if let dims = try a.dims(0, "dim") { return .tensor(try t.mean(dims: dims, keepdim: a.bool(1, "keepdim", default: false))) }
            return .tensor(try t.mean())
        case "max", "min":
            let isMax = name == "max"
            if case .tensor(let other)? = a.value(0, "other") {
                return .tensor(isMax ? try t.maximum(other) : try t.minimum(other))
            }
            if let dim = try a.optionalInt(0, "dim") {
                let keep = try a.bool(1, "keepdim", default: false)
                let r = isMax ? try t.max(dim: dim, keepdim: keep) : try t.min(dim: dim, keepdim: keep)
                return .namedTuple(name: "torch.return_types.\(name)", fields: [("values", .tensor(r.values)), ("indices", .tensor(r.indices))])
            }
            return .tensor(isMax ? try t.max() : try t.min())
        case "argmax", "argmin":
            let dim = try a.optionalInt(0, "dim"), keep = try a.bool(1, "keepdim", default: false)
            return .tensor(name == "argmax" ? try t.argmax(dim: dim, keepdim: keep) : try t.argmin(dim: dim, keepdim: keep))
        case "maximum": return .tensor(try t.maximum(a.tensor(0, "other")))
        case "minimum": return .tensor(try t.minimum(a.tensor(0, "other")))
        case "abs": return .tensor(try t.abs())
        case "exp": return .tensor(try t.exp())
        case "log": return .tensor(try t.log())
        case "sqrt": return .tensor(try t.sqrt())
        case "sin": return .tensor(try t.sin())
        case "cos": return .tensor(try t.cos())
        case "tanh": return .tensor(try t.tanh())
        case "sigmoid": return .tensor(try t.sigmoid())
        case "relu": return .tensor(try t.relu())
        case "sign": return .tensor(try t.sign())
        case "sgn": return .tensor(try t.sgn())
        case "clamp", "clip":
            return .tensor(try t.clamp(min: a.optionalDouble(0, "min"), max: a.optionalDouble(1, "max")))
        case "softmax": return .tensor(try t.softmax(dim: a.int(0, "dim")))
        case "log_softmax": return .tensor(try t.logSoftmax(dim: a.int(0, "dim")))
        case "eq": return .tensor(try t.eq(operand(a, 0, "other", t)))
        case "ne": return .tensor(try t.ne(operand(a, 0, "other", t)))
        case "lt": return .tensor(try t.lt(operand(a, 0, "other", t)))
        case "le": return .tensor(try t.le(operand(a, 0, "other", t)))
        case "gt": return .tensor(try t.gt(operand(a, 0, "other", t)))
        case "ge": return .tensor(try t.ge(operand(a, 0, "other", t)))
        case "all", "any":
            guard let dims = try a.dims(0, "dim") else { return .tensor(name == "all" ? t.all() : t.any()) }
            // Along dims: count the non-zero elements, then compare with the lane length (all) or zero (any).
            let counts = try t.ne(Tensor.wrapped(t.runtime, 0, dtype: .int64)).sum(dims: dims, keepdim: a.bool(1, "keepdim", default: false))
            if name == "any" { return .tensor(try counts.gt(Tensor.wrapped(t.runtime, 0, dtype: .int64))) }
            let lane = try dims.map { d -> Int in t.shape[try wrapDimension(d, t.rank)] }.reduce(1, *)
            return .tensor(try counts.eq(Tensor.wrapped(t.runtime, Double(lane), dtype: .int64)))
        case "equal": return .bool(t.equal(try a.tensor(0, "other")))
        case "allclose":
            return .bool(try t.allclose(a.tensor(0, "other"), rtol: a.double(1, "rtol", default: 1e-5),
                                        atol: a.double(2, "atol", default: 1e-8), equalNaN: a.bool(3, "equal_nan", default: false)))
        default:
            throw Raise.attribute("'Tensor' object has no attribute '\(name)'")
        }
    }

    /// `tolist()`: nested Python lists of floats, ints or bools.
    /// `[2, 3]`, as PyTorch's messages print sizes.
    static func list(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    static func nestedList(_ t: Tensor) -> Value {
        t.nested(scalar: { v in
            switch t.dtype {
            case .bool: return .bool(v != 0)
            case .int64: return .int(Int(v))
            default: return .float(v)
            }
        }, list: { .list(ListBox($0)) })
    }

    /// Runs one backward call between the observer's two snapshots.
    func runBackward(kind: String, roots: [Tensor], retain: Bool, create: Bool, _ body: () throws -> Void) throws {
        backwardCount += 1
        let stmt = currentStatement
        let call = BackwardCall(index: backwardCount, kind: kind,
                                location: stmt?.location ?? SourceLocation(line: 1, column: 1),
                                source: stmt.map { lineText($0.location.line) } ?? "", roots: roots, retainGraph: retain, createGraph: create)
        observer?.willRunBackward(call, in: self)
        // Saved tensors the call frees remember it.
        let outer = runtime.backwardCallIndex
        runtime.backwardCallIndex = call.index
        defer { runtime.backwardCallIndex = outer }
        do {
            try body()
        } catch {
            observer?.didRunBackward(call, in: self, error: error)
            throw error
        }
        observer?.didRunBackward(call, in: self, error: nil)
    }
}
