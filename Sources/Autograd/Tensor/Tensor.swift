/// A strided view of a `Storage`, with PyTorch's autograd state.
///
/// Tensors are reference types, as Python objects are: `b = a` binds the same
/// tensor, and views (`view`, `t()`, slicing, `detach()`) share storage and the
/// version counter with the tensor they came from.
public final class Tensor {
    // The layout never changes after creation (in-place ops write through
    // it), so these are constants, which also spares every read the runtime
    // exclusivity check a `var` of a class gets.
    public let runtime: Runtime
    /// Creation order within the runtime; snapshots name tensors by it.
    public let id: Int
    public let storage: Storage
    public let shape: [Int]
    public let strides: [Int]
    public let offset: Int
    public let dtype: DType
    /// The version counter, shared with this tensor's views and `detach()`
    /// results. Made on first use: most tensors are fresh results that are
    /// never viewed nor written in place, and their version is simply 0.
    @exclusivity(unchecked) private var sharedVersionCounter: VersionCounter?
    /// PyTorch's `_base`: the tensor this one is a view of.
    public let base: Tensor?
    /// A Python number turned into a 0-d tensor for an op (`a * 2`); it takes
    /// a lower part in type promotion.
    public let isWrappedNumber: Bool

    // MARK: Autograd state
    // Read by every op that records (and the engine, per node), each read a
    // short one that never overlaps a write: `@exclusivity(unchecked)` spares
    // them the runtime's exclusivity bookkeeping, which cost more than the
    // reads themselves. (The same holds for the hot state of `Runtime`,
    // `Node` and the interpreter's globals.)
    /// `requires_grad` of a leaf; a non-leaf requires grad through its `gradFn`.
    @exclusivity(unchecked) var leafRequiresGrad = false
    @exclusivity(unchecked) private var recordedGradFn: Node?
    /// `grad_fn`. A view whose version counter moved since its grad_fn was
    /// made (its base or another view was written in place) gets a new one,
    /// `AsStridedBackward0` of its base, when next asked, as PyTorch's
    /// `VariableHooks::grad_fn` does (see Note [View rebase]).
    ///
    /// A view whose writes PyTorch forbids (`viewCreation` other than
    /// `.normal`) keeps its stale grad_fn here; reading it where PyTorch
    /// does raises its error instead (`checkViewRebase`).
    public internal(set) var gradFn: Node? {
        get {
            guard let madeAt = viewVersion, madeAt != version, let base else { return recordedGradFn }
            if viewCreation != .normal { return recordedGradFn }
            return regeneratedViewGradFn(base: base)
        }
        set { recordedGradFn = newValue }
    }
    /// A view's grad_fn as recorded, without regenerating it.
    var recordedViewGradFn: Node? { recordedGradFn }
    /// For a view made by a view op (not an alias): the version its grad_fn
    /// belongs to (PyTorch's `attr_version`); nil for every other tensor.
    @exclusivity(unchecked) var viewVersion: Int?
    /// How a view came to be (PyTorch's `CreationMeta`): writing into a view
    /// made under no_grad, or into one of several views one op returned, is
    /// refused under grad mode. A view of such a view inherits it.
    var viewCreation = ViewCreation.normal
    /// Which output of `gradFn` this tensor is.
    @exclusivity(unchecked) public internal(set) var outputNr = 0
    /// Set by the engine on a gradient a backward formula returned a view of
    /// (`grad.t()`, `grad.view(...)`): its storage is shared from then on,
    /// so it is never accumulated into in place (the view, perhaps stolen as
    /// a leaf's `.grad`, would change). See Note [Holders of a gradient].
    @exclusivity(unchecked) var hasGradientViews = false
    /// `.grad`: nil until a backward reaches this tensor.
    @exclusivity(unchecked) public var grad: Tensor?
    @exclusivity(unchecked) public internal(set) var retainsGrad = false
    /// The AccumulateGrad node of a leaf, kept only while a graph holds it, so
    /// every use of one leaf in one graph shares a node (as in PyTorch).
    @exclusivity(unchecked) weak var accumulator: AccumulateGrad?
    /// The leaf's AccumulateGrad while a graph holds it (for snapshots).
    public var accumulatorIfAlive: AccumulateGrad? { accumulator }
    /// A leaf's hooks registered with `register_hook`, run on its gradient
    /// before AccumulateGrad (a non-leaf's live on its grad_fn).
    @exclusivity(unchecked) var hooks: [(id: Int, fn: (Tensor?) throws -> Tensor?)] = []

