/// In-place ops (`add_`, `mul_`, `zero_`, `copy_`, `t[i] = v`, `+=`): they
/// write through this tensor's strides, bump the shared version counter, and
/// when autograd is recording, give the tensor a new grad_fn whose first edge
/// is its old history (PyTorch's rebase); written through a view, the view's
/// base gets `CopySlices` instead (Note [View rebase]).
extension Tensor {
    /// PyTorch's `check_inplace`, before any in-place write under grad mode:
    /// it runs when this tensor or another input (`othersRequireGrad`)
    /// requires grad; the leaf checks look at this tensor alone.
    func checkInPlace(othersRequireGrad: Bool = false) throws {
        guard runtime.gradEnabled, requiresGrad || othersRequireGrad else { return }
        if let base, viewVersion != nil {
            if viewCreation != .normal { throw TorchError.runtime(viewRebaseMessage(indirect: false)) }
            if requiresGrad && base.isLeaf {
                throw runtime.raise(Messages.viewOfLeafInPlace, .leafInPlace(leaf: base, throughView: true))
            }
        }
        if requiresGrad && isLeaf { throw runtime.raise(Messages.leafInPlace, .leafInPlace(leaf: self, throughView: false)) }
    }

    /// Runs an out-of-place `op` on this tensor, writes its result back into
    /// this tensor's storage, and moves the recorded history onto `self` (or,
    /// for a view, onto its base through CopySlices).
    func inPlace(_ op: (Tensor) throws -> Tensor) throws -> Tensor {
        try checkInPlace()
        try checkNotZeroTensor()
        // Compute on a tensor that carries this tensor's history, so the node
        // the op records has this tensor's old edge as its first input. Under
        // grad mode it is a copy: a formula that needs the original input
        // (clamp_, mul_ by a tensor that requires grad) saves it before the
        // write, as PyTorch's in-place formulas save `original_self`.
        let source = runtime.gradEnabled ? make(copiedStorage(), shape, dtype) : alias()
        source.gradFn = gradFn
        source.outputNr = outputNr
        source.leafRequiresGrad = leafRequiresGrad
        let result = try op(source)
        guard DType.canCast(result.dtype, to: dtype) else {
            throw TorchError.runtime("result type \(result.dtype.scalarTypeName) can't be cast to the desired output type \(dtype.scalarTypeName)")
        }
        guard Shape.isExpandable(result.shape, to: shape) || result.shape == shape else {
            throw TorchError.runtime("output with shape \(Shape.list(shape)) doesn't match the broadcast shape \(Shape.list(result.shape))")
        }
        let recorded = result !== source ? result.gradFn : nil
        let viewBase = viewVersion != nil ? base : nil
        if recorded != nil && viewBase != nil && viewCreation != .normal {
            throw TorchError.runtime(viewRebaseMessage(indirect: false))
        }
        write(result.values(broadcastTo: shape).map(dtype.round))
        versionCounter.bump(at: runtime.origin)
        guard let fn = recorded else { return self }
        // Saved outputs of the op point at this tensor now. A saved input
        // that is the tensor itself is its original value, which PyTorch's
        // in-place formulas keep as `self.clone()` (recorded: CloneBackward0,
        // which a create_graph backward goes through).
        for i in fn.saved.indices {
            if fn.saved[i].isOutput {
                fn.saved[i].retarget(self)
            } else if fn.saved[i].original === source {
                fn.saved[i] = SavedVariable(name: fn.saved[i].name, tensor: try source.clone(), isOutput: false)
            }
        }
        if let viewBase {
            rebaseHistory(onto: viewBase, fn)
        } else {
            gradFn = fn
            outputNr = result.outputNr
            if retainsGrad { fn.retainedOutputs[outputNr] = WeakTensor(tensor: self) }
        }
        return self
    }

    public func addInPlace(_ other: Tensor, alpha: Double = 1) throws {
        try checkOverlap(with: other)
        _ = try inPlace { try $0.add(other, alpha: alpha) }
    }
    public func subInPlace(_ other: Tensor, alpha: Double = 1) throws {
        try checkOverlap(with: other)
        _ = try inPlace { try $0.sub(other, alpha: alpha) }
    }
    public func mulInPlace(_ other: Tensor) throws {
        try checkOverlap(with: other)
        _ = try inPlace { try $0.mul(other) }
    }
    public func divInPlace(_ other: Tensor) throws {
        try checkOverlap(with: other)
        _ = try inPlace { try $0.div(other) }
    }

    /// How the memory of two tensors overlaps, as PyTorch's
    /// `get_overlap_status` decides it (offsets count elements here).
    enum MemoryOverlap { case none, full, partial, tooHard }

    func memoryOverlap(with other: Tensor) -> MemoryOverlap {
        if self === other { return .full }
        if numel == 0 || other.numel == 0 { return .none }
        guard isNonOverlappingAndDense && other.isNonOverlappingAndDense else { return .tooHard }
        guard storage === other.storage else { return .none }
        let (aBegin, aEnd) = (offset, offset + numel), (bBegin, bEnd) = (other.offset, other.offset + other.numel)
        if aBegin == bBegin && aEnd == bEnd { return strides == other.strides ? .full : .partial }
        return aBegin < bEnd && bBegin < aEnd ? .partial : .none
    }

