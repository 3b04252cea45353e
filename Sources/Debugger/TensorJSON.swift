import Autograd
import ModelScript

/// How tensors appear in run documents: values as numbers or nested lists
/// (0-d as a bare number), NaN and infinities as strings, bools as booleans.
enum TensorJSON {
    /// Row-major `elements` as a nested list of `shape` (a bare element for
    /// 0-d), in `dtype`'s JSON form.
    static func values(_ elements: [Double], shape: [Int], dtype: DType) -> JSON {
        let element: (Double) -> JSON
        switch dtype {
        case .bool: element = { .bool($0 != 0) }
        case .int64: element = { .integer(Int($0)) }
        case .float32: element = { .float(Float($0)) }
        default: element = JSON.number
        }
        if shape.isEmpty { return element(elements[0]) }
        var next = 0
        func level(_ dim: Int) -> JSON {
            var items: [JSON] = []
            items.reserveCapacity(shape[dim])
            if dim == shape.count - 1 {
                for _ in 0..<shape[dim] {
                    items.append(element(elements[next]))
                    next += 1
                }
            } else {
                for _ in 0..<shape[dim] { items.append(level(dim + 1)) }
            }
            return .array(items)
        }
        return level(0)
    }

    /// Full values up to `limit` elements, else shape/min/max/mean/norm.
    static func valuesOrSummary(_ t: Tensor, limit: Int) -> JSON {
        CapturedValues(t, limit: limit).json(shape: t.shape, dtype: t.dtype)
    }

    static func summary(_ s: Statistics) -> JSON {
        .object([("summary", .bool(true)), ("min", .number(s.min)), ("max", .number(s.max)),
                 ("mean", .number(s.mean)), ("norm", .number(s.norm))])
    }

    /// The `tensors` entry of a run document.
    static func entry(_ t: Tensor) -> JSON {
        CapturedTensor(name: "", tensor: t).json
    }
}

/// min, max, mean and L2 norm of a tensor's elements (for large tensors),
/// and how many are NaN or infinite.
struct Statistics {
    let min: Double, max: Double, mean: Double, norm: Double
    private(set) var nanCount = 0, infCount = 0
    init(_ values: [Double]) {
        self = values.withUnsafeBufferPointer { Statistics($0) }
    }

    /// One pass over the elements (NaN never wins a comparison, so it is
    /// left out of min and max); NaN and infinities are counted in a second
    /// pass, only when the sums say there are some.
    init(_ values: UnsafeBufferPointer<Double>) {
        // Four lanes at a time (the flow of a training loop summarises every
        // gradient of every call: millions of elements).
        var lo4 = SIMD4<Double>(repeating: .infinity), hi4 = SIMD4<Double>(repeating: -.infinity)
        var sum4 = SIMD4<Double>(), squares4 = SIMD4<Double>()
        let whole = values.count / 4 * 4
        if let base = values.baseAddress, whole > 0 {
            let raw = UnsafeRawPointer(base)
            for i in stride(from: 0, to: whole, by: 4) {
                let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<Double>.stride, as: SIMD4<Double>.self)
                lo4 = lo4.replacing(with: v, where: v .< lo4)
                hi4 = hi4.replacing(with: v, where: v .> hi4)
                sum4 += v
                squares4 += v * v
            }
        }
        var lo = lo4.min(), hi = hi4.max(), sum = sum4.sum(), squares = squares4.sum()
        for v in values[whole...] {
            lo = v < lo ? v : lo
            hi = v > hi ? v : hi
            sum += v
            squares += v * v
        }
        if !sum.isFinite || !squares.isFinite {
            for v in values {
                if v.isNaN { nanCount += 1 } else if v.isInfinite { infCount += 1 }
            }
        }
        min = values.isEmpty ? .nan : lo
        max = values.isEmpty ? .nan : hi
        mean = values.isEmpty ? .nan : sum / Double(values.count)
        norm = squares.squareRoot()
    }

    /// min, max, mean, norm: the numbers a summary compares by.
    var elements: [Double] { [min, max, mean, norm] }
}