    // MARK: Provenance for the debugger's pictures
    /// The tensor `detach()` was called on, so a picture can draw the cut.
    public internal(set) weak var detachedFrom: Tensor?
    /// Created while grad mode was off from an input that required grad, or
    /// from another such result.
    public internal(set) var createdUnderNoGrad = false
    /// The script position that made this tensor (`Runtime.origin` then).
    public let origin: SourceOrigin
    /// An `nn.Parameter` (a module's weight): prints as "Parameter containing:".
    public internal(set) var isParameter = false

    init(runtime: Runtime, storage: Storage, shape: [Int], strides: [Int], offset: Int,
         dtype: DType, versionCounter: VersionCounter? = nil, base: Tensor? = nil,
         isWrappedNumber: Bool = false) {
        self.runtime = runtime
        self.id = runtime.nextTensorID()
        self.origin = runtime.origin
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.sharedVersionCounter = versionCounter
        self.base = base
        self.isWrappedNumber = isWrappedNumber
    }

    /// A new contiguous tensor holding `values` (already rounded to `dtype`).
    public convenience init(runtime: Runtime, values: [Double], shape: [Int], dtype: DType) {
        precondition(values.count == Shape.numel(shape), "values do not fill the shape")
        self.init(runtime: runtime, storage: Storage.of(values), shape: shape,
                  strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    // MARK: Metadata
    public var rank: Int { shape.count }
    public var numel: Int { Shape.numel(shape) }
    public var isLeaf: Bool { gradFn == nil }
    /// A view made under no_grad of a tensor that requires grad requires
    /// grad too, with no grad_fn and no AccumulateGrad of its own (PyTorch's
    /// `DifferentiableViewMeta::requires_grad`): ops on it record, but no
    /// gradient reaches it or its base.
    public var requiresGrad: Bool {
        gradFn != nil || leafRequiresGrad || (viewVersion != nil && base?.requiresGrad == true)
    }
    public var version: Int { sharedVersionCounter?.value ?? 0 }

    public var versionCounter: VersionCounter {
        if let counter = sharedVersionCounter { return counter }
        let counter = VersionCounter()
        sharedVersionCounter = counter
        return counter
    }

    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected *= shape[i]
        }
        return true
    }

    /// PyTorch's `is_non_overlapping_and_dense`: some permutation of the
    /// dimensions is contiguous (a transpose is; an expand or a slice with
    /// gaps is not).
    var isNonOverlappingAndDense: Bool {
        let order = shape.indices.sorted { a, b in
            (shape[a] < 2 ? 1 : 0, strides[a]) < (shape[b] < 2 ? 1 : 0, strides[b])
        }
        var required = 1
        for d in order {
            if shape[d] < 2 { return true }
            if strides[d] != required { return false }
            required *= shape[d]
        }
        return true
    }