    /// TensorIterator's checks before an in-place write, which PyTorch makes
    /// before it compares shapes: the written tensor must not hold one
    /// element twice (an expanded view), nor partly overlap an input.
    func checkOverlap(with input: Tensor?) throws {
        // Autograd's checks run first in PyTorch, before the kernel's.
        try checkInPlace(othersRequireGrad: input?.requiresGrad == true)
        if !isNonOverlappingAndDense, Swift.zip(shape, strides).contains(where: { $0.0 > 1 && $0.1 == 0 }) {
            throw TorchError.runtime("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.")
        }
        guard let input else { return }
        switch memoryOverlap(with: input) {
        case .partial:
            throw TorchError.runtime("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.")
        case .tooHard where storage === input.storage:
            // PyTorch lets strided views that share elements through; its
            // result then depends on the order its loop reads and writes
            // them, which a copy cannot reproduce: refused, never wrong.
            let written = Set(StridedOffsets(shape: shape, strides: strides, offset: offset))
            if StridedOffsets(shape: input.shape, strides: input.strides, offset: input.offset).contains(where: written.contains) {
                throw TorchError.notImplemented("autograd-viz does not model an in-place operation whose input shares elements with the written-to tensor (PyTorch's result depends on the order its kernel visits them); clone() the input first")
            }
        default: break
        }
    }

    /// `fill_(v)` with a number (FillBackward2: no gradient flows back).
    public func fillInPlace(_ value: Double) throws { try apply(.fill(value)) }

    /// `fill_(t)` with a 0-d tensor (FillBackward3: `t` gets the gradient's sum).
    public func fillInPlace(_ value: Tensor) throws {
        try checkOverlap(with: value)
        guard value.rank == 0 else {
            throw TorchError.runtime("fill_ only supports 0-dimension value tensor but got tensor with \(value.rank) dimensions.")
        }
        try apply(.fill(value))
    }

    /// `zero_()` (ZeroBackward0).
    public func zeroInPlace() throws { try apply(.fill(0, name: "ZeroBackward0")) }

    /// `copy_(src)` (CopyBackwards): the old values get no gradient, `src`
    /// gets it all (summed back if it was broadcast).
    public func copyInPlace(_ src: Tensor) throws {
        // PyTorch's kernel returns at once for `t.copy_(t)`, before its
        // overlap checks; autograd still records the write.
        if src === self { try checkInPlace() } else { try checkOverlap(with: src) }
        let broadcast = try Shape.broadcast(shape, src.shape)
        guard broadcast == shape else {
            throw TorchError.runtime("output with shape \(Shape.list(shape)) doesn't match the broadcast shape \(Shape.list(broadcast))")
        }
        try apply(.copy(src))
    }

    /// `t[index] = value` for a region of basic indexing (`select`, `slice`,
    /// `unsqueeze` views): PyTorch's `copy_to`, through CopySlices.
    public func setItem(_ region: @escaping (Tensor) throws -> Tensor, _ value: Tensor) throws {
        let target = try runtime.withGradMode(false) { try region(self) }
        try apply(Tensor.copyTo(target.shape, value), through: region)
    }

    /// Applies `update` to the whole tensor, recorded under the update's own name.
    func apply(_ update: InPlaceUpdate) throws {
        _ = try inPlace { source in
            let out = source.make(try update.forward(source), source.shape, source.dtype)
            return try Tensor.record(update.name, inputs: [source] + update.inputs, output: out, save: { node in
                for (name, tensor) in update.saved { node.save(name, tensor) }
            }, backward: update.backward)
        }
    }

    /// Applies `update` to the view `region` selects: PyTorch's
    /// `self[index] = value` is the same update on `self[index]`, which
    /// under autograd gives the base `CopySlices` (Note [View rebase]).
    func apply(_ update: InPlaceUpdate, through region: @escaping (Tensor) throws -> Tensor) throws {
        try region(self).apply(update)
    }
}

/// One in-place write, described once so it can be applied to a whole
/// tensor (recorded as its own node, e.g. `CopyBackwards`) or to a view of
/// it (the base then gets `CopySlices` around that node), as PyTorch does.
struct InPlaceUpdate {
    /// PyTorch's node name for the write on a whole tensor.
    let name: String
    /// The differentiable inputs besides the written tensor (values, fill tensors).
    let inputs: [Tensor]
    /// The target's new values in row-major order, from its current content.
    let forward: (Tensor) throws -> [Double]
    /// The gradients of the target and of each input, from the result's
    /// gradient (tensor ops, so create_graph works).
    let backward: (Node, Tensor) throws -> [Tensor?]
    /// The tensors PyTorch's node saves, by its names (`mask`, `indices`),
    /// shown in the graph; the formula itself reads what it captured.
    var saved: [(String, Tensor)] = []

    /// `fill_(number)` (FillBackward2; `zero_()` is ZeroBackward0).
    static func fill(_ value: Double, name: String = "FillBackward2") -> InPlaceUpdate {
        InPlaceUpdate(name: name, inputs: [],
                      forward: { t in [Double](repeating: t.dtype.round(value), count: t.numel) },
                      backward: { _, grad in [try grad.zerosLike()] })
    }

    /// `fill_(tensor)` with a 0-d tensor (FillBackward3).
    static func fill(_ value: Tensor) -> InPlaceUpdate {
        InPlaceUpdate(name: "FillBackward3", inputs: [value],
                      forward: { t in [Double](repeating: t.dtype.round(try value.item()), count: t.numel) },
                      backward: { node, grad in
                          [node.needsInputGrad(0) ? try grad.zerosLike() : nil,
                           node.needsInputGrad(1) ? try grad.sum() : nil]
                      })
    }

    /// `copy_(src)` (CopyBackwards); `src` must broadcast to the target.
    static func copy(_ src: Tensor) -> InPlaceUpdate {
        InPlaceUpdate(name: "CopyBackwards", inputs: [src],
                      forward: { t in src.values(broadcastTo: t.shape).map(t.dtype.round) },
                      backward: { node, grad in
                          [node.needsInputGrad(0) ? try grad.zerosLike() : nil, node.needsInputGrad(1) ? grad : nil]
                      })
    }
}
