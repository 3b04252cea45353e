/// Shape arithmetic shared by every op: element counts, contiguous strides,
/// broadcasting, dimension wrapping, and PyTorch's texts for their failures.
enum Shape {
    static func numel(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc *= max(shape[i], 1)
        }
        return strides
    }

    /// `torch.broadcast_shapes` with PyTorch's message for a mismatch.
    static func broadcast(_ a: [Int], _ b: [Int]) throws -> [Int] {
        // Most operands already have the result's shape (`x * 2`, `a + b`
        // of one shape): hand that array back rather than build another.
        if a == b || isExpandable(b, to: a) { return a }
        if isExpandable(a, to: b) { return b }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        // PyTorch compares from the trailing dimension, so that is the one
        // a mismatch message names.
        for i in (0..<n).reversed() {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw TorchError.runtime("The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)")
            }
        }
        return out
    }

    /// The most elements one tensor may hold here (2 GiB of Doubles): past
    /// it, a script gets the RuntimeError PyTorch's allocator raises when
    /// malloc fails, instead of the process dying trying to allocate. Every
    /// tensor a factory or a module makes is checked against it before
    /// anything is allocated.
    static let maxElements = 1 << 28

    /// PyTorch's check on the sizes a factory is given, plus the element cap.
    static func checkNonNegative(_ shape: [Int]) throws {
        if let d = shape.first(where: { $0 < 0 }) {
            throw TorchError.runtime("Trying to create tensor with negative dimension \(d): \(list(shape))")
        }
        try checkElementCount(shape, overflow: "Storage size calculation overflowed with sizes=\(list(shape))")
    }

    /// Overflow-checked element count, within `maxElements`; `overflow` is
    /// PyTorch's text for the op at hand.
    static func checkElementCount(_ shape: [Int], overflow message: String = "numel: integer multiplication overflow") throws {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: Swift.max(d, 0))
            guard !overflow else { throw TorchError.runtime(message) }
            count = product
        }
        let (bytes, bytesOverflow) = count.multipliedReportingOverflow(by: 4)
        guard !bytesOverflow else { throw TorchError.runtime(message) }
        guard count <= maxElements else {
            // PyTorch's DefaultCPUAllocator text, with the float32 bytes it
            // would have asked for.
            throw TorchError.runtime("DefaultCPUAllocator: can't allocate memory: you tried to allocate \(bytes) bytes "
                                     + "(autograd-viz holds at most \(maxElements) elements in one tensor)")
        }
    }

    /// Whether `shape` can be expanded to `target` (the gradient reduction test).
    static func isExpandable(_ shape: [Int], to target: [Int]) -> Bool {
        if shape.count > target.count { return false }
        let lead = target.count - shape.count
        for i in shape.indices where shape[i] != 1 && shape[i] != target[lead + i] { return false }
        return true
    }

    /// Wraps a possibly negative dimension, with PyTorch's IndexError text.
    static func wrapDim(_ dim: Int, rank: Int) throws -> Int {
        let r = max(rank, 1)
        guard dim >= -r && dim < r else {
            throw TorchError.index("Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(dim))")
        }
        return dim < 0 ? dim + r : dim
    }

    /// Walks a row-major layout of `shape` a row (its last dimension) at a
    /// time, handing `body` each row's number and where it starts under
    /// `strides` from `offset`; the loop along a row is the caller's, where
    /// element work is cheapest. A 0-d shape is one row of one element.
    static func forEachRow(_ shape: [Int], strides: [Int], offset: Int, _ body: (_ row: Int, _ start: Int) -> Void) {
        let count = numel(shape)
        guard count > 0 else { return }
        guard let last = shape.indices.last else { return body(0, offset) }
        guard last >= 2 else {
            // A vector, or a matrix whose rows start `strides[0]` apart.
            var start = offset
            for row in 0..<(count / shape[last]) {
                body(row, start)
                if last == 1 { start += strides[0] }
            }
            return
        }
        // The row starts are the offsets of the leading dimensions.
        for (row, start) in StridedOffsets(shape: Array(shape[..<last]), strides: Array(strides[..<last]), offset: offset).enumerated() {
            body(row, start)
        }
    }

    /// Steps a row-major coordinate to the next position in `shape` (an
    /// odometer); wraps to all zeros after the last one.
    static func increment(_ coord: inout [Int], within shape: [Int]) {
        var k = coord.count - 1
        while k >= 0 {
            coord[k] += 1
            if coord[k] < shape[k] { return }
            coord[k] = 0
            k -= 1
        }
    }

    /// `torch.Size([2, 3])`
    static func describe(_ shape: [Int]) -> String {
        "torch.Size([\(shape.map(String.init).joined(separator: ", "))])"
    }

    /// `[2, 3]` as PyTorch's messages print sizes.
    static func list(_ shape: [Int]) -> String { "[\(shape.map(String.init).joined(separator: ", "))]" }
}

/// Walks the storage offsets of a strided layout in row-major order without
/// allocating per element. `strides` may hold zeros (broadcast dimensions).
struct StridedOffsets: Sequence, IteratorProtocol {
    private let shape: [Int]
    private let strides: [Int]
    private var index: [Int]
    private var current: Int
    private var remaining: Int

    init(shape: [Int], strides: [Int], offset: Int) {
        self.shape = shape
        self.strides = strides
        index = [Int](repeating: 0, count: shape.count)
        current = offset
        remaining = Shape.numel(shape)
    }

    mutating func next() -> Int? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let result = current
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            current += strides[d]
            if index[d] < shape[d] { break }
            current -= strides[d] * shape[d]
            index[d] = 0
            d -= 1
        }
        return result
    }
}
