/// In-place ops (`add_`, `mul_`, `zero_`, `copy_`, `t[i] = v`, `+=`): they
/// write through this tensor's strides, bump the shared version counter, and
/// when autograd is recording, give the tensor a new grad_fn whose first edge
/// is its old history (PyTorch's rebase).
extension Tensor {
    /// PyTorch's checks before any in-place write under grad mode.
    func checkInPlace() throws {
        guard runtime.gradEnabled else { return }
        if isLeaf && leafRequiresGrad { throw TorchError.runtime(Messages.leafInPlace) }
        if let base, base.isLeaf && base.leafRequiresGrad { throw TorchError.runtime(Messages.viewOfLeafInPlace) }
        if base?.requiresGrad == true {
            throw TorchError.notImplemented("autograd-viz does not model in-place operations on a view of a tensor that requires grad; apply the operation to the base tensor or use an out-of-place op")
        }
    }

    /// Runs an out-of-place `op` on this tensor, writes its result back into
    /// this tensor's storage, and moves the recorded history onto `self`.
    func inPlace(_ op: (Tensor) throws -> Tensor) throws -> Tensor {
        try checkInPlace()
        // Compute on an alias that carries this tensor's history, so the node
        // the op records has this tensor's old edge as its first input.
        let source = alias()
        source.gradFn = gradFn
        source.outputNr = outputNr
        source.leafRequiresGrad = leafRequiresGrad
        let result = try op(source)
        guard Shape.isExpandable(result.shape, to: shape) || result.shape == shape else {
            throw TorchError.runtime("output with shape \(Shape.list(shape)) doesn't match the broadcast shape \(Shape.list(result.shape))")
        }
        write(result.values(broadcastTo: shape).map(dtype.round))
        versionCounter.bump()
        if let fn = result.gradFn {
            gradFn = fn
            outputNr = result.outputNr
            // Saved outputs of the op point at this tensor now.
            for variable in fn.saved where variable.isOutput { variable.retarget(self) }
            if retainsGrad { fn.retainedOutputs[outputNr] = WeakTensor(tensor: self) }
        }
        return self
    }

    public func addInPlace(_ other: Tensor, alpha: Double = 1) throws { _ = try inPlace { try $0.add(other, alpha: alpha) } }
    public func subInPlace(_ other: Tensor, alpha: Double = 1) throws { _ = try inPlace { try $0.sub(other, alpha: alpha) } }
    public func mulInPlace(_ other: Tensor) throws { _ = try inPlace { try $0.mul(other) } }
    public func divInPlace(_ other: Tensor) throws { _ = try inPlace { try $0.div(other) } }

    /// `zero_()` / `fill_(v)` (ZeroBackward0 / FillBackward0: no gradient flows back).
    public func fillInPlace(_ value: Double) throws {
        _ = try inPlace { source in
            let out = source.make([Double](repeating: dtype.round(value), count: numel), shape, dtype)
            return Tensor.record(value == 0 ? "ZeroBackward0" : "FillBackward0", inputs: [source], output: out) { _, grad in
                [try grad.zerosLike()]
            }
        }
    }

    /// `copy_(src)` (CopyBackwards): the old values get no gradient, `src` gets it all.
    public func copyInPlace(_ src: Tensor) throws {
        _ = try inPlace { source in
            let out = source.make(src.values(broadcastTo: shape).map(dtype.round), shape, dtype)
            return Tensor.record("CopyBackwards", inputs: [source, src], output: out) { node, grad in
                [node.needsInputGrad(0) ? try grad.zerosLike() : nil, node.needsInputGrad(1) ? grad : nil]
            }
        }
    }

    /// `t[index] = value`: writes into the selected region; under autograd
    /// the tensor's grad_fn becomes `CopySlices` over its old history and the
    /// value's.
    public func setItem(_ region: @escaping (Tensor) throws -> Tensor, _ value: Tensor) throws {
        if runtime.gradEnabled && isLeaf && leafRequiresGrad { throw TorchError.runtime(Messages.viewOfLeafInPlace) }
        if runtime.gradEnabled, let base, base.requiresGrad {
            throw TorchError.notImplemented("autograd-viz does not model assignment into a view of a tensor that requires grad; assign into the base tensor")
        }
        let target = try runtime.withGradMode(false) { try region(self) }
        let expanded = try Shape.broadcast(target.shape, value.shape)
        guard expanded == target.shape else {
            throw TorchError.runtime("shape mismatch: value tensor of shape \(Shape.list(value.shape)) cannot be broadcast to indexing result of shape \(Shape.list(target.shape))")
        }
        let history = alias()
        history.gradFn = gradFn
        history.outputNr = outputNr
        target.write(value.values(broadcastTo: target.shape).map(dtype.round))
        versionCounter.bump()
        guard runtime.gradEnabled, requiresGrad || value.requiresGrad else { return }
        let node = Node(name: "CopySlices", runtime: runtime, inputs: [history, value]) { node, grads in
            guard let grad = grads[0] else { return [nil, nil] }
            var result: [Tensor?] = [nil, nil]
            if node.needsInputGrad(0) {
                let g = try grad.clone()
                try g.runtime.withGradMode(false) { try region(g).write([Double](repeating: 0, count: target.numel)) }
                result[0] = g
            }
            if node.needsInputGrad(1) { result[1] = try region(grad) }
            return result
        }
        gradFn = node
        outputNr = 0
    }
}
