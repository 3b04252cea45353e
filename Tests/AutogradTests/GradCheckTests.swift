import Foundation
import Testing
@testable import Autograd

/// Every differentiable op against float64 central differences, one table
/// line per op (tinygrad's `helper_test_op` style): the analytic gradient of
/// `Σ f(x)·w` for a random `w` must match `(L(x + ε) - L(x - ε)) / 2ε`.
@Suite struct GradCheckTests {
    @Test(arguments: GradCheckTests.cases)
    func firstDerivative(_ op: OpCase) throws {
        try GradCheck.first(op)
    }

    @Test(arguments: GradCheckTests.secondOrderCases)
    func secondDerivative(_ op: OpCase) throws {
        try GradCheck.second(op)
    }

    /// ToCopyBackward0 casts the gradient back exactly (float32 input, so
    /// finite differences would only measure float32 rounding).
    @Test func toFloat64CastsGradientBack() throws {
        let rt = Runtime(seed: 7)
        let x = try Tensor.from(rt, values: [0.5, -1.25, 3], shape: [3], dtype: .float32, requiresGrad: true)
        let y = try x.to(.float64)
        #expect(y.gradFn?.name == "ToCopyBackward0")
        let w = try Tensor.from(rt, values: [0.1, 2, -3], shape: [3], dtype: .float64)
        let g = try #require(try Engine.grad(outputs: [y], inputs: [x], gradOutputs: [w])[0])
        #expect(g.dtype == .float32)
        #expect(g.values == [0.1, 2, -3].map(DType.float32.round))
    }
}

/// What values an op's inputs may take, so that finite differences stay
/// away from kinks (relu, abs at 0) and outside domains (log, sqrt).
enum Domain: Sendable {
    case any
    case positive
    case awayFromZero
}

/// One table line: input shapes and the op on leaves made from them.
struct OpCase: Sendable, CustomTestStringConvertible {
    let name: String
    let shapes: [[Int]]
    let domain: Domain
    let f: @Sendable ([Tensor]) throws -> Tensor

    init(_ name: String, _ shapes: [[Int]], _ domain: Domain = .any, _ f: @escaping @Sendable ([Tensor]) throws -> Tensor) {
        self.name = name
        self.shapes = shapes
        self.domain = domain
        self.f = f
    }

    var testDescription: String { name }
}

/// A Python number in an op (`x * 2.5`).
private func num(_ t: Tensor, _ v: Double) -> Tensor { Tensor.wrapped(t.runtime, v, dtype: .float64) }
private func ints(_ t: Tensor, _ v: [Double], _ shape: [Int]) -> Tensor {
    Tensor(runtime: t.runtime, values: v, shape: shape, dtype: .int64)
}
private func mask(_ t: Tensor, _ v: [Double]) -> Tensor {
    Tensor(runtime: t.runtime, values: v, shape: t.shape, dtype: .bool)
}
private let all = IndexItem.slice(start: nil, stop: nil, step: nil)

