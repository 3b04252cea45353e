/// A `torch.autograd.Function` the script defines: its forward ran (under
/// no_grad) in the interpreter; this records one node for it, named as
/// PyTorch names it (`MyReLUBackward`), whose formula is the script's
/// `backward`.
///
/// As in PyTorch (`THPFunction_apply`), the node's edges are the tensor
/// arguments only; the script's `backward` returns one gradient per
/// argument of `forward`, None for the ones that are not tensors (extra
/// trailing Nones are dropped).
public struct CustomFunctionCall {
    /// `MyReLUBackward`.
    public let name: String
    /// Every argument of `forward` after `ctx`: a tensor, or nil for any
    /// other value.
    public let arguments: [Tensor?]
    /// What `forward` returned.
    public let output: Tensor
    /// `ctx.save_for_backward(...)` (nil entries for `None`).
    public let saved: [Tensor?]
    /// `ctx.mark_dirty(...)`: inputs forward changed in place.
    public let dirty: [Tensor]
    /// `ctx.mark_non_differentiable(...)`.
    public let nonDifferentiable: [Tensor]

    public init(name: String, arguments: [Tensor?], output: Tensor, saved: [Tensor?], dirty: [Tensor], nonDifferentiable: [Tensor]) {
        self.name = name
        self.arguments = arguments
        self.output = output
        self.saved = saved
        self.dirty = dirty
        self.nonDifferentiable = nonDifferentiable
    }
}

extension Tensor {
    /// Connects a custom Function's output to the graph: nil node when
    /// grad mode is off or no tensor argument requires grad (the output
    /// then has no history). `backward` maps the output's gradient to one
    /// value per argument; it runs with the node's saved tensors unpacked
    /// by `CustomFunctionNode.savedTensors()`.
    public static func recordCustomFunction(_ call: CustomFunctionCall,
                                            backward: @escaping (CustomFunctionNode, Tensor) throws -> [Tensor?]) throws -> (output: Tensor, node: CustomFunctionNode?) {
        let tensorArguments = call.arguments.compactMap { $0 }
        var output = call.output
        let isDirty = call.dirty.contains { $0 === output }
        guard output.runtime.gradEnabled, tensorArguments.contains(where: \.requiresGrad),
              !call.nonDifferentiable.contains(where: { $0 === output }) else {
            return (output, nil)
        }
        if isDirty {
            if output.isLeaf && output.leafRequiresGrad {
                throw output.runtime.raise(Messages.leafInPlace, .leafInPlace(leaf: output, throughView: false))
            }
        } else if tensorArguments.contains(where: { $0 === output }) || output.gradFn != nil {
            // An input returned as it is (or a tensor with history of its
            // own) becomes a new tensor over the same data, as PyTorch's
            // `_wrap_outputs` makes a view of it.
            output = output.alias()
        }
        let node = CustomFunctionNode(name: call.name, runtime: output.runtime, inputs: tensorArguments,
                                      argumentIsTensor: call.arguments.map { $0 != nil }, backward: backward)
        // PyTorch keeps them as `saved_tensors`; a snapshot names each by its
        // position there.
        for (k, t) in call.saved.enumerated() {
            guard let t else { continue }
            node.save("saved_tensors[\(k)]", t, isOutput: t === call.output)
        }
        node.savedCount = call.saved.count
        node.savedIsNone = call.saved.map { $0 == nil }
        output.gradFn = node
        output.outputNr = 0
        output.leafRequiresGrad = false
        return (output, node)
    }
}

/// The node of a custom Function (PyTorch's `BackwardCFunction` subclass).
public final class CustomFunctionNode: Node {
    /// Which arguments of `forward` were tensors (the others get no edge).
    public let argumentIsTensor: [Bool]
    /// The script's `ctx`, kept alive by its node (as PyTorch's ctx is the node).
    public var context: AnyObject?
    fileprivate(set) var savedCount = 0
    fileprivate(set) var savedIsNone: [Bool] = []

    init(name: String, runtime: Runtime, inputs: [Tensor], argumentIsTensor: [Bool],
         backward: @escaping (CustomFunctionNode, Tensor) throws -> [Tensor?]) {
        self.argumentIsTensor = argumentIsTensor
        super.init(name: name, runtime: runtime, edges: { Node.edges(of: inputs) }) { node, grad in
            // The script's gradients, one per argument, become one per edge.
            var perArgument = try backward(node as! CustomFunctionNode, grad)
            let expected = argumentIsTensor.count
            // Too many gradients are fine when the extra ones are all None:
            // PyTorch (PyNode::apply) drops them.
            if perArgument.count > expected, perArgument[expected...].allSatisfy({ $0 == nil }) {
                perArgument.removeLast(perArgument.count - expected)
            }
            guard perArgument.count == expected else {
                throw TorchError.runtime("function \(name) returned an incorrect number of gradients (expected \(expected), got \(perArgument.count))")
            }
            var out: [Tensor?] = []
            for (k, g) in perArgument.enumerated() {
                if argumentIsTensor[k] {
                    out.append(g)
                } else if g != nil {
                    throw TorchError.runtime("function \(name) returned a gradient different than None at position \(k + 1), but the corresponding forward input was not a Variable")
                }
            }
            return out
        }
    }

    /// `ctx.saved_tensors`: checked for release and in-place changes.
    public func savedTensors() throws -> [Tensor?] {
        var unpacked = try saved.map { try $0.unpack(owner: self) }.makeIterator()
        return savedIsNone.map { $0 ? nil : unpacked.next() }
    }

    /// `ctx.needs_input_grad`: per argument of `forward`.
    public var needsInputGradients: [Bool] {
        var edge = 0
        return argumentIsTensor.map { isTensor in
            guard isTensor else { return false }
            defer { edge += 1 }
            return needsInputGrad(edge)
        }
    }
}
