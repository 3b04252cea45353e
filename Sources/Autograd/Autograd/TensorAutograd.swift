/// The autograd methods scripts call on tensors: `retain_grad`, `detach_`,
/// `register_hook`, reading saved tensors of a grad_fn.
extension Tensor {
    /// `retain_grad()`: a non-leaf keeps its `.grad` after backward. A no-op
    /// on leaves, as in PyTorch.
    public func retainGrad() throws {
        guard requiresGrad else { throw TorchError.runtime("can't retain_grad on Tensor that has requires_grad=False") }
        try checkViewRebase()
        guard let fn = gradFn else { return }
        retainsGrad = true
        fn.retainedOutputs[outputNr] = WeakTensor(tensor: self)
    }

    /// `detach_()`: this tensor leaves the graph and becomes a leaf.
    public func detachInPlace() throws {
        // Any view a view op made, whether it requires grad or not.
        if viewVersion != nil {
            throw TorchError.runtime("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        }
        gradFn = nil
        outputNr = 0
        leafRequiresGrad = false
        retainsGrad = false
    }

    /// `register_hook(fn)`: `fn` sees the gradient flowing into this tensor
    /// and may return a replacement. Returns an id for `removeHook`.
    public func registerHook(_ fn: @escaping (Tensor?) throws -> Tensor?) throws -> Int {
        guard requiresGrad else {
            throw TorchError.runtime("cannot register a hook on a tensor that doesn't require gradient")
        }
        try checkViewRebase()
        let id = runtime.nextSequenceNr()
        if let node = gradFn {
            node.tensorPreHooks[outputNr, default: []].append((id, fn))
        } else {
            hooks.append((id, fn))
        }
        return id
    }

    public func removeHook(_ id: Int) {
        hooks.removeAll { $0.id == id }
        if let node = gradFn {
            node.tensorPreHooks[outputNr]?.removeAll { $0.id == id }
        }
    }

    /// `clamp_(min, max)`.
    public func clampInPlace(min lo: Double?, max hi: Double?) throws {
        try checkOverlap(with: nil)
        _ = try inPlace { try $0.clamp(min: lo, max: hi) }
    }
}

extension Node {
    /// `grad_fn._saved_<name>`: the saved tensor, or PyTorch's error once
    /// freed; nil when this function saved nothing by that name.
    public func savedTensor(named name: String) throws -> Tensor? {
        guard saved.contains(where: { $0.name == name }) else { return nil }
        return try saved(name)
    }
}