extension GradCheckTests {
    static let cases: [OpCase] = [
        // Arithmetic, with broadcasting
        OpCase("add", [[2, 3], [2, 3]]) { try $0[0].add($0[1]) },
        OpCase("add alpha", [[2, 3], [2, 3]]) { try $0[0].add($0[1], alpha: -2.5) },
        OpCase("add [2,3]+[3]", [[2, 3], [3]]) { try $0[0].add($0[1]) },
        OpCase("add [2,1]+[1,3]", [[2, 1], [1, 3]]) { try $0[0].add($0[1]) },
        OpCase("add number", [[2, 3]]) { try $0[0].add(num($0[0], 1.5)) },
        OpCase("sub", [[2, 3], [2, 3]]) { try $0[0].sub($0[1]) },
        OpCase("sub [2,1]-[1,3]", [[2, 1], [1, 3]]) { try $0[0].sub($0[1]) },
        OpCase("rsub", [[2, 3]]) { try $0[0].rsub(num($0[0], 2)) },
        OpCase("mul", [[2, 3], [2, 3]]) { try $0[0].mul($0[1]) },
        OpCase("mul [2,3]*[3]", [[2, 3], [3]]) { try $0[0].mul($0[1]) },
        OpCase("mul [2,1]*[1,3]", [[2, 1], [1, 3]]) { try $0[0].mul($0[1]) },
        OpCase("mul 0-d", [[2, 3], []]) { try $0[0].mul($0[1]) },
        OpCase("div", [[2, 3], [2, 3]], .awayFromZero) { try $0[0].div($0[1]) },
        OpCase("div [2,3]/[3]", [[2, 3], [3]], .awayFromZero) { try $0[0].div($0[1]) },
        OpCase("div [2,1]/[1,3]", [[2, 1], [1, 3]], .awayFromZero) { try $0[0].div($0[1]) },
        OpCase("rdiv", [[2, 3]], .awayFromZero) { try $0[0].rdiv(num($0[0], 3)) },
        OpCase("neg", [[2, 3]]) { try $0[0].neg() },
        OpCase("pow number", [[2, 3]], .positive) { try $0[0].pow(2.5) },
        OpCase("pow int", [[2, 3]]) { try $0[0].pow(3, exponentIsInt: true) },
        OpCase("pow tensor", [[2, 3], [2, 3]], .positive) { try $0[0].pow($0[1]) },
        OpCase("pow [2,3]**[3]", [[2, 3], [3]], .positive) { try $0[0].pow($0[1]) },
        OpCase("rpow", [[2, 3]]) { try $0[0].rpow(num($0[0], 1.7)) },
        OpCase("maximum", [[2, 3], [2, 3]]) { try $0[0].maximum($0[1]) },
        OpCase("maximum [2,1],[1,3]", [[2, 1], [1, 3]]) { try $0[0].maximum($0[1]) },
        OpCase("minimum", [[2, 3], [2, 3]]) { try $0[0].minimum($0[1]) },
        OpCase("minimum [2,3],[3]", [[2, 3], [3]]) { try $0[0].minimum($0[1]) },

        // Matrix products
        OpCase("mm", [[2, 3], [3, 4]]) { try $0[0].mm($0[1]) },
        OpCase("mv", [[2, 3], [3]]) { try $0[0].mv($0[1]) },
        OpCase("dot", [[3], [3]]) { try $0[0].dot($0[1]) },
        OpCase("bmm", [[2, 2, 3], [2, 3, 4]]) { try $0[0].bmm($0[1]) },
        OpCase("matmul 1-D·2-D", [[3], [3, 4]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul 2-D·1-D", [[2, 3], [3]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul 3-D·2-D", [[2, 2, 3], [3, 4]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul 3-D·3-D", [[2, 2, 3], [2, 3, 4]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul broadcast batch", [[2, 1, 2, 3], [3, 3, 2]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul 1-D·3-D", [[3], [2, 3, 2]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul 3-D·1-D", [[2, 2, 3], [3]]) { try $0[0].matmul($0[1]) },

        // Views
        OpCase("t", [[2, 3]]) { try $0[0].t() },
        OpCase("transpose", [[2, 3, 4]]) { try $0[0].transpose(0, 2) },
        OpCase("permute", [[2, 3, 4]]) { try $0[0].permute([1, 2, 0]) },
        OpCase("reversedDims", [[2, 3, 4]]) { try $0[0].reversedDims() },
        OpCase("view", [[2, 3, 4]]) { try $0[0].view([6, -1]) },
        OpCase("reshape contiguous", [[2, 3, 4]]) { try $0[0].reshape([4, 6]) },
        OpCase("reshape non-contiguous", [[2, 3, 4]]) { try $0[0].transpose(0, 1).reshape([-1]) },
        OpCase("flatten", [[2, 3, 4]]) { try $0[0].flatten(startDim: 1) },
        OpCase("squeeze", [[2, 1, 3]]) { try $0[0].squeeze() },
        OpCase("squeeze dim", [[2, 1, 3]]) { try $0[0].squeeze(1) },
        OpCase("unsqueeze", [[2, 3]]) { try $0[0].unsqueeze(-1) },
        OpCase("expand", [[3, 1]]) { try $0[0].expand([2, 3, 4]) },
        OpCase("select", [[3, 4]]) { try $0[0].select(1, -2) },
        OpCase("slice step", [[7, 3]]) { try $0[0].slice(0, start: 1, stop: nil, step: 2) },
        OpCase("slice of transpose", [[3, 5]]) { try $0[0].t().slice(0, start: -4, stop: -1, step: 2) },

        // Indexing
        OpCase("index list", [[4, 3]]) { try $0[0].index([.tensor(ints($0[0], [2, 0, 2], [3]))]) },
        OpCase("index list dim 1", [[4, 3]]) { try $0[0].index([all, .tensor(ints($0[0], [1, -1], [2]))]) },
        OpCase("index two lists", [[4, 3]]) { try $0[0].index([.tensor(ints($0[0], [0, 3, 3], [3])), .tensor(ints($0[0], [1, 2, 1], [3]))]) },
        OpCase("index split lists", [[3, 2, 4]]) { try $0[0].index([.tensor(ints($0[0], [0, 2], [2])), all, .tensor(ints($0[0], [3, 1], [2]))]) },
        OpCase("index mask", [[2, 3]]) { try $0[0].index([.tensor(mask($0[0], [1, 0, 1, 1, 0, 0]))]) },
        OpCase("index slice, None, int", [[3, 4]]) { try $0[0].index([.slice(start: 1, stop: nil, step: nil), .none, .int(2)]) },

        // Joins
        OpCase("cat dim 0", [[2, 3], [1, 3], [3, 3]]) { try Tensor.cat($0, dim: 0) },
        OpCase("cat dim 1", [[2, 3], [2, 1]]) { try Tensor.cat($0, dim: -1) },
        OpCase("stack dim 0", [[2, 3], [2, 3]]) { try Tensor.stack($0, dim: 0) },
        OpCase("stack dim 2", [[2, 3], [2, 3], [2, 3]]) { try Tensor.stack($0, dim: 2) },

        // Reductions
        OpCase("sum", [[2, 3]]) { try $0[0].sum() },
        OpCase("sum dims keepdim", [[2, 3, 4]]) { try $0[0].sum(dims: [0, 2], keepdim: true) },
        OpCase("sum dim", [[2, 3, 4]]) { try $0[0].sum(dims: [-2]) },
        OpCase("mean", [[2, 3]]) { try $0[0].mean() },
        OpCase("mean dims", [[2, 3, 4]]) { try $0[0].mean(dims: [1, 2]) },
        OpCase("max", [[2, 3]]) { try $0[0].max() },
        OpCase("min", [[2, 3]]) { try $0[0].min() },
        OpCase("max dim", [[3, 4]]) { try $0[0].max(dim: 1).values },
        OpCase("max dim keepdim", [[3, 4]]) { try $0[0].max(dim: 0, keepdim: true).values },
        OpCase("min dim", [[3, 4]]) { try $0[0].min(dim: -1).values },

        // Elementwise functions
        OpCase("abs", [[2, 3]], .awayFromZero) { try $0[0].abs() },
        OpCase("exp", [[2, 3]]) { try $0[0].exp() },
        OpCase("log", [[2, 3]], .positive) { try $0[0].log() },
        OpCase("sqrt", [[2, 3]], .positive) { try $0[0].sqrt() },
        OpCase("reciprocal", [[2, 3]], .awayFromZero) { try $0[0].reciprocal() },
        OpCase("sin", [[2, 3]]) { try $0[0].sin() },
        OpCase("cos", [[2, 3]]) { try $0[0].cos() },
        OpCase("tanh", [[2, 3]]) { try $0[0].tanh() },
        OpCase("sigmoid", [[2, 3]]) { try $0[0].sigmoid() },
        OpCase("relu", [[2, 3]], .awayFromZero) { try $0[0].relu() },
        OpCase("clamp", [[3, 4]]) { try $0[0].clamp(min: -0.5, max: 0.6) },
        OpCase("clamp min", [[3, 4]]) { try $0[0].clamp(min: 0.1, max: nil) },
        OpCase("where", [[2, 3], [2, 3]]) {
            try Tensor.where(mask($0[0], [1, 0, 0, 1, 1, 0]), $0[0], $0[1])
        },
        OpCase("where broadcast", [[2, 3], [3]]) {
            try Tensor.where(mask($0[0], [1, 0, 0, 1, 1, 0]), $0[0], $0[1])
        },
        OpCase("softmax", [[3, 4]]) { try $0[0].softmax(dim: 1) },
        OpCase("softmax dim 0", [[3, 4]]) { try $0[0].softmax(dim: 0) },
        OpCase("logSoftmax", [[3, 4]]) { try $0[0].logSoftmax(dim: -1) },
        OpCase("logSoftmax dim 0", [[3, 4]]) { try $0[0].logSoftmax(dim: 0) },
        OpCase("clone", [[2, 3]]) { try $0[0].clone() },
        OpCase("contiguous", [[2, 3]]) { try $0[0].t().contiguous() },
        OpCase("to(float64)", [[2, 3]]) { try $0[0].to(.float64) },

        // A composite: a small MLP with a loss
        OpCase("mlp", [[4, 3], [3, 5], [5]]) { x in
            try x[0].matmul(x[1]).add(x[2]).tanh().logSoftmax(dim: 1).mean()
        },
    ]

    static let secondOrderCases: [OpCase] = [
        OpCase("tanh", [[2, 3]]) { try $0[0].tanh() },
        OpCase("sigmoid", [[2, 3]]) { try $0[0].sigmoid() },
        OpCase("mul", [[2, 3], [2, 3]]) { try $0[0].mul($0[1]) },
        OpCase("mul self", [[2, 3]]) { try $0[0].mul($0[0]) },
        OpCase("exp", [[2, 3]]) { try $0[0].exp() },
        OpCase("pow number", [[2, 3]], .positive) { try $0[0].pow(2.5) },
        OpCase("pow tensor", [[2, 3], [2, 3]], .positive) { try $0[0].pow($0[1]) },
        OpCase("div", [[2, 3], [2, 3]], .awayFromZero) { try $0[0].div($0[1]) },
        OpCase("softmax", [[3, 4]]) { try $0[0].softmax(dim: 1) },
        OpCase("logSoftmax", [[3, 4]]) { try $0[0].logSoftmax(dim: 0) },
        OpCase("max dim · x", [[3, 4]]) { try $0[0].max(dim: 1).values.mul($0[0].sum(dims: [1])) },
        OpCase("max · x", [[3, 4]]) { try $0[0].max().mul($0[0]) },
        OpCase("index · x", [[4, 3]]) { x in
            try x[0].index([.tensor(ints(x[0], [2, 0, 2], [3]))]).mul(x[0].index([.slice(start: 1, stop: nil, step: nil)]))
        },
        OpCase("cat · x", [[2, 3], [2, 3]]) { x in try Tensor.cat(x, dim: 1).pow(2, exponentIsInt: true) },
        OpCase("stack · x", [[2, 3], [2, 3]]) { x in try Tensor.stack(x, dim: 1).pow(3, exponentIsInt: true) },
        OpCase("mm", [[2, 3], [3, 4]]) { try $0[0].mm($0[1]).pow(2, exponentIsInt: true) },
    ]
}

/// The checker itself.
enum GradCheck {
    static let eps = 1e-6, rtol = 1e-4, atol = 1e-6

    /// Fresh float64 leaves for `op`, drawn from `Runtime(seed:)`.
    static func inputs(_ op: OpCase, _ rt: Runtime) throws -> [Tensor] {
        try op.shapes.map { shape in
            let raw = Tensor.randn(rt, shape: shape, dtype: .float64).values
            let values: [Double]
            switch op.domain {
            case .any: values = raw
            case .positive: values = raw.map { Swift.abs($0) + 0.5 }
            case .awayFromZero: values = raw.map { $0 < 0 ? $0 - 0.2 : $0 + 0.2 }
            }
            return try Tensor.from(rt, values: values, shape: shape, dtype: .float64, requiresGrad: true)
        }
    }

    /// `Σ f(x)·w` without recording.
    static func loss(_ op: OpCase, _ xs: [Tensor], _ w: Tensor) throws -> Double {
        let out = try xs[0].runtime.withGradMode(false) { try op.f(xs) }
        return Swift.zip(out.values, w.values).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Central differences of `scalar` with respect to every element of every input.
    static func numeric(_ xs: [Tensor], _ scalar: () throws -> Double) rethrows -> [[Double]] {
        try xs.map { x in
            try (0..<x.numel).map { j in
                let saved = x.storage.data[j]
                x.storage.data[j] = saved + eps
                let plus = try scalar()
                x.storage.data[j] = saved - eps
                let minus = try scalar()
                x.storage.data[j] = saved
                return (plus - minus) / (2 * eps)
            }
        }
    }

    static func compare(_ name: String, analytic: [Tensor?], numeric: [[Double]],
                        sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, expected) in numeric.enumerated() {
            let got = analytic[i]?.values ?? [Double](repeating: 0, count: expected.count)
            #expect(got.count == expected.count, "\(name): input \(i) gradient has \(got.count) elements", sourceLocation: sourceLocation)
            for (j, (a, n)) in Swift.zip(got, expected).enumerated() where !(Swift.abs(a - n) <= atol + rtol * Swift.abs(n)) {
                Issue.record("\(name): input \(i)[\(j)]: analytic \(a), numeric \(n)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    static func first(_ op: OpCase) throws {
        let rt = Runtime(seed: 42)
        let xs = try inputs(op, rt)
        let out = try op.f(xs)
        #expect(out.gradFn != nil || xs.contains { $0 === out }, "\(op.name) recorded no grad_fn")
        let w = Tensor.randn(rt, shape: out.shape, dtype: .float64)
        let analytic = try Engine.grad(outputs: [out], inputs: xs, gradOutputs: [w], allowUnused: true)
        for (g, x) in Swift.zip(analytic, xs) {
            #expect(g == nil || g!.shape == x.shape, "\(op.name): gradient shape \(g!.shape) for input \(x.shape)")
        }
        compare(op.name, analytic: analytic, numeric: try numeric(xs) { try loss(op, xs, w) })
    }

    /// `L2(x) = Σ_i ∂L/∂x_i · v_i` where `∂L/∂x` is taken with create_graph:
    /// its gradient must match central differences of the first derivative.
    static func second(_ op: OpCase) throws {
        let rt = Runtime(seed: 1234)
        let xs = try inputs(op, rt)
        let w = Tensor.randn(rt, shape: try rt.withGradMode(false) { try op.f(xs) }.shape, dtype: .float64)
        let vs = xs.map { Tensor.randn(rt, shape: $0.shape, dtype: .float64) }

        let gs = try Engine.grad(outputs: [op.f(xs)], inputs: xs, gradOutputs: [w], createGraph: true, allowUnused: true)
        let pairs = Swift.zip(gs, vs).compactMap { g, v in g.flatMap { $0.requiresGrad ? ($0, v) : nil } }
        #expect(!pairs.isEmpty, "\(op.name): first derivative does not depend on the inputs")
        let analytic = try Engine.grad(outputs: pairs.map(\.0), inputs: xs, gradOutputs: pairs.map(\.1), allowUnused: true)

        func firstDerivativeDotV() throws -> Double {
            let gs = try Engine.grad(outputs: [op.f(xs)], inputs: xs, gradOutputs: [w], allowUnused: true)
            return Swift.zip(gs, vs).reduce(0) { acc, pair in
                guard let g = pair.0 else { return acc }
                return acc + Swift.zip(g.values, pair.1.values).reduce(0) { $0 + $1.0 * $1.1 }
            }
        }
        compare("\(op.name) (second order)", analytic: analytic, numeric: try numeric(xs, firstDerivativeDotV))
    }
}
