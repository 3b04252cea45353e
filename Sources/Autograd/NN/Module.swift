import Foundation

/// A `torch.nn.Module`: parameters, buffers and child modules, each named
/// and kept in registration order, a training flag, and a forward.
///
/// Subclasses are the layers and losses of `torch.nn`; a bare `Module`
/// (`nn.Module()` in a script) is a container whose children are attached
/// by attribute assignment. Every call goes through `call`, which records
/// the module's scope so the graph nodes its forward creates know it.
public class Module {
    public let runtime: Runtime
    /// PyTorch's class name (`type(m).__name__`): `Linear`, `Sequential`.
    public let typeName: String
    /// `.training`: set by `train()`/`eval()` on this module and its children.
    public var training = true
    /// `_parameters`: nil for a registered but absent one (`bias=False`).
    public private(set) var parameterSlots: [(name: String, tensor: Tensor?)] = []
    /// `_buffers` (BatchNorm's running statistics).
    public private(set) var bufferSlots: [(name: String, tensor: Tensor?)] = []
    /// `_modules`: nil for a child the script set to None (`self.fc = None`),
    /// which keeps its place and prints as `(fc): None`.
    public private(set) var childSlots: [(name: String, module: Module?)] = []
    /// The children that are modules, as `named_children()` lists them.
    public var children: [(name: String, module: Module)] {
        childSlots.compactMap { slot in slot.module.map { (slot.name, $0) } }
    }

    public init(runtime: Runtime, typeName: String = "Module") {
        self.runtime = runtime
        self.typeName = typeName
    }

    // MARK: Registration

    /// `register_parameter(name, p)`, or `self.name = nn.Parameter(...)`.
    public func registerParameter(_ name: String, _ tensor: Tensor?) {
        if let i = parameterSlots.firstIndex(where: { $0.name == name }) {
            parameterSlots[i].tensor = tensor
        } else {
            parameterSlots.append((name, tensor))
        }
    }

    /// `register_buffer(name, t)`.
    public func registerBuffer(_ name: String, _ tensor: Tensor?) {
        if let i = bufferSlots.firstIndex(where: { $0.name == name }) {
            bufferSlots[i].tensor = tensor
        } else {
            bufferSlots.append((name, tensor))
        }
    }

    /// `add_module(name, m)`, or `self.name = module` (or None): a child of
    /// that name is replaced where it stands, a new one goes last.
    public func addModule(_ name: String, _ module: Module?) {
        if let i = childSlots.firstIndex(where: { $0.name == name }) {
            childSlots[i].module = module
        } else {
            childSlots.append((name, module))
        }
    }

    /// `del module.name` (`nn.Module.__delattr__`): removes a registered
    /// parameter, else buffer, else child; false when `name` is none of them.
    public func removeRegistered(_ name: String) -> Bool {
        if let i = parameterSlots.firstIndex(where: { $0.name == name }) {
            parameterSlots.remove(at: i)
        } else if let i = bufferSlots.firstIndex(where: { $0.name == name }) {
            bufferSlots.remove(at: i)
        } else if let i = childSlots.firstIndex(where: { $0.name == name }) {
            childSlots.remove(at: i)
        } else {
            return false
        }
        return true
    }

    /// Whether `name` is a registered parameter, buffer or child.
    public func parameter(named name: String) -> Tensor?? { parameterSlots.first { $0.name == name }.map(\.tensor) }
    public func buffer(named name: String) -> Tensor?? { bufferSlots.first { $0.name == name }.map(\.tensor) }
    public func child(named name: String) -> Module?? { childSlots.first { $0.name == name }.map(\.module) }

    // MARK: Traversal (PyTorch's named_* with remove_duplicate=True)

