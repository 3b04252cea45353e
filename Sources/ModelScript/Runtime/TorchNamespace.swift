import Autograd
import Foundation

/// `torch.*`, `torch.autograd.*`, `torch.nn.functional.*` (F) and `math.*`.
extension Interpreter {
    func moduleAttribute(_ module: String, _ name: String) throws -> Value {
        if Self.pythonModules.contains(module) {
            // The same object each time (`math.sqrt is sqrt`); sys.stdout and
            // time functions are cached alike.
            let key = "\(module).\(name)"
            if let known = moduleAttributes[key] { return known }
            let value = try pythonModuleAttribute(module, name)
            moduleAttributes[key] = value
            return value
        }
        if let constant = moduleConstant(module, name) { return constant }
        return .function(Function("\(module).\(name)") { [unowned self] args, kwargs in
            try self.callModuleFunction(module, name, args, kwargs)
        })
    }

    /// The attributes of a module that are not its functions (submodules,
    /// dtypes, constants, the classes `torch.Tensor` and `torch.Size`).
    func moduleConstant(_ module: String, _ name: String) -> Value? {
        switch (module, name) {
        case ("torch", "nn"): return .module("torch.nn")
        case ("torch", "autograd"): return .module("torch.autograd")
        case ("torch", "optim"): return .module("torch.optim")
        case ("torch.nn", "functional"): return .module("torch.nn.functional")
        case ("torch", "float32"), ("torch", "float"): return .dtype(.float32)
        case ("torch", "float64"), ("torch", "double"): return .dtype(.float64)
        case ("torch", "int64"), ("torch", "long"): return .dtype(.int64)
        case ("torch", "bool"): return .dtype(.bool)
        case ("torch", "Tensor"): return .object(tensorClass)
        case ("torch.autograd", "Function"), ("torch.autograd.function", "Function"): return .object(autogradFunctionClass)
        case ("torch", "utils"): return .module("torch.utils")
        case ("torch.utils", "data"): return .module("torch.utils.data")
        case ("torch.utils.data", "Dataset"): return .object(datasetClass)
        case ("torch.nn", let n) where n.first?.isUppercase == true: return .object(nnClass(n))
        case ("torch", "Size"): return .function(Function("torch.Size") { args, _ in .size(args.first.flatMap(Arguments.ints) ?? []) })
        default: return nil
        }
    }

    /// `module.name(args...)`, the function `moduleAttribute` gives.
    func callModuleFunction(_ module: String, _ name: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        let arguments = try Arguments("\(module).\(name)", args, kwargs)
        let result = try callModuleFunction(module, name, arguments)
        try arguments.rejectUnreadKeywords()
        return result
    }

    private func callModuleFunction(_ module: String, _ name: String, _ a: Arguments) throws -> Value {
        switch module {
        case "torch": return try torchFunction(name, a)
        case "torch.autograd": return try autogradFunction(name, a)
        case "torch.nn.functional": return try functional(name, a)
        case "torch.nn": return try nnFunction(name, a)
        case "torch.optim": return try optimFunction(name, a)
        default:
            throw Raise.unsupported("\(module).\(name) is not supported by autograd-viz yet")
        }
    }

    // MARK: torch

