/// Note [ATen's cascade sum]: how PyTorch's CPU `sum` (and `mean`, which is
/// `sum` then a division) adds floating-point elements, so that a float32
/// sum here has PyTorch's last bit.
///
/// ATen's `sum_kernel_impl` (aten/src/ATen/native/cpu/SumKernel.cpp,
/// `cascade_sum`) accumulates in the input's own type (float32 in float32)
/// and never left to right:
/// - TensorIterator first lays the reduction out: reduced dimensions first,
///   each group ordered by the input's strides (smallest first), adjacent
///   dimensions merged where the strides allow (`reorder_dimensions`,
///   `coalesce_dimensions`), then a 2-D loop over the two innermost
///   dimensions for every position of the outer ones.
/// - In that loop, a row whose elements are contiguous is summed a vector at
///   a time (`vectorized_inner_sum`; a vector is `lanes` elements: 8 float32
///   or 4 float64 with AVX2), rows of contiguous columns are summed a vector
///   of columns at a time (`vectorized_outer_sum`), and other layouts an
///   element at a time (`scalar_inner_sum`, `scalar_outer_sum`).
/// - Every one of them adds through `row_sum`: four interleaved partial sums
///   (`ilp_factor`), each a cascade of four levels (`multi_row_sum`: blocks of
///   16 elements summed, then blocks of those sums, ...), folded at the end.
///   A vector's lanes are added into the row's scalar tail last.
/// - The output starts at 0 and each 2-D loop adds its result into it.
///
/// What depends on the machine: the vector width (this machine's PyTorch
/// dispatches to AVX2; an AVX-512 build has 16 float32 lanes, and its sums
/// can differ in the last bit), and the thread count: a full reduction of
/// 32,768 elements or more (ATen's GRAIN_SIZE) is split across threads in
/// PyTorch, whose partial sums are combined in another order. Here a sum
/// always takes the one-thread order, which PyTorch also takes below that
/// size or with `torch.set_num_threads(1)`.
enum CascadeSum {
    /// One dimension of the laid-out reduction: its size and the input's and
    /// output's element strides.
    struct Dim: Equatable {
        var size: Int
        var input: Int
        var output: Int
    }

    /// TensorIterator's layout of a reduction of an input (`shape`,
    /// `strides`) into an output whose strides are 0 along reduced
    /// dimensions: innermost dimension first.
    static func layout(shape: [Int], inputStrides: [Int], outputStrides: [Int]) -> [Dim] {
        let n = shape.count
        // reorder_dimensions: start from the reversed order (innermost
        // first), then an insertion sort with ambiguous comparisons.
        var perm = Array((0..<n).reversed())
        func shouldSwap(_ d0: Int, _ d1: Int) -> Int {
            // The output first: reduced dimensions move to the front.
            let o0 = outputStrides[d0], o1 = outputStrides[d1]
            if (o0 == 0) != (o1 == 0) { return o1 == 0 ? 1 : -1 }
            for (s0, s1) in [(o0, o1), (inputStrides[d0], inputStrides[d1])] {
                if s0 == 0 || s1 == 0 { continue }
                if s0 < s1 { return -1 }
                if s0 > s1 { return 1 }
                if shape[d0] > shape[d1] { return 1 }
            }
            return 0
        }
        if n > 1 {
            for i in 1..<n {
                var dim1 = i
                var dim0 = i - 1
                while dim0 >= 0 {
                    let comparison = shouldSwap(perm[dim0], perm[dim1])
                    if comparison > 0 {
                        perm.swapAt(dim0, dim1)
                        dim1 = dim0
                    } else if comparison < 0 {
                        break
                    }
                    dim0 -= 1
                }
            }
        }
        var dims = perm.map { Dim(size: shape[$0], input: inputStrides[$0], output: outputStrides[$0]) }
        // coalesce_dimensions.
        guard dims.count > 1 else { return dims }
        var previous = 0
        for d in 1..<dims.count {
            let a = dims[previous], b = dims[d]
            let mergeable = a.size == 1 || b.size == 1
                || (a.size * a.input == b.input && a.size * a.output == b.output)
            if mergeable {
                if a.size == 1 {
                    dims[previous].input = b.input
                    dims[previous].output = b.output
                }
                dims[previous].size *= b.size
            } else {
                previous += 1
                dims[previous] = b
            }
        }
        return Array(dims[0...previous])
    }

