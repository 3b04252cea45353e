import Autograd
import ModelScript

/// How tensors appear in run documents: values as numbers or nested lists
/// (0-d as a bare number), NaN and infinities as strings, bools as booleans.
enum TensorJSON {
    static func values(_ t: Tensor) -> JSON {
        t.nested(scalar: { v in
            switch t.dtype {
            case .bool: return .bool(v != 0)
            case .int64: return .integer(Int(v))
            default: return .number(v)
            }
        }, list: JSON.array)
    }

    /// Full values up to `limit` elements, else shape/min/max/mean/norm.
    static func valuesOrSummary(_ t: Tensor, limit: Int) -> JSON {
        t.numel <= limit ? values(t) : summary(t)
    }

    static func summary(_ t: Tensor) -> JSON {
        let s = Statistics(t.values)
        return .object([("summary", .bool(true)), ("min", .number(s.min)), ("max", .number(s.max)),
                        ("mean", .number(s.mean)), ("norm", .number(s.norm))])
    }

    /// The `tensors` entry of a run document.
    static func entry(_ t: Tensor) -> JSON {
        .object([
            ("shape", .array(t.shape.map(JSON.integer))),
            ("dtype", .string(t.dtype.rawValue)),
            ("requires_grad", .bool(t.requiresGrad)),
            ("is_leaf", .bool(t.isLeaf)),
            ("grad_fn", t.gradFn.map { .string($0.name) } ?? .null),
            ("value", values(t)),
            ("grad", t.grad.map(values) ?? .null),
        ])
    }
}

/// min, max, mean and L2 norm of a tensor's elements (for large tensors).
struct Statistics {
    let min: Double, max: Double, mean: Double, norm: Double
    init(_ values: [Double]) {
        var lo = Double.infinity, hi = -Double.infinity, sum = 0.0, squares = 0.0
        for v in values {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            sum += v
            squares += v * v
        }
        min = values.isEmpty ? .nan : lo
        max = values.isEmpty ? .nan : hi
        mean = values.isEmpty ? .nan : sum / Double(values.count)
        norm = squares.squareRoot()
    }
}
