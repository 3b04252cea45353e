/// The memory behind one or more tensors. Every dtype is kept as `Double`
/// (exact for float32, float64, bool and int64 up to 2^53); the owning
/// tensor's dtype says how results are rounded.
public final class Storage {
    public var data: [Double]
    public init(_ data: [Double]) { self.data = data }
}

/// PyTorch's version counter: shared by a tensor, its views and `detach()`
/// results (not by `.data`), bumped by every in-place write, and checked by
/// saved tensors at backward time.
public final class VersionCounter {
    public private(set) var value = 0
    public init() {}
    func bump() { value += 1 }
}
