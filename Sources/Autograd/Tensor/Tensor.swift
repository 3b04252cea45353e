/// A strided view of a `Storage`, with PyTorch's autograd state.
///
/// Tensors are reference types, as Python objects are: `b = a` binds the same
/// tensor, and views (`view`, `t()`, slicing, `detach()`) share storage and the
/// version counter with the tensor they came from.
public final class Tensor {
    public let runtime: Runtime
    /// Creation order within the runtime; snapshots name tensors by it.
    public let id: Int
    public internal(set) var storage: Storage
    public internal(set) var shape: [Int]
    public internal(set) var strides: [Int]
    public internal(set) var offset: Int
    public internal(set) var dtype: DType
    public internal(set) var versionCounter: VersionCounter
    /// PyTorch's `_base`: the tensor this one is a view of.
    public internal(set) var base: Tensor?
    /// A Python number turned into a 0-d tensor for an op (`a * 2`); it takes
    /// a lower part in type promotion.
    public internal(set) var isWrappedNumber = false

    // MARK: Autograd state
    /// `requires_grad` of a leaf; a non-leaf requires grad through its `gradFn`.
    var leafRequiresGrad = false
    public internal(set) var gradFn: Node?
    /// Which output of `gradFn` this tensor is.
    public internal(set) var outputNr = 0
    /// `.grad`: nil until a backward reaches this tensor.
    public var grad: Tensor?
    public internal(set) var retainsGrad = false
    /// The AccumulateGrad node of a leaf, kept only while a graph holds it, so
    /// every use of one leaf in one graph shares a node (as in PyTorch).
    weak var accumulator: AccumulateGrad?
    /// The leaf's AccumulateGrad while a graph holds it (for snapshots).
    public var accumulatorIfAlive: AccumulateGrad? { accumulator }
    /// Hooks registered with `register_hook` (issue 4).
    var hooks: [(id: Int, fn: (Tensor) throws -> Tensor?)] = []

    // MARK: Provenance for the debugger's pictures
    /// The tensor `detach()` was called on, so a picture can draw the cut.
    public internal(set) weak var detachedFrom: Tensor?
    /// Created while grad mode was off from an input that required grad.
    public internal(set) var createdUnderNoGrad = false
    /// An `nn.Parameter` (a module's weight): prints as "Parameter containing:".
    public internal(set) var isParameter = false

    init(runtime: Runtime, storage: Storage, shape: [Int], strides: [Int], offset: Int,
         dtype: DType, versionCounter: VersionCounter = VersionCounter(), base: Tensor? = nil) {
        self.runtime = runtime
        self.id = runtime.nextTensorID()
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.versionCounter = versionCounter
        self.base = base
    }

    /// A new contiguous tensor holding `values` (already rounded to `dtype`).
    public convenience init(runtime: Runtime, values: [Double], shape: [Int], dtype: DType) {
        precondition(values.count == Shape.numel(shape), "values do not fill the shape")
        self.init(runtime: runtime, storage: Storage(values), shape: shape,
                  strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    // MARK: Metadata
    public var rank: Int { shape.count }
    public var numel: Int { Shape.numel(shape) }
    public var isLeaf: Bool { gradFn == nil }
    public var requiresGrad: Bool { gradFn != nil || leafRequiresGrad }
    public var version: Int { versionCounter.value }

    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected *= shape[i]
        }
        return true
    }

    // MARK: Element access
    /// The elements in row-major order. Shares the storage's buffer when the
    /// layout already is that order, so reading is free for fresh results.
    public var values: [Double] {
        if isContiguous && offset == 0 && storage.data.count == numel { return storage.data }
        var out = [Double]()
        out.reserveCapacity(numel)
        let data = storage.data
        for o in StridedOffsets(shape: shape, strides: strides, offset: offset) { out.append(data[o]) }
        return out
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
        return storage.data[offset]
    }

    /// Writes `values` (row-major, already rounded) through this tensor's strides.
    /// Callers bump the version counter; this is the one raw write path.
    func write(_ newValues: [Double]) {
        if isContiguous && offset == 0 && storage.data.count == numel {
            storage.data = newValues
            return
        }
        var i = 0
        for o in StridedOffsets(shape: shape, strides: strides, offset: offset) {
            storage.data[o] = newValues[i]
            i += 1
        }
    }

    /// A new tensor with the same runtime (the constructor every op uses).
    func make(_ values: [Double], _ shape: [Int], _ dtype: DType) -> Tensor {
        Tensor(runtime: runtime, values: values, shape: shape, dtype: dtype)
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
        if let fn = gradFn {
            suffixes.append("grad_fn=<\(fn.name)>")
        } else if requiresGrad {
            suffixes.append("requires_grad=True")
        }
        return TensorFormatter.repr(values: values, shape: shape, dtype: dtype, suffixes: suffixes)
    }
}