    /// `named_modules()`: this module, then its children depth-first, each
    /// module once, with dotted names (`""`, `"0"`, `"head.1"`).
    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, module: Module)] = []
        var stack: [(String, Module)] = [(prefix, self)]
        while let (name, module) = stack.popLast() {
            guard seen.insert(ObjectIdentifier(module)).inserted else { continue }
            out.append((name, module))
            for (childName, child) in module.children.reversed() {
                stack.append((name.isEmpty ? childName : "\(name).\(childName)", child))
            }
        }
        return out
    }

    /// `named_parameters()`: `weight`, `0.bias`, `fc1.weight`, each tensor once.
    public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        Self.named(namedModules(prefix: prefix)) { $0.parameterSlots }
    }

    /// `named_buffers()`: `running_mean`, `bn.num_batches_tracked`, ...
    public func namedBuffers(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        Self.named(namedModules(prefix: prefix)) { $0.bufferSlots }
    }

    public var parameters: [Tensor] { namedParameters().map(\.tensor) }

    private static func named(_ modules: [(name: String, module: Module)],
                              _ slots: (Module) -> [(name: String, tensor: Tensor?)]) -> [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, tensor: Tensor)] = []
        for (prefix, module) in modules {
            for (name, tensor) in slots(module) {
                guard let tensor, seen.insert(ObjectIdentifier(tensor)).inserted else { continue }
                out.append((prefix.isEmpty ? name : "\(prefix).\(name)", tensor))
            }
        }
        return out
    }

    // MARK: Modes and gradients

    /// `train(mode)` and `eval()` (`train(False)`), recursively.
    public func train(_ mode: Bool = true) {
        for (_, module) in namedModules() { module.training = mode }
    }

    /// `zero_grad(set_to_none=True)`: grads become None (PyTorch 2's
    /// default), or are zeroed in place.
    public func zeroGrad(setToNone: Bool = true) throws {
        try Self.zeroGrad(parameters, setToNone: setToNone)
    }

    static func zeroGrad(_ params: [Tensor], setToNone: Bool) throws {
        for p in params {
            guard let grad = p.grad else { continue }
            if setToNone {
                p.grad = nil
            } else {
                // PyTorch detaches a grad with history, then zeroes it in place.
                if grad.gradFn != nil { try grad.detachInPlace() }
                try p.runtime.withGradMode(false) { try grad.zeroInPlace() }
            }
        }
    }

    /// `requires_grad_(flag)` on every parameter (freezing a layer).
    public func requiresGrad(_ flag: Bool) throws {
        for p in parameters { try p.setRequiresGrad(flag) }
    }

    // MARK: Forward

    /// The forward's parameter names after `self`, for PyTorch's TypeError
    /// when a call passes too many or too few.
    public var forwardArguments: [String] { ["input"] }

    /// The ATen function a layer's forward starts with, as PyTorch's
    /// messages name it for a non-tensor argument (`relu(): argument ...`).
    public var kernelName: String { "forward" }

    /// Whether the forward depends on `training` (the scope records the mode).
    public var isModeDependent: Bool { false }

    /// `module(*inputs)`: checks the argument count, then runs `forward`
    /// inside this module's scope. `path` names the module in the script
    /// (`model.0`); children get `path.name`.
    public func call(_ inputs: [Tensor], path: String) throws -> Tensor {
        let expected = forwardArguments
        if inputs.count > expected.count {
            throw TorchError.type("\(typeName).forward() takes \(expected.count + 1) positional arguments but \(inputs.count + 1) were given")
        }
        if inputs.count < expected.count {
            let missing = expected[inputs.count...].map { "'\($0)'" }
            let list = missing.count == 1 ? missing[0]
                : missing.dropLast().joined(separator: ", ") + " and " + missing[missing.count - 1]
            throw TorchError.type("\(typeName).forward() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
        }
        let scope = ModuleScope(path: path, summary: summary, training: isModeDependent ? training : nil)
        return try runtime.withModuleScope(scope) { try forward(inputs, path: path) }
    }

    /// The computation; `path` is this module's, for its children's scopes.
    func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        throw TorchError.notImplemented("Module [\(typeName)] is missing the required \"forward\" function")
    }

    /// Joins a child's name onto its parent's path.
    static func childPath(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    // MARK: Printing

    /// `extra_repr()`: the arguments PyTorch prints inside the parentheses.
    public var extraRepr: String { "" }

    /// A short label for scopes: `Linear(4, 8)`, `ReLU()`; containers print
    /// their type name only.
    public var summary: String { children.isEmpty ? "\(typeName)(\(extraRepr))" : typeName }

    /// How deep modules may nest, in a call or a repr: Python's recursion
    /// limit, which is what stops PyTorch on a module that contains itself.
    public static let maxNesting = 1000

    /// The children as `repr` lists them: name and text.
    func childDescriptions(nesting: Int) throws -> [(name: String, text: String)] {
        try childSlots.map { ($0.name, try $0.module?.repr(nesting: nesting + 1) ?? "None") }
    }

    /// `repr(module)` exactly as PyTorch prints it; a module nested in
    /// itself (`m.m = m`) raises RecursionError as PyTorch's does.
    public func repr(nesting: Int = 0) throws -> String {
        guard nesting < Module.maxNesting else { throw TorchError.recursion(Messages.recursion) }
        let extraLines = extraRepr.isEmpty ? [] : extraRepr.components(separatedBy: "\n")
        let childLines = try childDescriptions(nesting: nesting).map { name, text in
            "(\(name)): " + text.replacingOccurrences(of: "\n", with: "\n  ")
        }
        let lines = extraLines + childLines
        guard !lines.isEmpty else { return "\(typeName)()" }
        if extraLines.count == 1 && childLines.isEmpty { return "\(typeName)(\(extraLines[0]))" }
        return "\(typeName)(\n  " + lines.joined(separator: "\n  ") + "\n)"
    }

    /// `repr`, for Swift's printing; a module nested in itself prints its
    /// type name.
    public var description: String { (try? repr()) ?? "\(typeName)(...)" }
}