    private func torchFunction(_ name: String, _ a: Arguments) throws -> Value {
        let rt = runtime
        switch name {
        case "tensor":
            guard let data = a.value(0, "data") else { throw Raise.type("tensor() missing 1 required positional arguments: \"data\"") }
            return .tensor(try makeTensor(data, dtype: a.dtype(nil, "dtype"), requiresGrad: a.bool(nil, "requires_grad", default: false)))
        case "zeros", "ones", "rand", "randn", "empty":
            let requested = try a.intList(from: 0, "size")
            if name == "zeros" && requested.contains(where: { $0 < 0 }) {
                throw Raise.runtime("zeros: Dimension size must be non-negative.")
            }
            let shape = try Tensor.validated(shape: requested)
            let dtype = try a.dtype(nil, "dtype") ?? .float32
            let t: Tensor
            switch name {
            case "rand": t = Tensor.rand(rt, shape: shape, dtype: dtype)
            case "randn": t = Tensor.randn(rt, shape: shape, dtype: dtype)
            case "ones": t = Tensor.full(rt, value: 1, shape: shape, dtype: dtype)
            default: t = Tensor.zeros(rt, shape: shape, dtype: dtype)
            }
            try t.setRequiresGrad(a.bool(nil, "requires_grad", default: false), viaMethod: false)
            return .tensor(t)
        case "full":
            guard let sizeArgument = a.value(0, "size"), let size = Arguments.ints(sizeArgument) else {
                throw Raise.type("full() missing required argument 'size' (a tuple of ints)")
            }
            let shape = try Tensor.validated(shape: size)
            guard let fill = a.value(1, "fill_value") else { throw Raise.type("full() missing required argument 'fill_value'") }
            let inferred: DType = { if case .float = fill { return .float32 }; if case .bool = fill { return .bool }; return .int64 }()
            let dtype = try a.dtype(nil, "dtype") ?? inferred
            let t = Tensor.full(rt, value: try a.double(1, "fill_value"), shape: shape, dtype: dtype)
            try t.setRequiresGrad(a.bool(nil, "requires_grad", default: false), viaMethod: false)
            return .tensor(t)
        case "zeros_like", "ones_like", "rand_like", "randn_like", "full_like", "empty_like":
            let like = try a.tensor(0, "input")
            let dtype = try a.dtype(nil, "dtype") ?? like.dtype
            let t: Tensor
            switch name {
            case "ones_like": t = Tensor.full(rt, value: 1, shape: like.shape, dtype: dtype)
            case "rand_like": t = Tensor.rand(rt, shape: like.shape, dtype: dtype)
            case "randn_like": t = Tensor.randn(rt, shape: like.shape, dtype: dtype)
            case "full_like": t = Tensor.full(rt, value: try a.double(1, "fill_value"), shape: like.shape, dtype: dtype)
            default: t = Tensor.zeros(rt, shape: like.shape, dtype: dtype)
            }
            try t.setRequiresGrad(a.bool(nil, "requires_grad", default: false), viaMethod: false)
            return .tensor(t)
        case "arange":
            let numbers = a.positional.compactMap(PythonNumbers.number)
            let (start, end, step): (Double, Double, Double)
            switch numbers.count {
            case 1: (start, end, step) = (0, try PythonNumbers.double(numbers[0]), 1)
            case 2: (start, end, step) = (try PythonNumbers.double(numbers[0]), try PythonNumbers.double(numbers[1]), 1)
            case 3: (start, end, step) = (try PythonNumbers.double(numbers[0]), try PythonNumbers.double(numbers[1]), try PythonNumbers.double(numbers[2]))
            default:
                (start, end, step) = (try a.double(nil, "start", default: 0), try a.double(nil, "end"), try a.double(nil, "step", default: 1))
            }
            let anyFloat = numbers.contains { if case .float = $0 { return true } else { return false } }
            let t = try Tensor.arange(rt, start: start, end: end, step: step, dtype: a.dtype(nil, "dtype") ?? (anyFloat ? .float32 : .int64))
            try t.setRequiresGrad(a.bool(nil, "requires_grad", default: false), viaMethod: false)
            return .tensor(t)
        case "linspace":
            let t = try Tensor.linspace(rt, start: a.double(0, "start"), end: a.double(1, "end"), steps: a.int(2, "steps"), dtype: a.dtype(nil, "dtype") ?? .float32)
            try t.setRequiresGrad(a.bool(nil, "requires_grad", default: false), viaMethod: false)
            return .tensor(t)
        case "eye":
            let t = try Tensor.eye(rt, n: a.int(0, "n"), m: a.optionalInt(1, "m"), dtype: a.dtype(nil, "dtype") ?? .float32)
            try t.setRequiresGrad(a.bool(nil, "requires_grad", default: false), viaMethod: false)
            return .tensor(t)
        case "randint":
            let ints = a.positional.compactMap { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
            let (low, high) = ints.count >= 2 ? (ints[0], ints[1]) : (try a.int(nil, "low", default: 0), try ints.first ?? a.int(nil, "high"))
            let sizeIndex = ints.count >= 2 ? 2 : 1
            guard let size = a.value(sizeIndex, "size").flatMap(Arguments.ints) else { throw Raise.type("randint() missing required argument 'size'") }
            _ = try Tensor.validated(shape: size)
            return .tensor(try Tensor.randint(rt, low: low, high: high, shape: size, dtype: a.dtype(nil, "dtype") ?? .int64))
        case "manual_seed":
            let seed = try a.int(0, "seed")
            rt.generator = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
            return .none
        case "no_grad": return gradModeContext(false)
        case "enable_grad": return gradModeContext(true)
        case "set_grad_enabled":
            // Unlike no_grad(), this switches at the call, so it also works as
            // a plain statement; as a `with` block it restores the old mode.
            let previous = rt.gradEnabled
            rt.gradEnabled = try a.bool(0, "mode", default: true)
            return .context(ContextManager(enter: { .none }, exit: { rt.gradEnabled = previous }))
        case "is_grad_enabled": return .bool(rt.gradEnabled)
        case "is_anomaly_enabled": return .bool(rt.anomalyDetection)
        case "is_anomaly_check_nan_enabled": return .bool(rt.anomalyCheckNaN)
        case "get_default_dtype": return .dtype(.float32)
        case "is_tensor":
            if case .tensor? = a.value(0, "obj") { return .bool(true) }
            return .bool(false)
        case "numel": return .int(try a.tensor(0, "input").numel)
        case "cat", "concat", "concatenate":
            return .tensor(try Tensor.cat(a.tensorList(0, "tensors"), dim: a.int(1, "dim", default: 0)))
        case "stack":
            return .tensor(try Tensor.stack(a.tensorList(0, "tensors"), dim: a.int(1, "dim", default: 0)))
        case "where":
            let condition = try a.tensor(0, "condition")
            guard let x = a.value(1, "input"), let y = a.value(2, "other") else {
                throw Raise.unsupported("torch.where(condition) with one argument is not supported")
            }
            let like = (try? a.tensor(1, "input")) ?? (try? a.tensor(2, "other")) ?? condition
            // Python numbers take part as wrapped scalars, so `where(c, ints, 0.5)`
            // promotes to float32 as PyTorch does.
            return .tensor(try Tensor.where(condition, tensorOperand(x, like: like), tensorOperand(y, like: like)))
        default:
            if Interpreter.sharedOps.contains(name) || ["clone", "detach"].contains(name) {
                let input = try a.tensor(0, "input")
                let rest = try Arguments(name, Array(a.positional.dropFirst()), a.keywords.filter { $0.0 != "input" },
                                         positionOffset: 1, sharing: a)
                if name == "clone" { return .tensor(try input.clone()) }
                if name == "detach" { return .tensor(input.detach()) }
                return try tensorOp(input, name, rest)
            }
            throw Raise.unsupported("torch.\(name) is not supported by autograd-viz")
        }
    }

    private func gradModeContext(_ enabled: Bool) -> Value {
        var saved = runtime.gradEnabled
        return .context(ContextManager(enter: { [unowned self] in
            saved = self.runtime.gradEnabled
            self.runtime.gradEnabled = enabled
            return .none
        }, exit: { [unowned self] in
            self.runtime.gradEnabled = saved
        }))
    }

    // MARK: torch.autograd

    private func autogradFunction(_ name: String, _ a: Arguments) throws -> Value {
        switch name {
        case "grad":
            try a.allowOnly(["outputs", "inputs", "grad_outputs", "retain_graph", "create_graph", "only_inputs",
                             "allow_unused", "is_grads_batched", "materialize_grads"])
            let outputs = try a.tensorList(0, "outputs"), inputs = try a.tensorList(1, "inputs")
            let gradOutputs: [Tensor?] = a.has(2, "grad_outputs") ? try a.tensorList(2, "grad_outputs") : []
            let create = try a.bool(4, "create_graph", default: false)
            let retain = try a.optionalBool(3, "retain_graph") ?? create
            let allowUnused = try a.bool(6, "allow_unused", default: false)
            let materialize = try a.bool(nil, "materialize_grads", default: false)
            var result: [Tensor?] = []
            try runBackward(kind: "autograd.grad", roots: outputs, retain: retain, create: create) {
                result = try Engine.grad(outputs: outputs, inputs: inputs, gradOutputs: gradOutputs, retainGraph: retain,
                                         createGraph: create, allowUnused: allowUnused || materialize)
            }
            return .tuple(zip(result, inputs).map { grad, input in
                if let grad { return .tensor(grad) }
                return materialize ? .tensor(Tensor.zeros(runtime, shape: input.shape, dtype: input.dtype)) : .none
            })
        case "backward":
            try a.allowOnly(["tensors", "grad_tensors", "retain_graph", "create_graph", "grad_variables", "inputs"])
            try a.refuseInputs()
            let roots = try a.tensorList(0, "tensors")
            let grads: [Tensor?] = a.has(1, "grad_tensors") ? try a.tensorList(1, "grad_tensors") : []
            let create = try a.bool(3, "create_graph", default: false)
            let retain = try a.optionalBool(2, "retain_graph") ?? create
            try runBackward(kind: "backward", roots: roots, retain: retain, create: create) {
                try Engine.backward(roots, grads: grads, retainGraph: retain, createGraph: create)
            }
            return .none
        case "set_detect_anomaly":
            // Switches at the call, and as a `with` block restores the old mode.
            let rt = runtime
            let saved = (rt.anomalyDetection, rt.anomalyCheckNaN)
            guard a.has(0, "mode") else { throw Raise.type("set_detect_anomaly.__init__() missing 1 required positional argument: 'mode'") }
            setAnomalyDetection(try a.bool(0, "mode", default: true), checkNaN: try a.bool(1, "check_nan", default: true))
            return .context(ContextManager(enter: { .none }, exit: { [unowned self] in self.setAnomalyDetection(saved.0, checkNaN: saved.1) }))
        case "detect_anomaly":
            // PyTorch warns when the object is made and remembers the mode then.
            let rt = runtime
            let saved = (rt.anomalyDetection, rt.anomalyCheckNaN)
            let checkNaN = try a.bool(0, "check_nan", default: true)
            warn("UserWarning: Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.")
            return .context(ContextManager(enter: { [unowned self] in
                self.setAnomalyDetection(true, checkNaN: checkNaN)
                return .none
            }, exit: { [unowned self] in self.setAnomalyDetection(saved.0, checkNaN: saved.1) }))
        default:
            throw Raise.unsupported("torch.autograd.\(name) is not supported by autograd-viz")
        }
    }

    // MARK: F and math

    private func functional(_ name: String, _ a: Arguments) throws -> Value {
        if let value = try nnFunctional(name, a) { return value }
        switch name {
        case "relu", "sigmoid", "tanh", "softmax", "log_softmax":
            let input = try a.tensor(0, "input")
            let rest = try Arguments(name, Array(a.positional.dropFirst()), a.keywords.filter { $0.0 != "input" },
                                     positionOffset: 1, sharing: a)
            return try tensorOp(input, name, rest)
        default:
            throw Raise.unsupported("torch.nn.functional.\(name) is not supported by autograd-viz yet")
        }
    }

    /// `torch.tensor(data)`: nested lists of numbers or bools, with PyTorch's
    /// dtype inference (any float → float32, else ints → int64, else bool).
    func makeTensor(_ data: Value, dtype: DType?, requiresGrad: Bool) throws -> Tensor {
        var values: [Double] = []
        var sawFloat = false, sawInt = false
        func shapeOf(_ v: Value, depth: Int) throws -> [Int] {
            // PyTorch allows at most 64 dimensions; a list holding itself would recurse forever.
            guard depth <= 64 else { throw Raise.value("too many dimensions '\(self.typeName(of: v))'") }
            switch v {
            case .int(let i): sawInt = true; values.append(Double(i)); return []
            case .float(let d): sawFloat = true; values.append(d); return []
            case .bool(let b): values.append(b ? 1 : 0); return []
            case .tensor(let t):
                guard t.numel == 1 else { throw Raise.value("only one element tensors can be converted to Python scalars") }
                if t.dtype.isFloatingPoint { sawFloat = true } else if t.dtype == .int64 { sawInt = true }
                values.append(try t.item())
                return []
            case .list, .tuple:
                let items = try self.items(of: v)
                var inner: [Int]? = nil
                for item in items {
                    let s = try shapeOf(item, depth: depth + 1)
                    if let inner, inner != s {
                        throw Raise.value("expected sequence of length \(inner.first ?? 0) at dim \(depth + 1) (got \(s.first ?? 0))")
                    }
                    inner = s
                }
                return [items.count] + (inner ?? [])
            default:
                if case .bigInt = v { throw Raise.value("Overflow when unpacking long long") }
                throw Raise.type("new(): invalid data type '\(v.typeName)'")
            }
        }
        if case .tensor(let t) = data {
            let copy = try Tensor.from(runtime, values: t.values, shape: t.shape, dtype: dtype ?? t.dtype)
            try copy.setRequiresGrad(requiresGrad, viaMethod: false)
            return copy
        }
        let shape = try shapeOf(data, depth: 0)
        let inferred: DType = sawFloat ? .float32 : (sawInt ? .int64 : (values.isEmpty ? .float32 : .bool))
        return try Tensor.from(runtime, values: values, shape: shape, dtype: dtype ?? inferred, requiresGrad: requiresGrad)
    }
}
