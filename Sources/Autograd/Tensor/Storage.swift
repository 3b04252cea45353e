/// The memory behind one or more tensors. Every dtype is kept as `Double`
/// (exact for float32, float64, bool and int64 up to 2^53); the owning
/// tensor's dtype says how results are rounded.
///
/// The elements live in the object itself (tail-allocated, the header is
/// their count), so a tensor's data costs one allocation rather than an
/// object plus an array buffer; a small op makes several tensors, and that
/// allocation was a large part of its cost. Ops read and write the elements
/// through `withElements`; `data` copies them, for everything else.
public final class Storage: ManagedBuffer<StorageHeader, Double> {
    /// A storage of `count` elements, each written by `initialize` (which
    /// must set all of them).
    static func make(count: Int, _ initialize: (UnsafeMutableBufferPointer<Double>) throws -> Void) rethrows -> Storage {
        let storage = unsafeDowncast(Storage.create(minimumCapacity: count) { _ in StorageHeader(count: count) }, to: Storage.self)
        try storage.withElements(initialize)
        return storage
    }

    /// A storage holding `data`.
    public static func of(_ data: [Double]) -> Storage {
        make(count: data.count) { elements in
            data.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                elements.baseAddress!.initialize(from: base, count: source.count)
            }
        }
    }

    /// The number of elements (the header, read through its pointer: the
    /// `header` property is a class `var` with a runtime exclusivity check).
    public var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    /// Behind PyTorch's ZeroTensor (`_efficientzerotensor`): zeros that no
    /// in-place op may write (Note [ZeroTensor]).
    var isZeroTensor: Bool {
        get { withUnsafeMutablePointerToHeader { $0.pointee.isZeroTensor } }
        set { withUnsafeMutablePointerToHeader { $0.pointee.isZeroTensor = newValue } }
    }

    /// Runs `body` on the elements' memory.
    @inline(__always)
    func withElements<R>(_ body: (UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointers { count, elements in
            try body(UnsafeMutableBufferPointer(start: elements, count: count.pointee.count))
        }
    }

    /// The elements, copied (reads and writes through the setter replace
    /// every element in place, so views see the change).
    public var data: [Double] {
        get { withElements { Array($0) } }
        set {
            precondition(newValue.count == count, "a storage keeps its size")
            withElements { elements in
                newValue.withUnsafeBufferPointer { source in
                    guard let base = source.baseAddress else { return }
                    elements.baseAddress!.update(from: base, count: source.count)
                }
            }
        }
    }
}

/// A storage's header: its element count, and whether it is a ZeroTensor's.
public struct StorageHeader {
    let count: Int
    var isZeroTensor = false
}

/// PyTorch's version counter: shared by a tensor, its views and `detach()`
/// results (not by `.data`), bumped by every in-place write, and checked by
/// saved tensors at backward time.
public final class VersionCounter {
    /// Read by every saved tensor when saved and unpacked (no runtime
    /// exclusivity check: see `Tensor`).
    @exclusivity(unchecked) public private(set) var value = 0
    /// Where the latest in-place write ran (for the debugger's notes).
    @exclusivity(unchecked) public private(set) var lastWrite = SourceOrigin.unknown
    public init() {}
    func bump(at origin: SourceOrigin) {
        value += 1
        lastWrite = origin
    }
}