    /// Adds `input` (element `offset`, `strides`, `shape`) into `count`
    /// accumulators laid out by `outputStrides` (0 along reduced
    /// dimensions), as ATen's `cascade_sum` does in `T`.
    static func sum<V: SIMD & CascadeValue>(_: V.Type, input: UnsafeBufferPointer<Double>, offset: Int, shape: [Int], strides: [Int],
                             outputStrides: [Int], count: Int) -> [V.Scalar] where V.Scalar: BinaryFloatingPoint & CascadeValue {
        var out = [V.Scalar](repeating: 0, count: count)
        guard !shape.contains(0) else { return out }
        var dims = layout(shape: shape, inputStrides: strides, outputStrides: outputStrides)
        while dims.count < 2 { dims.append(Dim(size: 1, input: 0, output: 0)) }
        let outer = Array(dims[2...])
        out.withUnsafeMutableBufferPointer { out in
            // serial_for_each: the 2-D loop for every position of the outer dimensions.
            var index = [Int](repeating: 0, count: outer.count)
            var inBase = offset, outBase = 0
            while true {
                loop2D(V.self, input: input, inBase: inBase, out: out, outBase: outBase, dims[0], dims[1])
                var k = 0
                while k < outer.count {
                    index[k] += 1
                    inBase += outer[k].input
                    outBase += outer[k].output
                    if index[k] < outer[k].size { break }
                    inBase -= outer[k].input * outer[k].size
                    outBase -= outer[k].output * outer[k].size
                    index[k] = 0
                    k += 1
                }
                if k == outer.count { break }
            }
        }
        return out
    }

    /// `cascade_sum`'s loop body for one 2-D block.
    private static func loop2D<V: SIMD & CascadeValue>(_: V.Type, input: UnsafeBufferPointer<Double>, inBase: Int,
                                        out: UnsafeMutableBufferPointer<V.Scalar>, outBase: Int, _ d0: Dim, _ d1: Dim)
    where V.Scalar: BinaryFloatingPoint & CascadeValue {
        typealias T = V.Scalar
        var (a, b) = (d0, d1)
        // Move the reduction to the first dimension.
        if a.output != 0 && b.output == 0 { swap(&a, &b) }
        @inline(__always) func load(_ i: Int) -> T { T(input[i]) }
        if a.output != 0 && b.output != 0 {
            // Not a true reduction: element by element.
            for j in 0..<b.size {
                for i in 0..<a.size { out[outBase + i * a.output + j * b.output] += load(inBase + i * a.input + j * b.input) }
            }
            return
        }
        let lanes = V.scalarCount
        let outStride = b.output
        @inline(__always) func vector(_ start: Int, _ step: Int) -> V {
            var v = V()
            for l in 0..<lanes { v[l] = load(start + l * step) }
            return v
        }
        if a.input == 1 && a.size >= lanes {
            // vectorized_inner_sum: each row a vector at a time.
            let vectors = a.size / lanes
            for j in 0..<b.size {
                let row = inBase + j * b.input
                let acc = rowSum(vectors) { i in vector(row + i * lanes, 1) }
                var total: T = 0
                for k in (vectors * lanes)..<a.size { total += load(row + k) }
                for l in 0..<lanes { total += acc[l] }
                out[outBase + j * outStride] += total
            }
        } else if b.input == 1 && b.size >= lanes {
            // vectorized_outer_sum: a vector of columns at a time.
            var j = 0
            while j + 4 * lanes <= b.size {
                let start = inBase + j
                let sums = multiRowSum(rows: 4, a.size) { i, k in vector(start + i * a.input + k * lanes, 1) }
                for (k, s) in sums.enumerated() {
                    for l in 0..<lanes { out[outBase + (j + k * lanes + l) * outStride] += s[l] }
                }
                j += 4 * lanes
            }
            while j + lanes <= b.size {
                let start = inBase + j
                let s = rowSum(a.size) { i in vector(start + i * a.input, 1) }
                for l in 0..<lanes { out[outBase + (j + l) * outStride] += s[l] }
                j += lanes
            }
            while j < b.size {
                let start = inBase + j
                out[outBase + j * outStride] += rowSum(a.size) { i in load(start + i * a.input) }
                j += 1
            }
        } else if a.input < b.input {
            // scalar_inner_sum.
            for j in 0..<b.size {
                let row = inBase + j * b.input
                out[outBase + j * outStride] += rowSum(a.size) { i in load(row + i * a.input) }
            }
        } else {
            // scalar_outer_sum: four columns at a time.
            var j = 0
            while j + 3 < b.size {
                let start = inBase + j * b.input
                let sums = multiRowSum(rows: 4, a.size) { i, k in load(start + i * a.input + k * b.input) }
                for (k, s) in sums.enumerated() { out[outBase + (j + k) * outStride] += s }
                j += 4
            }
            while j < b.size {
                let start = inBase + j * b.input
                out[outBase + j * outStride] += rowSum(a.size) { i in load(start + i * a.input) }
                j += 1
            }
        }
    }