    /// Whether `strides` are exactly `Shape.contiguousStrides(shape)` (not
    /// only equivalent to them, as `isContiguous` allows for size-1
    /// dimensions), so a result of the same shape can share the array.
    var hasContiguousStrides: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            if strides[i] != expected { return false }
            expected *= Swift.max(shape[i], 1)
        }
        return true
    }

    // MARK: Element access
    /// The elements in row-major order.
    public var values: [Double] {
        let count = numel
        return [Double](unsafeUninitializedCapacity: count) { out, initialized in
            copyElements(into: out)
            initialized = count
        }
    }

    /// Runs `body` on the elements in row-major order: straight from the
    /// storage when the tensor is laid out contiguously, else on a copy.
    public func withValues<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        if hasContiguousStrides {
            return try storage.withElements { elements in
                try body(UnsafeBufferPointer(rebasing: elements[offset..<(offset + numel)]))
            }
        }
        return try values.withUnsafeBufferPointer(body)
    }

    /// The elements in row-major order, in a storage of their own (one copy,
    /// where `make(values, ...)` would make two).
    func copiedStorage() -> Storage {
        Storage.make(count: numel) { copyElements(into: $0) }
    }

    /// Runs `body` on this tensor's elements in place when they are laid out
    /// row-major (a contiguous tensor, wherever it starts in its storage),
    /// else on a row-major copy: how ops read an operand without copying it.
    func withRowMajorElements<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        let count = numel
        guard isContiguous else { return try values.withUnsafeBufferPointer(body) }
        return try storage.withElements { data in
            try body(UnsafeBufferPointer(rebasing: data[offset..<(offset + count)]))
        }
    }

    /// Copies the elements, in row-major order, into `out` (at least `numel` long).
    private func copyElements(into out: UnsafeMutableBufferPointer<Double>) {
        let count = numel
        guard count > 0 else { return }
        storage.withElements { data in
            if isContiguous {
                out.baseAddress!.initialize(from: data.baseAddress! + offset, count: count)
            } else {
                gather(UnsafeBufferPointer(data), into: out)
            }
        }
    }

    /// Copies a strided layout into `out` a row at a time: transposed and
    /// sliced operands of small matrix ops take this path on every call.
    private func gather(_ data: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let rowLength = shape.last ?? 1, step = strides.last ?? 0
        Shape.forEachRow(shape, strides: strides, offset: offset) { row, start in
            let o = row * rowLength
            for j in 0..<rowLength { out[o + j] = data[start + j * step] }
        }
    }

    /// The elements as nested row-major lists (`tolist()`, run documents):
    /// `scalar` makes a leaf from an element, `list` a level from its items.
    public func nested<T>(scalar: (Double) -> T, list: ([T]) -> T) -> T {
        let flat = values
        func build(_ dim: Int, _ offset: Int) -> T {
            if dim == rank { return scalar(flat[offset]) }
            let stride = shape[(dim + 1)...].reduce(1, *)
            return list((0..<shape[dim]).map { build(dim + 1, offset + $0 * stride) })
        }
        return build(0, 0)
    }

    /// The single value of a one-element tensor (`item()`), PyTorch's text otherwise.
    public func item() throws -> Double {
        guard numel == 1 else {
            throw TorchError.runtime("a Tensor with \(numel) elements cannot be converted to Scalar")
        }
        return storage.withElements { $0[offset] }
    }

    /// Writes `values` (row-major, already rounded) through this tensor's strides.
    /// Callers bump the version counter; this is the one raw write path.
    func write(_ newValues: [Double]) {
        precondition(newValues.count == numel, "values do not fill the shape")
        storage.withElements { data in
            if isContiguous {
                for (i, v) in newValues.enumerated() { data[offset + i] = v }
                return
            }
            var i = 0
            for o in StridedOffsets(shape: shape, strides: strides, offset: offset) {
                data[o] = newValues[i]
                i += 1
            }
        }
    }

    /// A new tensor with the same runtime (the constructor every op uses).
    func make(_ values: [Double], _ shape: [Int], _ dtype: DType) -> Tensor {
        Tensor(runtime: runtime, values: values, shape: shape, dtype: dtype)
    }

    /// A new contiguous tensor over `storage`, which holds its elements.
    func make(_ storage: Storage, _ shape: [Int], _ dtype: DType) -> Tensor {
        precondition(storage.count == Shape.numel(shape), "values do not fill the shape")
        return Tensor(runtime: runtime, storage: storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// A new contiguous tensor of this tensor's shape over `storage` (an
    /// elementwise result); shares this tensor's strides array when it is
    /// the contiguous one, which a fresh result's always is.
    func makeLike(_ storage: Storage, _ dtype: DType) -> Tensor {
        precondition(storage.count == numel, "values do not fill the shape")
        return Tensor(runtime: runtime, storage: storage, shape: shape,
                      strides: hasContiguousStrides ? strides : Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// The edge a gradient for this tensor flows along: its grad_fn, or its
    /// leaf's AccumulateGrad, or nothing when it does not require grad.
    func gradientEdge() -> Edge {
        if let fn = gradFn { return Edge(function: fn, inputNr: outputNr) }
        if leafRequiresGrad { return Edge(function: gradAccumulator(), inputNr: 0) }
        return Edge(function: nil, inputNr: 0)
    }

    func gradAccumulator() -> AccumulateGrad {
        if let existing = accumulator { return existing }
        let node = AccumulateGrad(variable: self)
        accumulator = node
        return node
    }
}

extension Tensor: CustomStringConvertible {
    /// `repr(t)` exactly as PyTorch prints it.
    public var description: String {
        var suffixes: [String] = []
        if isStaleRestrictedView {
            // `_str_intern` catches the error reading its grad_fn raises.
            suffixes.append("grad_fn=<Invalid>")
        } else if let fn = gradFn {
            suffixes.append("grad_fn=<\(fn.name)>")
        } else if requiresGrad {
            suffixes.append("requires_grad=True")
        }
        return TensorFormatter.repr(values: values, shape: shape, dtype: dtype, suffixes: suffixes)
    }
}