    /// `row_sum`: `size` values as four interleaved cascades, folded.
    @inline(__always)
    static func rowSum<A: CascadeValue>(_ size: Int, _ load: (Int) -> A) -> A {
        let ilp = 4
        let steps = size / ilp
        var partial = multiRowSum(rows: ilp, steps) { i, k in load(i * ilp + k) }
        for i in (steps * ilp)..<size { partial[0] += load(i) }
        for k in 1..<ilp { partial[0] += partial[k] }
        return partial[0]
    }

    /// `multi_row_sum`: `rows` sums over `size` steps at once, each a cascade
    /// of four levels: a level's accumulator is added into the next one every
    /// `2^levelPower` steps of its own.
    @inline(__always)
    static func multiRowSum<A: CascadeValue>(rows: Int, _ size: Int, _ load: (Int, Int) -> A) -> [A] {
        let levels = 4
        let levelPower = Swift.max(4, ceilLog2(size) / levels)
        let levelStep = 1 << levelPower
        let levelMask = levelStep - 1
        var acc = [A](repeating: .zero, count: levels * rows)
        var i = 0
        while i + levelStep <= size {
            for _ in 0..<levelStep {
                for k in 0..<rows { acc[k] += load(i, k) }
                i += 1
            }
            for j in 1..<levels {
                for k in 0..<rows {
                    acc[j * rows + k] += acc[(j - 1) * rows + k]
                    acc[(j - 1) * rows + k] = .zero
                }
                if i & (levelMask << (j * levelPower)) != 0 { break }
            }
        }
        while i < size {
            for k in 0..<rows { acc[k] += load(i, k) }
            i += 1
        }
        for j in 1..<levels {
            for k in 0..<rows { acc[k] += acc[j * rows + k] }
        }
        return Array(acc[0..<rows])
    }

    /// ATen's `CeilLog2`: 1 up to 2, else the bit length of `x - 1`.
    static func ceilLog2(_ x: Int) -> Int {
        x <= 2 ? 1 : (Int.bitWidth - (x - 1).leadingZeroBitCount)
    }
}

/// What the cascade adds: a float, or a vector of them added lane by lane.
protocol CascadeValue {
    static var zero: Self { get }
    static func += (lhs: inout Self, rhs: Self)
}

extension Float: CascadeValue {}
extension Double: CascadeValue {}
extension SIMD8: CascadeValue where Scalar == Float {}
extension SIMD4: CascadeValue where Scalar == Double {}
