import Testing
@testable import Autograd

/// Graph shapes, values, gradients and error messages against real PyTorch.
///
/// Every expectation below was printed by PyTorch 2.15.0 (CPU) running the
/// expression in the case's label on the same inputs (`Fixture`): the tree is
/// `type(grad_fn).__name__` with `next_functions` in order (`None` for an
/// input that needs no gradient), `grads` are the leaves' `.grad` after
/// `r.backward(w)` with `w = arange(numel) * 0.5 + 1`, and errors are the
/// exception class and `str(e)`. `tools/make_graph_shape_cases.py` runs the
/// labels under PyTorch and writes these numbers (`--check` compares them).
@Suite struct GraphShapeTests {
    @Test(arguments: GraphShapeTests.graphCases)
    func graph(_ c: GraphCase) throws {
        let f = try Fixture()
        let r = try c.body(f)
        #expect(render(r.gradFn) == c.tree)
        #expect(r.shape == c.shape)
        #expect(r.dtype == c.dtype)
        expectClose(r.values, c.values, "values")
        guard let expected = c.grads else {
            #expect(!r.requiresGrad)
            return
        }
        let w = Tensor(runtime: f.rt, values: (0..<r.numel).map { r.dtype.round(Double($0) * 0.5 + 1) }, shape: r.shape, dtype: r.dtype)
        try Engine.backward([r], grads: [w])
        for (name, (leaf, grad)) in Swift.zip(["a", "b", "v", "m", "t3", "s"], Swift.zip(f.leaves, expected)) {
            guard let grad else {
                #expect(leaf.grad == nil, "\(name).grad should be None")
                continue
            }
            expectClose(leaf.grad?.values ?? [], grad, "\(name).grad")
        }
    }

    @Test(arguments: GraphShapeTests.errorCases)
    func error(_ c: ErrorCase) throws {
        let f = try Fixture()
        #expect(throws: c.error) { try c.body(f) }
    }

    /// `fill_(0)` is FillBackward2 and only `zero_()` is ZeroBackward0;
    /// `x[...] = v` and `x[:] = v` write the whole tensor, so no CopySlices.
    @Test func inPlaceNodeNames() throws {
        let f = try Fixture()
        let c = try f.a.mul(f.i(2))
        try c.fillInPlace(0)
        #expect(render(c.gradFn) == "FillBackward2(MulBackward0(AccumulateGrad, None))")
        try c.zeroInPlace()
        #expect(render(c.gradFn) == "ZeroBackward0(FillBackward2(MulBackward0(AccumulateGrad, None)))")
        #expect(c.version == 2)
    }

    /// A write through a view keeps the gradient of the untouched elements
    /// and of the value, under create_graph too.
    @Test func copySlicesSecondDerivative() throws {
        let f = try Fixture()
        let c = try f.a.mul(f.a)
        try c.setIndex([.int(0)], f.v.mul(f.v))
        let g = try Engine.grad(outputs: [c.sum()], inputs: [f.a, f.v], gradOutputs: [], createGraph: true)
        // d/da = 2a outside row 0, 0 inside; d/dv = 2v
        let expectedA = f.a.values.enumerated().map { $0.offset < 4 ? 0 : 2 * $0.element }
        expectClose(g[0]!.values, expectedA, "a")
        expectClose(g[1]!.values, f.v.values.map { 2 * $0 }, "v")
        let h = try Engine.grad(outputs: [g[0]!.sum(), g[1]!.sum()], inputs: [f.a, f.v], gradOutputs: [])
        expectClose(h[0]!.values, (0..<12).map { $0 < 4 ? 0 : 2 }, "a second")
        expectClose(h[1]!.values, [2, 2, 2, 2], "v second")
    }

    /// The region form `setItem` behaves as `setIndex` with the same items.
    @Test func setItemRegionMatchesSetIndex() throws {
        let f = try Fixture()
        let c = try f.a.mul(f.i(2)), d = try f.a.mul(f.i(2))
        try c.setItem({ try $0.select(0, 1).slice(0, start: 1, stop: nil) }, f.v.index([.slice(start: nil, stop: 3, step: nil)]))
        try d.setIndex([.int(1), .slice(start: 1, stop: nil, step: nil)], f.v.index([.slice(start: nil, stop: 3, step: nil)]))
        #expect(render(c.gradFn) == "CopySlices(MulBackward0(AccumulateGrad, None), SliceBackward0(AccumulateGrad))")
        #expect(render(c.gradFn) == render(d.gradFn))
        #expect(c.values == d.values)
    }

    /// `zeros(0, 3).max(1)` is an empty result, not an error.
    @Test func emptyLanesReduceToEmpty() throws {
        let f = try Fixture()
        let r = try f.zeros([0, 3]).max(dim: 1)
        #expect(r.values.shape == [0])
        #expect(r.indices.shape == [0])
        #expect(r.indices.dtype == .int64)
    }
}

/// `type(fn).__name__` with its `next_functions`, recursively.
func render(_ fn: Node?) -> String {
    guard let fn else { return "None" }
    let kids = fn.nextEdges.map { render($0.function) }
    return kids.isEmpty ? fn.name : "\(fn.name)(\(kids.joined(separator: ", ")))"
}

func expectClose(_ got: [Double], _ expected: [Double], _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard got.count == expected.count else {
        Issue.record("\(what): \(got.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    for (i, (g, e)) in Swift.zip(got, expected).enumerated() {
        // float32 results summed in another order differ in the last bits.
        let same = (g.isNaN && e.isNaN) || g == e || Swift.abs(g - e) <= 1e-5 + 1e-5 * Swift.abs(e)
        if !same {
            Issue.record("\(what)[\(i)]: \(g), expected \(e)", sourceLocation: sourceLocation)
            return
        }
    }
}

/// The inputs every case starts from: float32 leaves that require grad and
/// one constant `k`, the same values as in the PyTorch runs.
struct Fixture {
    let rt: Runtime
    let a, b, v, m, t3, s, k: Tensor
    var leaves: [Tensor] { [a, b, v, m, t3, s] }

    init() throws {
        let rt = Runtime()
        self.rt = rt
        func leaf(_ values: [Double], _ shape: [Int]) throws -> Tensor {
            try Tensor.from(rt, values: values, shape: shape, dtype: .float32, requiresGrad: true)
        }
        a = try leaf([0.5, -1.2, 2.0, 0.3, 1.5, 0.7, -0.4, -2.2, 0.9, -0.8, 1.1, 0.25], [3, 4])
        b = try leaf([-0.3, 0.8, 1.7, -1.1, 0.2, -0.6, 0.45, 1.3, -1.4, 2.1, 0.05, -0.7], [3, 4])
        v = try leaf([0.4, -1.5, 2.5, 0.6], [4])
        m = try leaf([0.3, -0.2, 1.1, 0.6, -0.9, 0.4, 0.25, -1.3], [4, 2])
        t3 = try leaf([-1.1, 0.05, 1.2, -0.18, -0.41, 0.74, -0.64, 0.51, 0.28, -1.1, 0.05, 1.2, 0.51, -0.87, 0.28, -1.1, 1.2, -0.18, 0.97, -0.41, -0.64, 0.51, -0.87, 0.28], [2, 3, 4])
        s = try leaf([2.0], [])
        k = try Tensor.from(rt, values: b.values, shape: [3, 4], dtype: .float32)
    }

    /// A Python int / float in an expression.
    func i(_ x: Int) -> Tensor { Tensor.wrapped(rt, Double(x), dtype: .int64) }
    func n(_ x: Double) -> Tensor { Tensor.wrapped(rt, x, dtype: .float64) }
    /// `torch.tensor(list)` of ints, floats, bools.
    func long(_ values: [Double], _ shape: [Int]? = nil) -> Tensor {
        Tensor(runtime: rt, values: values, shape: shape ?? [values.count], dtype: .int64)
    }
    func floats(_ values: [Double], _ shape: [Int]? = nil) -> Tensor {
        Tensor(runtime: rt, values: values.map(DType.float32.round), shape: shape ?? [values.count], dtype: .float32)
    }
    func bools(_ shape: [Int], _ values: [Double]) -> Tensor {
        Tensor(runtime: rt, values: values, shape: shape, dtype: .bool)
    }
    func zeros(_ shape: [Int], _ dtype: DType = .float32) -> Tensor { Tensor.zeros(rt, shape: shape, dtype: dtype) }
}

struct GraphCase: CustomTestStringConvertible, @unchecked Sendable {
    let label: String
    let tree: String
    let shape: [Int]
    let dtype: DType
    let values: [Double]
    /// The `.grad` of a, b, v, m, t3, s after backward; nil when the result
    /// does not require grad.
    let grads: [[Double]?]?
    let body: (Fixture) throws -> Tensor

    init(_ label: String, tree: String, shape: [Int], dtype: DType, values: [Double], grads: [[Double]?]?,
         body: @escaping (Fixture) throws -> Tensor) {
        (self.label, self.tree, self.shape, self.dtype, self.values, self.grads, self.body) = (label, tree, shape, dtype, values, grads, body)
    }

    var testDescription: String { label }
}

struct ErrorCase: CustomTestStringConvertible, @unchecked Sendable {
    let label: String
    let error: TorchError
    let body: (Fixture) throws -> Void

    init(_ label: String, _ error: TorchError, body: @escaping (Fixture) throws -> Void) {
        (self.label, self.error, self.body) = (label, error, body)
    }

    var testDescription: String { label }
}

extension GraphShapeTests {
    static let graphCases: [GraphCase] = [
        GraphCase("a + b",
                  tree: "AddBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.19999998807907104, -0.40000003576278687, 3.700000047683716, -0.800000011920929, 1.7000000476837158, 0.09999996423721313, 0.04999998211860657, -0.9000000953674316, -0.5, 1.2999999523162842, 1.149999976158142, -0.44999998807907104],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil]) { f in
            return try f.a.add(f.b)
        },
        GraphCase("a + 1",
                  tree: "AddBackward0(AccumulateGrad, None)",
                  shape: [3, 4], dtype: .float32, values: [1.5, -0.20000004768371582, 3.0, 1.2999999523162842, 2.5, 1.7000000476837158, 0.6000000238418579, -1.2000000476837158, 1.899999976158142, 0.19999998807907104, 2.0999999046325684, 1.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.add(f.i(1))
        },
        GraphCase("a + k",
                  tree: "AddBackward0(AccumulateGrad, None)",
                  shape: [3, 4], dtype: .float32, values: [0.19999998807907104, -0.40000003576278687, 3.700000047683716, -0.800000011920929, 1.7000000476837158, 0.09999996423721313, 0.04999998211860657, -0.9000000953674316, -0.5, 1.2999999523162842, 1.149999976158142, -0.44999998807907104],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.add(f.k)
        },
        GraphCase("k + a",
                  tree: "AddBackward0(None, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.19999998807907104, -0.40000003576278687, 3.700000047683716, -0.800000011920929, 1.7000000476837158, 0.09999996423721313, 0.04999998211860657, -0.9000000953674316, -0.5, 1.2999999523162842, 1.149999976158142, -0.44999998807907104],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.k.add(f.a)
        },
        GraphCase("a - v",
                  tree: "SubBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.09999999403953552, 0.2999999523162842, -0.5, -0.30000001192092896, 1.100000023841858, 2.200000047683716, -2.9000000953674316, -2.8000001907348633, 0.4999999701976776, 0.699999988079071, -1.399999976158142, -0.3500000238418579],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, [-9.0, -10.5, -12.0, -13.5], nil, nil, nil]) { f in
            return try f.a.sub(f.v)
        },
        GraphCase("1 - a",
                  tree: "RsubBackward1(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, 2.200000047683716, -1.0, 0.699999988079071, -0.5, 0.30000001192092896, 1.399999976158142, 3.200000047683716, 0.10000002384185791, 1.7999999523162842, -0.10000002384185791, 0.75],
                  grads: [[-1.0, -1.5, -2.0, -2.5, -3.0, -3.5, -4.0, -4.5, -5.0, -5.5, -6.0, -6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.rsub(f.i(1))
        },
        GraphCase("a * b",
                  tree: "MulBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [-0.15000000596046448, -0.9600000381469727, 3.4000000953674316, -0.33000001311302185, 0.30000001192092896, -0.42000001668930054, -0.17999999225139618, -2.859999895095825, -1.2599999904632568, -1.6799999475479126, 0.055000003427267075, -0.17499999701976776],
                  grads: [[-0.30000001192092896, 1.2000000476837158, 3.4000000953674316, -2.75, 0.6000000238418579, -2.1000001430511475, 1.7999999523162842, 5.849999904632568, -7.0, 11.549999237060547, 0.30000001192092896, -4.549999713897705], [0.5, -1.8000000715255737, 4.0, 0.75, 4.5, 2.450000047683716, -1.600000023841858, -9.90000057220459, 4.5, -4.400000095367432, 6.600000381469727, 1.625], nil, nil, nil, nil]) { f in
            return try f.a.mul(f.b)
        },
        GraphCase("a * 2.5",
                  tree: "MulBackward0(AccumulateGrad, None)",
                  shape: [3, 4], dtype: .float32, values: [1.25, -3.0, 5.0, 0.75, 3.75, 1.75, -1.0, -5.5, 2.25, -2.0, 2.75, 0.625],
                  grads: [[2.5, 3.75, 5.0, 6.25, 7.5, 8.75, 10.0, 11.25, 12.5, 13.75, 15.0, 16.25], nil, nil, nil, nil, nil]) { f in
            return try f.a.mul(f.n(2.5))
        },
        GraphCase("a / b",
                  tree: "DivBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [-1.6666666269302368, -1.5, 1.1764705181121826, -0.27272728085517883, 7.5, -1.1666666269302368, -0.888888955116272, -1.6923078298568726, -0.6428571343421936, -0.3809524178504944, 22.0, -0.3571428656578064],
                  grads: [[-3.3333332538604736, 1.875, 1.1764705181121826, -2.2727272510528564, 15.0, -5.8333330154418945, 8.88888931274414, 3.461538553237915, -3.5714285373687744, 2.6190476417541504, 120.0, -9.285714149475098], [-5.55555534362793, 2.8125, -1.3840829133987427, -0.6198347210884094, -112.5, -6.8055548667907715, 7.901235580444336, 5.8579888343811035, -2.2959182262420654, 0.9977325201034546, -2640.0, -3.31632661819458], nil, nil, nil, nil]) { f in
            return try f.a.div(f.b)
        },
        GraphCase("2 / a",
                  tree: "MulBackward0(ReciprocalBackward0(AccumulateGrad), None)",
                  shape: [3, 4], dtype: .float32, values: [4.0, -1.6666666269302368, 1.0, 6.666666507720947, 1.3333333730697632, 2.857142925262451, -5.0, -0.9090908765792847, 2.222222328186035, -2.5, 1.8181817531585693, 8.0],
                  grads: [[-8.0, -2.0833332538604736, -1.0, -55.5555534362793, -2.6666669845581055, -14.285714149475098, -50.0, -1.859503984451294, -12.345680236816406, -17.1875, -9.917354583740234, -208.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.rdiv(f.i(2))
        },
        GraphCase("-a",
                  tree: "NegBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [-0.5, 1.2000000476837158, -2.0, -0.30000001192092896, -1.5, -0.699999988079071, 0.4000000059604645, 2.200000047683716, -0.8999999761581421, 0.800000011920929, -1.100000023841858, -0.25],
                  grads: [[-1.0, -1.5, -2.0, -2.5, -3.0, -3.5, -4.0, -4.5, -5.0, -5.5, -6.0, -6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.neg()
        },
        GraphCase("a ** 3",
                  tree: "PowBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.125, -1.7280001640319824, 8.0, 0.027000002562999725, 3.375, 0.34299999475479126, -0.06400000303983688, -10.648000717163086, 0.7289999127388, -0.5120000243186951, 1.3310000896453857, 0.015625],
                  grads: [[0.75, 6.4800004959106445, 24.0, 0.675000011920929, 20.25, 5.1449995040893555, 1.9200000762939453, 65.34000396728516, 12.149999618530273, 10.5600004196167, 21.780000686645508, 1.21875], nil, nil, nil, nil, nil]) { f in
            return try f.a.pow(3, exponentIsInt: true)
        },
        GraphCase("a.abs() ** 0.5",
                  tree: "PowBackward0(AbsBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.7071067690849304, 1.095445156097412, 1.4142135381698608, 0.547722578048706, 1.2247449159622192, 0.8366600275039673, 0.6324555277824402, 1.483239769935608, 0.9486833214759827, 0.8944272398948669, 1.0488089323043823, 0.5],
                  grads: [[0.7071067690849304, -0.6846531629562378, 0.7071067690849304, 2.282177209854126, 1.2247447967529297, 2.0916500091552734, -3.1622776985168457, -1.5169496536254883, 2.6352314949035645, -3.0745935440063477, 2.8603878021240234, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.abs().pow(0.5)
        },
        GraphCase("a.abs() ** b",
                  tree: "PowBackward1(AbsBackward0(AccumulateGrad), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [1.2311444282531738, 1.1570310592651367, 3.249009609222412, 3.7598161697387695, 1.0844718217849731, 1.23862886428833, 0.6621052026748657, 2.7870802879333496, 1.1589387655258179, 0.6258770227432251, 1.0047768354415894, 2.6390156745910645],
                  grads: [[-0.7386866807937622, -1.1570310592651367, 5.523316383361816, -34.4649772644043, 0.4337887167930603, -3.7158865928649902, -2.979473114013672, -7.411099433898926, -9.013968467712402, -9.03609848022461, 0.27403005957603455, -48.03009033203125], [-0.8533642888069153, 0.316427618265152, 4.504083633422852, -11.316790580749512, 1.3191465139389038, -1.5462576150894165, -2.4267232418060303, 9.888723373413086, -0.6105320453643799, -0.768132209777832, 0.5745929479598999, -23.77994155883789], nil, nil, nil, nil]) { f in
            return try f.a.abs().pow(f.b)
        },
        GraphCase("2 ** a",
                  tree: "PowBackward2(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [1.4142135381698608, 0.43527525663375854, 4.0, 1.2311444282531738, 2.8284270763397217, 1.624504804611206, 0.7578582763671875, 0.21763762831687927, 1.8660659790039062, 0.5743491649627686, 2.1435470581054688, 1.1892070770263672],
                  grads: [[0.9802581071853638, 0.4525647461414337, 5.545177459716797, 2.133410692214966, 5.881548881530762, 3.941073179244995, 2.101229429244995, 0.6788471341133118, 6.467291831970215, 2.1895968914031982, 8.914761543273926, 5.3579206466674805], nil, nil, nil, nil, nil]) { f in
            return try f.a.rpow(f.i(2))
        },
        GraphCase("torch.maximum(a, b)",
                  tree: "MaximumBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, 0.800000011920929, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, 0.44999998807907104, 1.2999999523162842, 0.8999999761581421, 2.0999999046325684, 1.100000023841858, 0.25],
                  grads: [[1.0, 0.0, 2.0, 2.5, 3.0, 3.5, 0.0, 0.0, 5.0, 0.0, 6.0, 6.5], [0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 4.0, 4.5, 0.0, 5.5, 0.0, 0.0], nil, nil, nil, nil]) { f in
            return try f.a.maximum(f.b)
        },
        GraphCase("torch.minimum(a, k)",
                  tree: "MinimumBackward0(AccumulateGrad, None)",
                  shape: [3, 4], dtype: .float32, values: [-0.30000001192092896, -1.2000000476837158, 1.7000000476837158, -1.100000023841858, 0.20000000298023224, -0.6000000238418579, -0.4000000059604645, -2.200000047683716, -1.399999976158142, -0.800000011920929, 0.05000000074505806, -0.699999988079071],
                  grads: [[0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 4.0, 4.5, 0.0, 5.5, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.minimum(f.k)
        },
        GraphCase("torch.mm(a, m)",
                  tree: "MmBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 2], dtype: .float32, values: [-2.8949999809265137, -0.4100000560283661, 1.0299999713897705, 2.819999933242798, -1.537500023841858, -0.5449999570846558],
                  grads: [[0.0, 2.0, -0.2999999523162842, -1.6999999284744263, 0.10000002384185791, 3.700000047683716, -0.7999999523162842, -2.75, 0.20000004768371582, 5.40000057220459, -1.2999998331069946, -3.799999713897705], nil, nil, [6.199999809265137, 7.649999618530273, -2.200000286102295, -2.8499999046325684, 4.5, 5.850000381469727, -3.3499999046325684, -4.175000190734863], nil, nil]) { f in
            return try f.a.mm(f.m)
        },
        GraphCase("torch.mv(a, v)",
                  tree: "MvBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3], dtype: .float32, values: [7.179999828338623, -2.7699999809265137, 4.460000038146973],
                  grads: [[0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.6000000238418579, -2.25, 3.75, 0.9000000357627869, 0.800000011920929, -3.0, 5.0, 1.2000000476837158], nil, [4.550000190734863, -1.7500001192092896, 3.5999999046325684, -2.500000238418579], nil, nil, nil]) { f in
            return try f.a.mv(f.v)
        },
        GraphCase("torch.dot(v, v)",
                  tree: "DotBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [], dtype: .float32, values: [9.020000457763672],
                  grads: [nil, nil, [0.800000011920929, -3.0, 5.0, 1.2000000476837158], nil, nil, nil]) { f in
            return try f.v.dot(f.v)
        },
        GraphCase("torch.bmm(t3, t3.transpose(1, 2))",
                  tree: "BmmBackward0(AccumulateGrad, TransposeBackward0(AccumulateGrad))",
                  shape: [2, 3, 3], dtype: .float32, values: [2.6849000453948975, -0.3718000054359436, -0.5190000534057617, -0.3718000054359436, 1.3854000568389893, -0.34880000352859497, -0.5190000534057617, -0.34880000352859497, 2.730900287628174, 2.3053998947143555, 1.4911999702453613, -1.3216999769210815, 1.4911999702453613, 2.581399917602539, -1.81850004196167, -1.3216999769210815, -1.81850004196167, 1.5049999952316284],
                  grads: [nil, nil, nil, nil, [-2.1599998474121094, -3.5399999618530273, 0.14000020921230316, 8.880001068115234, -4.619999885559082, -4.160000324249268, 1.3600001335144043, 11.940000534057617, -7.079999923706055, -4.779999732971191, 2.580000400543213, 15.0, 11.610000610351562, -4.259999752044678, 2.6399998664855957, -13.229999542236328, 13.75, -5.340000152587891, 3.40000057220459, -15.690000534057617, 15.89000129699707, -6.420001029968262, 4.159999847412109, -18.150001525878906], nil]) { f in
            return try f.t3.bmm(f.t3.transpose(1, 2))
        },
        GraphCase("a @ m",
                  tree: "MmBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 2], dtype: .float32, values: [-2.8949999809265137, -0.4100000560283661, 1.0299999713897705, 2.819999933242798, -1.537500023841858, -0.5449999570846558],
                  grads: [[0.0, 2.0, -0.2999999523162842, -1.6999999284744263, 0.10000002384185791, 3.700000047683716, -0.7999999523162842, -2.75, 0.20000004768371582, 5.40000057220459, -1.2999998331069946, -3.799999713897705], nil, nil, [6.199999809265137, 7.649999618530273, -2.200000286102295, -2.8499999046325684, 4.5, 5.850000381469727, -3.3499999046325684, -4.175000190734863], nil, nil]) { f in
            return try f.a.matmul(f.m)
        },
        GraphCase("a @ v",
                  tree: "MvBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3], dtype: .float32, values: [7.179999828338623, -2.7699999809265137, 4.460000038146973],
                  grads: [[0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.6000000238418579, -2.25, 3.75, 0.9000000357627869, 0.800000011920929, -3.0, 5.0, 1.2000000476837158], nil, [4.550000190734863, -1.7500001192092896, 3.5999999046325684, -2.500000238418579], nil, nil, nil]) { f in
            return try f.a.matmul(f.v)
        },
        GraphCase("v @ m",
                  tree: "SqueezeBackward4(MmBackward0(UnsqueezeBackward0(AccumulateGrad), AccumulateGrad))",
                  shape: [2], dtype: .float32, values: [-3.630000114440918, -0.7600000500679016],
                  grads: [nil, nil, [0.0, 2.0, -0.2999999523162842, -1.6999999284744263], [0.4000000059604645, 0.6000000238418579, -1.5, -2.25, 2.5, 3.75, 0.6000000238418579, 0.9000000357627869], nil, nil]) { f in
            return try f.v.matmul(f.m)
        },
        GraphCase("v @ v",
                  tree: "DotBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [], dtype: .float32, values: [9.020000457763672],
                  grads: [nil, nil, [0.800000011920929, -3.0, 5.0, 1.2000000476837158], nil, nil, nil]) { f in
            return try f.v.matmul(f.v)
        },
        GraphCase("t3 @ m",
                  tree: "UnsafeViewBackward0(MmBackward0(ViewBackward0(AccumulateGrad), AccumulateGrad))",
                  shape: [2, 3, 2], dtype: .float32, values: [-1.399999976158142, 0.9639999866485596, 1.3945000171661377, -0.3929999768733978, -0.8709999918937683, -2.25600004196167, -1.3309999704360962, 0.9179999232292175, -0.8135000467300415, 0.5729999542236328, 1.222000002861023, -0.27799999713897705],
                  grads: [nil, nil, nil, [3.120000123977661, 3.0400004386901855, -3.0900001525878906, -3.5149998664855957, 0.820000171661377, 1.315000057220459, -0.3299999237060547, -0.1799997091293335], [0.0, 2.0, -0.2999999523162842, -1.6999999284744263, 0.10000002384185791, 3.700000047683716, -0.7999999523162842, -2.75, 0.20000004768371582, 5.40000057220459, -1.2999998331069946, -3.799999713897705, 0.30000001192092896, 7.100000381469727, -1.7999998331069946, -4.849999904632568, 0.3999999761581421, 8.800000190734863, -2.299999952316284, -5.899999618530273, 0.5, 10.5, -2.799999475479126, -6.949999809265137], nil]) { f in
            return try f.t3.matmul(f.m)
        },
        GraphCase("t3 @ m.detach()",
                  tree: "UnsafeViewBackward0(MmBackward0(ViewBackward0(AccumulateGrad), None))",
                  shape: [2, 3, 2], dtype: .float32, values: [-1.399999976158142, 0.9639999866485596, 1.3945000171661377, -0.3929999768733978, -0.8709999918937683, -2.25600004196167, -1.3309999704360962, 0.9179999232292175, -0.8135000467300415, 0.5729999542236328, 1.222000002861023, -0.27799999713897705],
                  grads: [nil, nil, nil, nil, [0.0, 2.0, -0.2999999523162842, -1.6999999284744263, 0.10000002384185791, 3.700000047683716, -0.7999999523162842, -2.75, 0.20000004768371582, 5.40000057220459, -1.2999998331069946, -3.799999713897705, 0.30000001192092896, 7.100000381469727, -1.7999998331069946, -4.849999904632568, 0.3999999761581421, 8.800000190734863, -2.299999952316284, -5.899999618530273, 0.5, 10.5, -2.799999475479126, -6.949999809265137], nil]) { f in
            return try f.t3.matmul(f.m.detach())
        },
        GraphCase("t3 @ v",
                  tree: "UnsafeViewBackward0(MvBackward0(ViewBackward0(AccumulateGrad), AccumulateGrad))",
                  shape: [2, 3], dtype: .float32, values: [2.376999855041504, -2.568000078201294, 2.6070001125335693, 1.5490000247955322, 2.92900013923645, -3.0280001163482666],
                  grads: [nil, nil, [1.4800002574920654, -1.970000147819519, 0.9050002098083496, -0.014999866485595703], nil, [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.6000000238418579, -2.25, 3.75, 0.9000000357627869, 0.800000011920929, -3.0, 5.0, 1.2000000476837158, 1.0, -3.75, 6.25, 1.5, 1.2000000476837158, -4.5, 7.5, 1.8000000715255737, 1.399999976158142, -5.25, 8.75, 2.1000001430511475], nil]) { f in
            return try f.t3.matmul(f.v)
        },
        GraphCase("t3 @ t3.transpose(1, 2)",
                  tree: "UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(AccumulateGrad)), ReshapeAliasBackward0(ExpandBackward0(TransposeBackward0(AccumulateGrad)))))",
                  shape: [2, 3, 3], dtype: .float32, values: [2.6849000453948975, -0.3718000054359436, -0.5190000534057617, -0.3718000054359436, 1.3854000568389893, -0.34880000352859497, -0.5190000534057617, -0.34880000352859497, 2.730900287628174, 2.3053998947143555, 1.4911999702453613, -1.3216999769210815, 1.4911999702453613, 2.581399917602539, -1.81850004196167, -1.3216999769210815, -1.81850004196167, 1.5049999952316284],
                  grads: [nil, nil, nil, nil, [-2.1599998474121094, -3.5399999618530273, 0.14000020921230316, 8.880001068115234, -4.619999885559082, -4.160000324249268, 1.3600001335144043, 11.940000534057617, -7.079999923706055, -4.779999732971191, 2.580000400543213, 15.0, 11.610000610351562, -4.259999752044678, 2.6399998664855957, -13.229999542236328, 13.75, -5.340000152587891, 3.40000057220459, -15.690000534057617, 15.89000129699707, -6.420001029968262, 4.159999847412109, -18.150001525878906], nil]) { f in
            return try f.t3.matmul(f.t3.transpose(1, 2))
        },
        GraphCase("t3 @ t3.mT.detach()",
                  tree: "UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(AccumulateGrad)), None))",
                  shape: [2, 3, 3], dtype: .float32, values: [2.6849000453948975, -0.3718000054359436, -0.5190000534057617, -0.3718000054359436, 1.3854000568389893, -0.34880000352859497, -0.5190000534057617, -0.34880000352859497, 2.730900287628174, 2.3053998947143555, 1.4911999702453613, -1.3216999769210815, 1.4911999702453613, 2.581399917602539, -1.81850004196167, -1.3216999769210815, -1.81850004196167, 1.5049999952316284],
                  grads: [nil, nil, nil, nil, [-1.1549999713897705, -1.040000081062317, 0.34000006318092346, 2.9850001335144043, -3.0, -1.505000114440918, 1.2549999952316284, 5.28000020980835, -4.84499979019165, -1.9700000286102295, 2.1700003147125244, 7.574999809265137, 5.845000267028809, -2.549999713897705, 1.7049999237060547, -6.690000057220459, 7.449999809265137, -3.3600001335144043, 2.27500057220459, -8.535000801086426, 9.055000305175781, -4.1700005531311035, 2.8450002670288086, -10.380001068115234], nil]) { f in
            return try f.t3.matmul(f.t3.transpose(1, 2).detach())
        },
        GraphCase("t3.unsqueeze(1) @ t3.transpose(1, 2)",
                  tree: "UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(UnsqueezeBackward0(AccumulateGrad)))), UnsafeViewBackward0(CloneBackward0(ExpandBackward0(TransposeBackward0(AccumulateGrad))))))",
                  shape: [2, 2, 3, 3], dtype: .float32, values: [2.6849000453948975, -0.3718000054359436, -0.5190000534057617, -0.3718000054359436, 1.3854000568389893, -0.34880000352859497, -0.5190000534057617, -0.34880000352859497, 2.730900287628174, -0.0704999566078186, -0.09119995683431625, -0.36490005254745483, -1.5930999517440796, -1.4551000595092773, 1.3393999338150024, -0.2062000036239624, 0.09050002694129944, -0.44769996404647827, -0.0704999566078186, -1.5930999517440796, -0.2062000036239624, -0.09119995683431625, -1.4551000595092773, 0.09050002694129944, -0.36490005254745483, 1.3393999338150024, -0.44769996404647827, 2.3053998947143555, 1.4911999702453613, -1.3216999769210815, 1.4911999702453613, 2.581399917602539, -1.81850004196167, -1.3216999769210815, -1.81850004196167, 1.5049999952316284],
                  grads: [nil, nil, nil, nil, [14.265000343322754, -10.229999542236328, 4.4900007247924805, -9.88499927520752, 13.945001602172852, -11.930000305175781, 6.470000743865967, -9.285001754760742, 13.625001907348633, -13.630000114440918, 8.449999809265137, -8.685001373291016, 12.105001449584961, -21.704999923706055, 17.85500144958496, -5.834999084472656, 11.785003662109375, -23.404998779296875, 19.835002899169922, -5.234996795654297, 11.465002059936523, -25.105003356933594, 21.81500244140625, -4.6349992752075195], nil]) { f in
            return try f.t3.unsqueeze(1).matmul(f.t3.transpose(1, 2))
        },
        GraphCase("v @ t3.transpose(1, 2)",
                  tree: "UnsafeViewBackward0(MvBackward0(ViewBackward0(TransposeBackward0(TransposeBackward0(AccumulateGrad))), AccumulateGrad))",
                  shape: [2, 3], dtype: .float32, values: [2.376999855041504, -2.568000078201294, 2.6070001125335693, 1.5490000247955322, 2.92900013923645, -3.0280001163482666],
                  grads: [nil, nil, [1.4800002574920654, -1.970000147819519, 0.9050002098083496, -0.014999866485595703], nil, [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.6000000238418579, -2.25, 3.75, 0.9000000357627869, 0.800000011920929, -3.0, 5.0, 1.2000000476837158, 1.0, -3.75, 6.25, 1.5, 1.2000000476837158, -4.5, 7.5, 1.8000000715255737, 1.399999976158142, -5.25, 8.75, 2.1000001430511475], nil]) { f in
            return try f.v.matmul(f.t3.transpose(1, 2))
        },
        GraphCase("v[:3] @ t3",
                  tree: "UnsafeViewBackward0(MvBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(AccumulateGrad))), SliceBackward0(AccumulateGrad)))",
                  shape: [2, 4], dtype: .float32, values: [0.875, -3.8400001525878906, 1.565000057220459, 2.1630001068115234, -3.196000099182129, 1.1970000267028809, -3.5180001258850098, 0.875],
                  grads: [nil, nil, [-4.4200005531311035, 5.699999809265137, -0.6250001192092896, 0.0], nil, [0.4000000059604645, 0.6000000238418579, 0.800000011920929, 1.0, -1.5, -2.25, -3.0, -3.75, 2.5, 3.75, 5.0, 6.25, 1.2000000476837158, 1.399999976158142, 1.600000023841858, 1.8000000715255737, -4.5, -5.25, -6.0, -6.75, 7.5, 8.75, 10.0, 11.25], nil]) { f in
            return try f.v.index([.slice(start: nil, stop: 3, step: nil)]).matmul(f.t3)
        },
        GraphCase("m.t() @ t3.transpose(1, 2)",
                  tree: "CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(ViewBackward0(TransposeBackward0(TransposeBackward0(AccumulateGrad))), TBackward0(TBackward0(AccumulateGrad))))))",
                  shape: [2, 2, 3], dtype: .float32, values: [-1.399999976158142, 1.3945000171661377, -0.8709999918937683, 0.9639999866485596, -0.3929999768733978, -2.25600004196167, -1.3309999704360962, -0.8135000467300415, 1.222000002861023, 0.9179999232292175, 0.5729999542236328, -0.27799999713897705],
                  grads: [nil, nil, nil, [3.0850000381469727, 2.8450002670288086, -2.7799999713897705, -4.054999828338623, 1.4750003814697266, 2.9599995613098145, -1.8600000143051147, -1.409999966621399], [-0.19999998807907104, 2.5999999046325684, 0.10000002384185791, -3.0, -0.15000000596046448, 3.450000286102295, -0.14999985694885254, -3.5249998569488525, -0.09999996423721313, 4.300000190734863, -0.3999999761581421, -4.049999713897705, 0.10000002384185791, 7.700000286102295, -1.3999998569488525, -6.149999618530273, 0.1499999761581421, 8.550000190734863, -1.6499996185302734, -6.674999713897705, 0.19999992847442627, 9.399999618530273, -1.8999998569488525, -7.199999809265137], nil]) { f in
            return try f.m.t().matmul(f.t3.transpose(1, 2))
        },
        GraphCase("a.t()",
                  tree: "TBackward0(AccumulateGrad)",
                  shape: [4, 3], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.t()
        },
        GraphCase("a.T",
                  tree: "PermuteBackward0(AccumulateGrad)",
                  shape: [4, 3], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.reversedDims()
        },
        GraphCase("a.transpose(0, 1)",
                  tree: "TransposeBackward0(AccumulateGrad)",
                  shape: [4, 3], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.transpose(0, 1)
        },
        GraphCase("t3.permute(2, 0, 1)",
                  tree: "PermuteBackward0(AccumulateGrad)",
                  shape: [4, 2, 3], dtype: .float32, values: [-1.100000023841858, -0.4099999964237213, 0.2800000011920929, 0.5099999904632568, 1.2000000476837158, -0.6399999856948853, 0.05000000074505806, 0.7400000095367432, -1.100000023841858, -0.8700000047683716, -0.18000000715255737, 0.5099999904632568, 1.2000000476837158, -0.6399999856948853, 0.05000000074505806, 0.2800000011920929, 0.9700000286102295, -0.8700000047683716, -0.18000000715255737, 0.5099999904632568, 1.2000000476837158, -1.100000023841858, -0.4099999964237213, 0.2800000011920929],
                  grads: [nil, nil, nil, nil, [1.0, 4.0, 7.0, 10.0, 1.5, 4.5, 7.5, 10.5, 2.0, 5.0, 8.0, 11.0, 2.5, 5.5, 8.5, 11.5, 3.0, 6.0, 9.0, 12.0, 3.5, 6.5, 9.5, 12.5], nil]) { f in
            return try f.t3.permute([2, 0, 1])
        },
        GraphCase("a.view(12)",
                  tree: "ViewBackward0(AccumulateGrad)",
                  shape: [12], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.view([12])
        },
        GraphCase("a.reshape(4, 3)",
                  tree: "ViewBackward0(AccumulateGrad)",
                  shape: [4, 3], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.reshape([4, 3])
        },
        GraphCase("a.t().reshape(12)",
                  tree: "UnsafeViewBackward0(CloneBackward0(TBackward0(AccumulateGrad)))",
                  shape: [12], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.t().reshape([12])
        },
        GraphCase("t3.flatten()",
                  tree: "ViewBackward0(AccumulateGrad)",
                  shape: [24], dtype: .float32, values: [-1.100000023841858, 0.05000000074505806, 1.2000000476837158, -0.18000000715255737, -0.4099999964237213, 0.7400000095367432, -0.6399999856948853, 0.5099999904632568, 0.2800000011920929, -1.100000023841858, 0.05000000074505806, 1.2000000476837158, 0.5099999904632568, -0.8700000047683716, 0.2800000011920929, -1.100000023841858, 1.2000000476837158, -0.18000000715255737, 0.9700000286102295, -0.4099999964237213, -0.6399999856948853, 0.5099999904632568, -0.8700000047683716, 0.2800000011920929],
                  grads: [nil, nil, nil, nil, [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0, 12.5], nil]) { f in
            return try f.t3.flatten()
        },
        GraphCase("a.t().flatten()",
                  tree: "UnsafeViewBackward0(CloneBackward0(TBackward0(AccumulateGrad)))",
                  shape: [12], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.t().flatten()
        },
        GraphCase("a.t().view(4, 3, 1)",
                  tree: "ViewBackward0(TBackward0(AccumulateGrad))",
                  shape: [4, 3, 1], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.t().view([4, 3, 1])
        },
        GraphCase("a.t().reshape(4, 3)",
                  tree: "ReshapeAliasBackward0(TBackward0(AccumulateGrad))",
                  shape: [4, 3], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.t().reshape([4, 3])
        },
        GraphCase("a[:, 1:2].reshape(3)",
                  tree: "ReshapeAliasBackward0(SliceBackward0(AccumulateGrad))",
                  shape: [3], dtype: .float32, values: [-1.2000000476837158, 0.699999988079071, -0.800000011920929],
                  grads: [[0.0, 1.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: nil), .slice(start: 1, stop: 2, step: nil)]).reshape([3])
        },
        GraphCase("a[::2].reshape(2, 2, 2)",
                  tree: "ReshapeAliasBackward0(SliceBackward0(AccumulateGrad))",
                  shape: [2, 2, 2], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 4.0, 4.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: 2)]).reshape([2, 2, 2])
        },
        GraphCase("v.expand(3, 4).view(3, 2, 2)",
                  tree: "ViewBackward0(ExpandBackward0(AccumulateGrad))",
                  shape: [3, 2, 2], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [nil, nil, [9.0, 10.5, 12.0, 13.5], nil, nil, nil]) { f in
            return try f.v.expand([3, 4]).view([3, 2, 2])
        },
        GraphCase("v.expand(3, 4).reshape(12)",
                  tree: "UnsafeViewBackward0(CloneBackward0(ExpandBackward0(AccumulateGrad)))",
                  shape: [12], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [nil, nil, [9.0, 10.5, 12.0, 13.5], nil, nil, nil]) { f in
            return try f.v.expand([3, 4]).reshape([12])
        },
        GraphCase("a.unsqueeze(0).expand(2, 3, 4).reshape(2, 12)",
                  tree: "ReshapeAliasBackward0(ExpandBackward0(UnsqueezeBackward0(AccumulateGrad)))",
                  shape: [2, 12], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, 0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.unsqueeze(0).expand([2, 3, 4]).reshape([2, 12])
        },
        GraphCase("a.unsqueeze(0).squeeze()",
                  tree: "SqueezeBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.unsqueeze(0).squeeze()
        },
        GraphCase("a.unsqueeze(1).squeeze(1)",
                  tree: "SqueezeBackward1(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.unsqueeze(1).squeeze(1)
        },
        GraphCase("v.expand(3, 4)",
                  tree: "ExpandBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [nil, nil, [9.0, 10.5, 12.0, 13.5], nil, nil, nil]) { f in
            return try f.v.expand([3, 4])
        },
        GraphCase("a.select(1, 2)",
                  tree: "SelectBackward0(AccumulateGrad)",
                  shape: [3], dtype: .float32, values: [2.0, -0.4000000059604645, 1.100000023841858],
                  grads: [[0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 2.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.select(1, 2)
        },
        GraphCase("a.clone()",
                  tree: "CloneBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.clone()
        },
        GraphCase("a.t().contiguous()",
                  tree: "CloneBackward0(TBackward0(AccumulateGrad))",
                  shape: [4, 3], dtype: .float32, values: [0.5, 1.5, 0.8999999761581421, -1.2000000476837158, 0.699999988079071, -0.800000011920929, 2.0, -0.4000000059604645, 1.100000023841858, 0.30000001192092896, -2.200000047683716, 0.25],
                  grads: [[1.0, 2.5, 4.0, 5.5, 1.5, 3.0, 4.5, 6.0, 2.0, 3.5, 5.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.t().contiguous()
        },
        GraphCase("a.double()",
                  tree: "ToCopyBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float64, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.to(.float64)
        },
        GraphCase("a.sum()",
                  tree: "SumBackward0(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [2.6499998569488525],
                  grads: [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.sum()
        },
        GraphCase("t3.sum((0, 2), keepdim=True)",
                  tree: "SumBackward1(AccumulateGrad)",
                  shape: [1, 3, 1], dtype: .float32, values: [-1.2100000381469727, 1.78000009059906, -0.2900000214576721],
                  grads: [nil, nil, nil, nil, [1.0, 1.0, 1.0, 1.0, 1.5, 1.5, 1.5, 1.5, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.5, 1.5, 1.5, 1.5, 2.0, 2.0, 2.0, 2.0], nil]) { f in
            return try f.t3.sum(dims: [0, 2], keepdim: true)
        },
        GraphCase("a.mean()",
                  tree: "MeanBackward0(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [0.22083331644535065],
                  grads: [[0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602, 0.0833333358168602], nil, nil, nil, nil, nil]) { f in
            return try f.a.mean()
        },
        GraphCase("t3.mean(1)",
                  tree: "MeanBackward1(AccumulateGrad)",
                  shape: [2, 4], dtype: .float32, values: [-0.4099999964237213, -0.10333333164453506, 0.20333336293697357, 0.5099999904632568, 0.3566666841506958, -0.17999999225139618, 0.12666666507720947, -0.4099999964237213],
                  grads: [nil, nil, nil, nil, [0.3333333432674408, 0.5, 0.6666666865348816, 0.8333333134651184, 0.3333333432674408, 0.5, 0.6666666865348816, 0.8333333134651184, 0.3333333432674408, 0.5, 0.6666666865348816, 0.8333333134651184, 1.0, 1.1666666269302368, 1.3333333730697632, 1.5, 1.0, 1.1666666269302368, 1.3333333730697632, 1.5, 1.0, 1.1666666269302368, 1.3333333730697632, 1.5], nil]) { f in
            return try f.t3.mean(dims: [1])
        },
        GraphCase("a.exp() + a.log().abs() + a.abs().sqrt()",
                  tree: "AddBackward0(AddBackward0(ExpBackward0(AccumulateGrad), AbsBackward0(LogBackward0(AccumulateGrad))), SqrtBackward0(AbsBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [3.0489752292633057, .nan, 9.496416091918945, 3.1015541553497314, 6.111898899078369, 3.207087516784668, .nan, .nan, 3.5136468410491943, .nan, 4.148285388946533, 3.1703197956085205],
                  grads: [[0.35582804679870605, -0.23286187648773193, 16.485219955444336, -2.676508903503418, 16.669811248779297, 4.139784336090088, -0.48099756240844727, -1.0183354616165161, 9.377691268920898, -0.6032841205596924, 26.33993148803711, -11.153834342956543], nil, nil, nil, nil, nil]) { f in
            return try f.a.exp().add(f.a.log().abs()).add(f.a.abs().sqrt())
        },
        GraphCase("a.log().relu()",
                  tree: "ReluBackward0(LogBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.0, .nan, 0.6931471824645996, 0.0, 0.40546512603759766, 0.0, .nan, .nan, 0.0, .nan, 0.09531020373106003, 0.0],
                  grads: [[0.0, -1.25, 1.0, 0.0, 2.0, 0.0, -10.0, -2.045454502105713, 0.0, -6.875, 5.454545497894287, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.log().relu()
        },
        GraphCase("a.log().sign()",
                  tree: "SignBackward0(LogBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [-1.0, 0.0, 1.0, -1.0, 1.0, -1.0, 0.0, 0.0, -1.0, 0.0, 1.0, -1.0],
                  grads: [[0.0, -0.0, 0.0, 0.0, 0.0, 0.0, -0.0, -0.0, 0.0, -0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.log().sign()
        },
        GraphCase("a.log().clamp(min=0)",
                  tree: "ClampBackward1(LogBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.0, .nan, 0.6931471824645996, 0.0, 0.40546512603759766, 0.0, .nan, .nan, 0.0, .nan, 0.09531020373106003, 0.0],
                  grads: [[0.0, -0.0, 1.0, 0.0, 2.0, 0.0, -0.0, -0.0, 0.0, -0.0, 5.454545497894287, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.log().clamp(min: 0, max: nil)
        },
        GraphCase("a.sin() * a.cos()",
                  tree: "MulBackward0(SinBackward0(AccumulateGrad), CosBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.42073550820350647, -0.3377315402030945, -0.3784012496471405, 0.2823212444782257, 0.07056000083684921, 0.49272486567497253, -0.35867807269096375, 0.4758010506629944, 0.48692381381988525, -0.4997867941856384, 0.4042482078075409, 0.23971277475357056],
                  grads: [[0.5403022766113281, -1.1060906648635864, -1.3072870969772339, 2.0633392333984375, -2.969977617263794, 0.5948852300643921, 2.7868266105651855, -1.3829975128173828, -1.1360100507736206, -0.1605973243713379, -3.5310068130493164, 5.704286575317383], nil, nil, nil, nil, nil]) { f in
            return try f.a.sin().mul(f.a.cos())
        },
        GraphCase("a.tanh() + a.sigmoid() + a.relu()",
                  tree: "AddBackward0(AddBackward0(TanhBackward0(AccumulateGrad), SigmoidBackward0(AccumulateGrad)), ReluBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [1.5845764875411987, -0.6021794080734253, 3.8448245525360107, 1.1657551527023315, 3.2227227687835693, 1.9725556373596191, 0.021363377571105957, -0.8759926557540894, 2.327247142791748, -0.3540112376213074, 2.650759220123291, 1.0570951700210571],
                  grads: [[2.021451473236084, 0.7243715524673462, 2.3512887954711914, 5.398987770080566, 3.9895591735839844, 6.497583866119385, 4.383598327636719, 0.6197656989097595, 8.462088584899902, 4.251307010650635, 9.279427528381348, 14.209968566894531], nil, nil, nil, nil, nil]) { f in
            return try f.a.tanh().add(f.a.sigmoid()).add(f.a.relu())
        },
        GraphCase("a.clamp(min=-0.5, max=1.0)",
                  tree: "ClampBackward1(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, -0.5, 1.0, 0.30000001192092896, 1.0, 0.699999988079071, -0.4000000059604645, -0.5, 0.8999999761581421, -0.5, 1.0, 0.25],
                  grads: [[1.0, 0.0, 0.0, 2.5, 0.0, 3.5, 4.0, 0.0, 5.0, 0.0, 0.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.clamp(min: -0.5, max: 1.0)
        },
        GraphCase("torch.where(a > 0, a, b)",
                  tree: "WhereBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, 0.800000011920929, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, 0.44999998807907104, 1.2999999523162842, 0.8999999761581421, 2.0999999046325684, 1.100000023841858, 0.25],
                  grads: [[1.0, 0.0, 2.0, 2.5, 3.0, 3.5, 0.0, 0.0, 5.0, 0.0, 6.0, 6.5], [0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 4.0, 4.5, 0.0, 5.5, 0.0, 0.0], nil, nil, nil, nil]) { f in
            return try Tensor.where(f.a.gt(f.i(0)), f.a, f.b)
        },
        GraphCase("torch.where(a > 0, a, 0.0)",
                  tree: "WhereBackward0(AccumulateGrad, None)",
                  shape: [3, 4], dtype: .float32, values: [0.5, 0.0, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, 0.0, 0.0, 0.8999999761581421, 0.0, 1.100000023841858, 0.25],
                  grads: [[1.0, 0.0, 2.0, 2.5, 3.0, 3.5, 0.0, 0.0, 5.0, 0.0, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try Tensor.where(f.a.gt(f.i(0)), f.a, f.n(0))
        },
        GraphCase("a.softmax(1)",
                  tree: "SoftmaxBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.15424712002277374, 0.02817840501666069, 0.691287636756897, 0.1262868493795395, 0.6159073114395142, 0.2767449915409088, 0.09212040156126022, 0.015227400697767735, 0.34174805879592896, 0.062431734055280685, 0.41741204261779785, 0.17840813100337982],
                  grads: [[-0.13802142441272736, -0.011125034652650356, 0.0727185532450676, 0.07642790675163269, -0.1560305804014206, 0.06826343387365341, 0.06878312677145004, 0.018983474001288414, -0.24477361142635345, -0.013500234112143517, 0.11844486743211746, 0.13982917368412018], nil, nil, nil, nil, nil]) { f in
            return try f.a.softmax(dim: 1)
        },
        GraphCase("a.softmax(0)",
                  tree: "SoftmaxBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.19193466007709503, 0.10895951837301254, 0.6678743958473206, 0.49180784821510315, 0.5217325091362, 0.7284919619560242, 0.06058819219470024, 0.040370047092437744, 0.2863328456878662, 0.16254852712154388, 0.2715374827384949, 0.4678220748901367],
                  grads: [[-0.420105904340744, -0.22959712147712708, -0.8063424229621887, -0.9600228071212769, -0.0985012799501419, -0.07807846367359161, 0.04802665859460831, 0.0019366207998245955, 0.5186070203781128, 0.30767539143562317, 0.7583155632019043, 0.958086371421814], nil, nil, nil, nil, nil]) { f in
            return try f.a.softmax(dim: 0)
        },
        GraphCase("t3.softmax(-1)",
                  tree: "SoftmaxBackward0(AccumulateGrad)",
                  shape: [2, 3, 4], dtype: .float32, values: [0.06009012460708618, 0.1897762268781662, 0.5993499755859375, 0.15078356862068176, 0.13401201367378235, 0.42323580384254456, 0.1064770445227623, 0.3362750709056854, 0.21951955556869507, 0.0552264079451561, 0.17441566288471222, 0.5508383512496948, 0.44523605704307556, 0.11201183497905731, 0.35375499725341797, 0.08899717032909393, 0.44523605704307556, 0.11201182007789612, 0.35375499725341797, 0.08899717032909393, 0.13401201367378235, 0.42323580384254456, 0.1064770445227623, 0.3362750709056854],
                  grads: [nil, nil, nil, nil, [-0.055307745933532715, -0.07978443801403046, 0.04770031198859215, 0.087392158806324, -0.1102258712053299, -0.1364966779947281, 0.018898889422416687, 0.2278238832950592, -0.22572898864746094, -0.02917536348104477, -0.0049336012452840805, 0.25983789563179016, -0.2418777048587799, -0.004845322575420141, 0.16157503426074982, 0.08514739573001862, -0.2418774962425232, -0.0048452685587108135, 0.16157519817352295, 0.0851474404335022, -0.11022567749023438, -0.13649606704711914, 0.018899042159318924, 0.2278243601322174], nil]) { f in
            return try f.t3.softmax(dim: -1)
        },
        GraphCase("a.log_softmax(1)",
                  tree: "LogSoftmaxBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [-1.869199275970459, -3.569199323654175, -0.36919930577278137, -2.069199323654175, -0.4846588373184204, -1.2846589088439941, -2.3846588134765625, -4.184659004211426, -1.0736814737319946, -2.773681640625, -0.8736814260482788, -1.7236814498901367],
                  grads: [[-0.0797298401594162, 1.3027511835098267, -2.8390135765075684, 1.6159920692443848, -6.238609790802002, -0.6511744260787964, 2.6181938648223877, 4.2715888023376465, -2.8602054119110107, 4.064070224761963, -3.6004769802093506, 2.3966126441955566], nil, nil, nil, nil, nil]) { f in
            return try f.a.logSoftmax(dim: 1)
        },
        GraphCase("t3.log_softmax(1)",
                  tree: "LogSoftmaxBackward0(AccumulateGrad)",
                  shape: [2, 3, 4], dtype: .float32, values: [-1.9414167404174805, -1.1970546245574951, -0.38896581530570984, -1.94141685962677, -1.251416802406311, -0.5070546269416809, -2.2289657592773438, -1.251416802406311, -0.5614168047904968, -2.3470547199249268, -1.5389659404754639, -0.561416745185852, -1.1970546245574951, -1.9414167404174805, -1.1970546245574951, -1.9414167404174805, -0.5070546269416809, -1.251416802406311, -0.5070546269416809, -1.251416802406311, -2.3470547199249268, -0.5614168047904968, -2.3470547199249268, -0.5614168047904968],
                  grads: [nil, nil, nil, nil, [-0.29150456190109253, -1.671867847442627, -6.133089065551758, 0.5627433657646179, 0.42510750889778137, -2.8238019943237305, 2.7083234786987305, 0.6376612782478333, -0.13360321521759033, 4.495670318603516, 3.424765110015869, -1.2004048824310303, -1.1562317609786987, 3.410235643386841, -1.0624797344207764, 3.979733943939209, -7.261204719543457, 1.3461737632751465, -8.068005561828613, 1.487876296043396, 8.417437553405762, -4.756410121917725, 9.130486488342285, -5.467611312866211], nil]) { f in
            return try f.t3.logSoftmax(dim: 1)
        },
        GraphCase("(a * 100).softmax(1)",
                  tree: "SoftmaxBackward0(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [0.0, 0.0, 1.0, 0.0, 1.0, 1.8048513285848406e-35, 0.0, 0.0, 2.06115369216775e-09, 0.0, 1.0, 1.2160992719555806e-37],
                  grads: [[-0.0, -0.0, 0.0, 0.0, 0.0, 9.024256355938277e-34, 0.0, 0.0, -2.0611537365766708e-07, -0.0, 0.0, 6.080496359777903e-36], nil, nil, nil, nil, nil]) { f in
            return try f.a.mul(f.i(100)).softmax(dim: 1)
        },
        GraphCase("(a * 100).log_softmax(0)",
                  tree: "LogSoftmaxBackward0(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [-100.0, -190.0, 0.0, -0.006715348921716213, 0.0, 0.0, -240.0, -250.0067138671875, -60.0, -150.0, -90.0, -5.006717205047607],
                  grads: [[100.0, 150.0, -1000.0, -1090.9647216796875, -600.0, -700.0, 400.0, 450.0, 500.0, 550.0, 600.0, 640.9646606445312], nil, nil, nil, nil, nil]) { f in
            return try f.a.mul(f.i(100)).logSoftmax(dim: 0)
        },
        GraphCase("s.softmax(0)",
                  tree: "SoftmaxBackward0(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [1.0],
                  grads: [nil, nil, nil, nil, nil, [0.0]]) { f in
            return try f.s.softmax(dim: 0)
        },
        GraphCase("r, = torch.autograd.grad(a.softmax(1), a, b, create_graph=True)",
                  tree: "SoftmaxBackwardDataBackward0(AccumulateGrad, SoftmaxBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [-0.2024558186531067, -0.005989094264805317, 0.47523123025894165, -0.2667863070964813, 0.11185846477746964, -0.17113475501537323, 0.039760615676641464, 0.01951567642390728, -0.32419732213020325, 0.1592855602502823, 0.20927193760871887, -0.04436015337705612],
                  grads: [[0.17004431784152985, 0.00033408202580176294, 0.0001787427463568747, -0.17055700719356537, -0.018154636025428772, -0.03763756901025772, 0.03121093474328518, 0.02458127588033676, 0.15620705485343933, -0.048327188938856125, -0.03343870863318443, -0.07444107532501221], [-0.13802142441272736, -0.011125034652650356, 0.0727185532450676, 0.07642790675163269, -0.1560305804014206, 0.06826343387365341, 0.06878312677145004, 0.018983474001288414, -0.24477361142635345, -0.013500234112143517, 0.11844486743211746, 0.13982917368412018], nil, nil, nil, nil]) { f in
            return try Engine.grad(outputs: [f.a.softmax(dim: 1)], inputs: [f.a], gradOutputs: [f.b], createGraph: true)[0]!
        },
        GraphCase("r, = torch.autograd.grad(a.log_softmax(0), a, b, create_graph=True)",
                  tree: "LogSoftmaxBackwardDataBackward0(AccumulateGrad, LogSoftmaxBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [-0.012098021805286407, 0.5493931174278259, 0.2306763380765915, -0.8540960550308228, 0.9825987815856934, -2.275531530380249, 0.31670594215393066, 1.3201849460601807, -0.9705007076263428, 1.7261383533477783, -0.5473824143409729, -0.4660889208316803],
                  grads: [[-0.6301588416099548, 0.5280733704566956, 1.7739530801773071, -0.4800114631652832, -0.14775188267230988, 0.17958033084869385, -0.10565869510173798, 0.0009683082462288439, 0.7779105305671692, -0.7076534628868103, -1.6682941913604736, 0.47904330492019653], [-2.1887965202331543, -2.107178211212158, -1.2073264122009277, -1.9520282745361328, -0.1887965202331543, -0.1071782112121582, 0.7926735877990723, 0.04797172546386719, 1.8112034797668457, 1.8928217887878418, 2.7926735877990723, 2.047971725463867], nil, nil, nil, nil]) { f in
            return try Engine.grad(outputs: [f.a.logSoftmax(dim: 0)], inputs: [f.a], gradOutputs: [f.b], createGraph: true)[0]!
        },
        GraphCase("r, = torch.autograd.grad(a.softmax(1), a, k, create_graph=True)",
                  tree: "SoftmaxBackwardDataBackward0(None, SoftmaxBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [-0.2024558186531067, -0.005989094264805317, 0.47523123025894165, -0.2667863070964813, 0.11185846477746964, -0.17113475501537323, 0.039760615676641464, 0.01951567642390728, -0.32419732213020325, 0.1592855602502823, 0.20927193760871887, -0.04436015337705612],
                  grads: [[0.17004431784152985, 0.00033408202580176294, 0.0001787427463568747, -0.17055700719356537, -0.018154636025428772, -0.03763756901025772, 0.03121093474328518, 0.02458127588033676, 0.15620705485343933, -0.048327188938856125, -0.03343870863318443, -0.07444107532501221], nil, nil, nil, nil, nil]) { f in
            return try Engine.grad(outputs: [f.a.softmax(dim: 1)], inputs: [f.a], gradOutputs: [f.k], createGraph: true)[0]!
        },
        GraphCase("a.max()",
                  tree: "MaxBackward1(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [2.0],
                  grads: [[0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.max()
        },
        GraphCase("a.min()",
                  tree: "MinBackward1(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [-2.200000047683716],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.min()
        },
        GraphCase("t3.max()",
                  tree: "MaxBackward1(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [1.2000000476837158],
                  grads: [nil, nil, nil, nil, [0.0, 0.0, 0.3333333432674408, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3333333432674408, 0.0, 0.0, 0.0, 0.0, 0.3333333432674408, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try f.t3.max()
        },
        GraphCase("t3.min()",
                  tree: "MinBackward1(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [-1.100000023841858],
                  grads: [nil, nil, nil, nil, [0.3333333432674408, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3333333432674408, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3333333432674408, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try f.t3.min()
        },
        GraphCase("a.max(1).values",
                  tree: "MaxBackward0(AccumulateGrad)",
                  shape: [3], dtype: .float32, values: [2.0, 1.5, 1.100000023841858],
                  grads: [[0.0, 0.0, 1.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.max(dim: 1).values
        },
        GraphCase("a.max(1).indices",
                  tree: "None",
                  shape: [3], dtype: .int64, values: [2.0, 0.0, 2.0],
                  grads: nil) { f in
            return try f.a.max(dim: 1).indices
        },
        GraphCase("a.min(0, keepdim=True).values",
                  tree: "MinBackward0(AccumulateGrad)",
                  shape: [1, 4], dtype: .float32, values: [0.5, -1.2000000476837158, -0.4000000059604645, -2.200000047683716],
                  grads: [[1.0, 1.5, 0.0, 0.0, 0.0, 0.0, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.min(dim: 0, keepdim: true).values
        },
        GraphCase("t3.max(2).values",
                  tree: "MaxBackward0(AccumulateGrad)",
                  shape: [2, 3], dtype: .float32, values: [1.2000000476837158, 0.7400000095367432, 1.2000000476837158, 0.5099999904632568, 1.2000000476837158, 0.5099999904632568],
                  grads: [nil, nil, nil, nil, [0.0, 0.0, 1.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 2.5, 0.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 3.5, 0.0, 0.0], nil]) { f in
            return try f.t3.max(dim: 2).values
        },
        GraphCase("t3.max(2).indices",
                  tree: "None",
                  shape: [2, 3], dtype: .int64, values: [2.0, 1.0, 3.0, 0.0, 0.0, 1.0],
                  grads: nil) { f in
            return try f.t3.max(dim: 2).indices
        },
        GraphCase("t3.min(-1, keepdim=True).indices",
                  tree: "None",
                  shape: [2, 3, 1], dtype: .int64, values: [0.0, 2.0, 1.0, 3.0, 3.0, 2.0],
                  grads: nil) { f in
            return try f.t3.min(dim: -1, keepdim: true).indices
        },
        GraphCase("s.max(0).values",
                  tree: "MaxBackward0(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [2.0],
                  grads: [nil, nil, nil, nil, nil, [1.0]]) { f in
            return try f.s.max(dim: 0).values
        },
        GraphCase("t3.argmax()",
                  tree: "None",
                  shape: [], dtype: .int64, values: [2.0],
                  grads: nil) { f in
            return try f.t3.argmax()
        },
        GraphCase("t3.argmin()",
                  tree: "None",
                  shape: [], dtype: .int64, values: [0.0],
                  grads: nil) { f in
            return try f.t3.argmin()
        },
        GraphCase("t3.argmax(1)",
                  tree: "None",
                  shape: [2, 4], dtype: .int64, values: [2.0, 1.0, 0.0, 2.0, 1.0, 2.0, 1.0, 2.0],
                  grads: nil) { f in
            return try f.t3.argmax(dim: 1)
        },
        GraphCase("t3.argmin(0, keepdim=True)",
                  tree: "None",
                  shape: [1, 3, 4], dtype: .int64, values: [0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0],
                  grads: nil) { f in
            return try f.t3.argmin(dim: 0, keepdim: true)
        },
        GraphCase("torch.tensor([1.0, float('nan'), 3.0, float('nan')]).max(0).indices",
                  tree: "None",
                  shape: [], dtype: .int64, values: [1.0],
                  grads: nil) { f in
            return try f.floats([1, .nan, 3, .nan]).max(dim: 0).indices
        },
        GraphCase("torch.tensor([1.0, float('nan'), 3.0]).argmin()",
                  tree: "None",
                  shape: [], dtype: .int64, values: [1.0],
                  grads: nil) { f in
            return try f.floats([1, .nan, 3]).argmin()
        },
        GraphCase("torch.tensor([4, 7, 7, 1]).max(0).values",
                  tree: "None",
                  shape: [], dtype: .int64, values: [7.0],
                  grads: nil) { f in
            return try f.long([4, 7, 7, 1]).max(dim: 0).values
        },
        GraphCase("r, = torch.autograd.grad(a.max(1).values, a, v[:3], create_graph=True)",
                  tree: "ScatterBackward0(None, UnsqueezeBackward0(SliceBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [0.0, 0.0, 0.4000000059604645, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 2.5, 0.0],
                  grads: [nil, nil, [2.0, 3.0, 6.0, 0.0], nil, nil, nil]) { f in
            return try Engine.grad(outputs: [f.a.max(dim: 1).values], inputs: [f.a], gradOutputs: [f.v.index([.slice(start: nil, stop: 3, step: nil)])], createGraph: true)[0]!
        },
        GraphCase("r, = torch.autograd.grad(t3.max(), t3, s, create_graph=True)",
                  tree: "MaskedFillBackward1(None, DivBackward0(AccumulateGrad, None))",
                  shape: [2, 3, 4], dtype: .float32, values: [0.0, 0.0, 0.6666666865348816, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6666666865348816, 0.0, 0.0, 0.0, 0.0, 0.6666666865348816, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                  grads: [nil, nil, nil, nil, nil, [5.833333492279053]]) { f in
            return try Engine.grad(outputs: [f.t3.max()], inputs: [f.t3], gradOutputs: [f.s], createGraph: true)[0]!
        },
        GraphCase("torch.cat([a, b])",
                  tree: "CatBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [6, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, -0.30000001192092896, 0.800000011920929, 1.7000000476837158, -1.100000023841858, 0.20000000298023224, -0.6000000238418579, 0.44999998807907104, 1.2999999523162842, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], [7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0, 12.5], nil, nil, nil, nil]) { f in
            return try Tensor.cat([f.a, f.b])
        },
        GraphCase("torch.cat([a, k, b], 1)",
                  tree: "CatBackward0(AccumulateGrad, None, AccumulateGrad)",
                  shape: [3, 12], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, -0.30000001192092896, 0.800000011920929, 1.7000000476837158, -1.100000023841858, -0.30000001192092896, 0.800000011920929, 1.7000000476837158, -1.100000023841858, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.20000000298023224, -0.6000000238418579, 0.44999998807907104, 1.2999999523162842, 0.20000000298023224, -0.6000000238418579, 0.44999998807907104, 1.2999999523162842, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071],
                  grads: [[1.0, 1.5, 2.0, 2.5, 7.0, 7.5, 8.0, 8.5, 13.0, 13.5, 14.0, 14.5], [5.0, 5.5, 6.0, 6.5, 11.0, 11.5, 12.0, 12.5, 17.0, 17.5, 18.0, 18.5], nil, nil, nil, nil]) { f in
            return try Tensor.cat([f.a, f.k, f.b], dim: 1)
        },
        GraphCase("torch.cat([a, m.t()], 0)",
                  tree: "CatBackward0(AccumulateGrad, TBackward0(AccumulateGrad))",
                  shape: [5, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, 0.30000001192092896, 1.100000023841858, -0.8999999761581421, 0.25, -0.20000000298023224, 0.6000000238418579, 0.4000000059604645, -1.2999999523162842],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, [7.0, 9.0, 7.5, 9.5, 8.0, 10.0, 8.5, 10.5], nil, nil]) { f in
            return try Tensor.cat([f.a, f.m.t()], dim: 0)
        },
        GraphCase("torch.cat([v, torch.tensor([]), v])",
                  tree: "CatBackward0(AccumulateGrad, None, AccumulateGrad)",
                  shape: [8], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [nil, nil, [4.0, 5.0, 6.0, 7.0], nil, nil, nil]) { f in
            return try Tensor.cat([f.v, f.zeros([0]), f.v])
        },
        GraphCase("torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])])",
                  tree: "None",
                  shape: [3], dtype: .float32, values: [1.0, 2.0, 0.5],
                  grads: nil) { f in
            return try Tensor.cat([f.long([1, 2]), f.floats([0.5])])
        },
        GraphCase("torch.cat([a, t3[0].double()], -1)",
                  tree: "CatBackward0(AccumulateGrad, ToCopyBackward0(SelectBackward0(AccumulateGrad)))",
                  shape: [3, 8], dtype: .float64, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, -1.100000023841858, 0.05000000074505806, 1.2000000476837158, -0.18000000715255737, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, -0.4099999964237213, 0.7400000095367432, -0.6399999856948853, 0.5099999904632568, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, 0.2800000011920929, -1.100000023841858, 0.05000000074505806, 1.2000000476837158],
                  grads: [[1.0, 1.5, 2.0, 2.5, 5.0, 5.5, 6.0, 6.5, 9.0, 9.5, 10.0, 10.5], nil, nil, nil, [3.0, 3.5, 4.0, 4.5, 7.0, 7.5, 8.0, 8.5, 11.0, 11.5, 12.0, 12.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try Tensor.cat([f.a, f.t3.select(0, 0).to(.float64)], dim: -1)
        },
        GraphCase("torch.stack([a, b])",
                  tree: "StackBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [2, 3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, -0.30000001192092896, 0.800000011920929, 1.7000000476837158, -1.100000023841858, 0.20000000298023224, -0.6000000238418579, 0.44999998807907104, 1.2999999523162842, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], [7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0, 12.5], nil, nil, nil, nil]) { f in
            return try Tensor.stack([f.a, f.b])
        },
        GraphCase("torch.stack([a, k, b], 2)",
                  tree: "StackBackward0(AccumulateGrad, None, AccumulateGrad)",
                  shape: [3, 4, 3], dtype: .float32, values: [0.5, -0.30000001192092896, -0.30000001192092896, -1.2000000476837158, 0.800000011920929, 0.800000011920929, 2.0, 1.7000000476837158, 1.7000000476837158, 0.30000001192092896, -1.100000023841858, -1.100000023841858, 1.5, 0.20000000298023224, 0.20000000298023224, 0.699999988079071, -0.6000000238418579, -0.6000000238418579, -0.4000000059604645, 0.44999998807907104, 0.44999998807907104, -2.200000047683716, 1.2999999523162842, 1.2999999523162842, 0.8999999761581421, -1.399999976158142, -1.399999976158142, -0.800000011920929, 2.0999999046325684, 2.0999999046325684, 1.100000023841858, 0.05000000074505806, 0.05000000074505806, 0.25, -0.699999988079071, -0.699999988079071],
                  grads: [[1.0, 2.5, 4.0, 5.5, 7.0, 8.5, 10.0, 11.5, 13.0, 14.5, 16.0, 17.5], [2.0, 3.5, 5.0, 6.5, 8.0, 9.5, 11.0, 12.5, 14.0, 15.5, 17.0, 18.5], nil, nil, nil, nil]) { f in
            return try Tensor.stack([f.a, f.k, f.b], dim: 2)
        },
        GraphCase("torch.stack([v, v], -1)",
                  tree: "StackBackward0(AccumulateGrad, AccumulateGrad)",
                  shape: [4, 2], dtype: .float32, values: [0.4000000059604645, 0.4000000059604645, -1.5, -1.5, 2.5, 2.5, 0.6000000238418579, 0.6000000238418579],
                  grads: [nil, nil, [2.5, 4.5, 6.5, 8.5], nil, nil, nil]) { f in
            return try Tensor.stack([f.v, f.v], dim: -1)
        },
        GraphCase("torch.stack([s, s * 2])",
                  tree: "StackBackward0(AccumulateGrad, MulBackward0(AccumulateGrad, None))",
                  shape: [2], dtype: .float32, values: [2.0, 4.0],
                  grads: [nil, nil, nil, nil, nil, [4.0]]) { f in
            return try Tensor.stack([f.s, f.s.mul(f.i(2))])
        },
        GraphCase("r, = torch.autograd.grad(torch.cat([a, b], 1), a, t3.view(3, 8), create_graph=True)",
                  tree: "SliceBackward0(ViewBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [-1.100000023841858, 0.05000000074505806, 1.2000000476837158, -0.18000000715255737, 0.2800000011920929, -1.100000023841858, 0.05000000074505806, 1.2000000476837158, 1.2000000476837158, -0.18000000715255737, 0.9700000286102295, -0.4099999964237213],
                  grads: [nil, nil, nil, nil, [1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0, 5.0, 5.5, 6.0, 6.5, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try Engine.grad(outputs: [Tensor.cat([f.a, f.b], dim: 1)], inputs: [f.a], gradOutputs: [f.t3.view([3, 8])], createGraph: true)[0]!
        },
        GraphCase("r, = torch.autograd.grad(torch.stack([a, b], 1), a, t3.view(3, 2, 4), create_graph=True)",
                  tree: "SelectBackward0(ViewBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [-1.100000023841858, 0.05000000074505806, 1.2000000476837158, -0.18000000715255737, 0.2800000011920929, -1.100000023841858, 0.05000000074505806, 1.2000000476837158, 1.2000000476837158, -0.18000000715255737, 0.9700000286102295, -0.4099999964237213],
                  grads: [nil, nil, nil, nil, [1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0, 5.0, 5.5, 6.0, 6.5, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try Engine.grad(outputs: [Tensor.stack([f.a, f.b], dim: 1)], inputs: [f.a], gradOutputs: [f.t3.view([3, 2, 4])], createGraph: true)[0]!
        },
        GraphCase("a[0]",
                  tree: "SelectBackward0(AccumulateGrad)",
                  shape: [4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896],
                  grads: [[1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.int(0)])
        },
        GraphCase("a[-1]",
                  tree: "SelectBackward0(AccumulateGrad)",
                  shape: [4], dtype: .float32, values: [0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 2.0, 2.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.int(-1)])
        },
        GraphCase("a[0, 1]",
                  tree: "SelectBackward0(SelectBackward0(AccumulateGrad))",
                  shape: [], dtype: .float32, values: [-1.2000000476837158],
                  grads: [[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.int(0), .int(1)])
        },
        GraphCase("a[:, 1:]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [3, 3], dtype: .float32, values: [-1.2000000476837158, 2.0, 0.30000001192092896, 0.699999988079071, -0.4000000059604645, -2.200000047683716, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[0.0, 1.0, 1.5, 2.0, 0.0, 2.5, 3.0, 3.5, 0.0, 4.0, 4.5, 5.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: nil), .slice(start: 1, stop: nil, step: nil)])
        },
        GraphCase("a[1:]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [2, 4], dtype: .float32, values: [1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: 1, stop: nil, step: nil)])
        },
        GraphCase("a[:]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: nil)])
        },
        GraphCase("a[0:3]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: 0, stop: 3, step: nil)])
        },
        GraphCase("a[:, :]",
                  tree: "AliasBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: nil), .slice(start: nil, stop: nil, step: nil)])
        },
        GraphCase("a[0:10, 0:4]",
                  tree: "AliasBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: 0, stop: 10, step: nil), .slice(start: 0, stop: 4, step: nil)])
        },
        GraphCase("a[...]",
                  tree: "AliasBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.ellipsis])
        },
        GraphCase("a[::2]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [2, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 4.0, 4.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: 2)])
        },
        GraphCase("a[-10:2]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [2, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: -10, stop: 2, step: nil)])
        },
        GraphCase("a[2:1]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [0, 4], dtype: .float32, values: [],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: 2, stop: 1, step: nil)])
        },
        GraphCase("a[5:]",
                  tree: "SliceBackward0(AccumulateGrad)",
                  shape: [0, 4], dtype: .float32, values: [],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: 5, stop: nil, step: nil)])
        },
        GraphCase("a[:, None]",
                  tree: "UnsqueezeBackward0(AccumulateGrad)",
                  shape: [3, 1, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: nil), .none])
        },
        GraphCase("a[None]",
                  tree: "UnsqueezeBackward0(AccumulateGrad)",
                  shape: [1, 3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.none])
        },
        GraphCase("a[None, ..., None]",
                  tree: "UnsqueezeBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [1, 3, 4, 1], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.none, .ellipsis, .none])
        },
        GraphCase("a[0][1:]",
                  tree: "SliceBackward0(SelectBackward0(AccumulateGrad))",
                  shape: [3], dtype: .float32, values: [-1.2000000476837158, 2.0, 0.30000001192092896],
                  grads: [[0.0, 1.0, 1.5, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.int(0)]).index([.slice(start: 1, stop: nil, step: nil)])
        },
        GraphCase("a[..., 1]",
                  tree: "SelectBackward0(AccumulateGrad)",
                  shape: [3], dtype: .float32, values: [-1.2000000476837158, 0.699999988079071, -0.800000011920929],
                  grads: [[0.0, 1.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.ellipsis, .int(1)])
        },
        GraphCase("a[1, ..., None]",
                  tree: "UnsqueezeBackward0(SelectBackward0(AccumulateGrad))",
                  shape: [4, 1], dtype: .float32, values: [1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716],
                  grads: [[0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.int(1), .ellipsis, .none])
        },
        GraphCase("a[..., None, 1]",
                  tree: "SelectBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [3, 1], dtype: .float32, values: [-1.2000000476837158, 0.699999988079071, -0.800000011920929],
                  grads: [[0.0, 1.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.ellipsis, .none, .int(1)])
        },
        GraphCase("a[1:2, -1]",
                  tree: "SelectBackward0(SliceBackward0(AccumulateGrad))",
                  shape: [1], dtype: .float32, values: [-2.200000047683716],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: 1, stop: 2, step: nil), .int(-1)])
        },
        GraphCase("t3[1, :, ::3]",
                  tree: "SliceBackward0(SelectBackward0(AccumulateGrad))",
                  shape: [3, 2], dtype: .float32, values: [0.5099999904632568, -1.100000023841858, 1.2000000476837158, -0.4099999964237213, -0.6399999856948853, 0.2800000011920929],
                  grads: [nil, nil, nil, nil, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.5, 2.0, 0.0, 0.0, 2.5, 3.0, 0.0, 0.0, 3.5], nil]) { f in
            return try f.t3.index([.int(1), .slice(start: nil, stop: nil, step: nil), .slice(start: nil, stop: nil, step: 3)])
        },
        GraphCase("s[None]",
                  tree: "UnsqueezeBackward0(AccumulateGrad)",
                  shape: [1], dtype: .float32, values: [2.0],
                  grads: [nil, nil, nil, nil, nil, [1.0]]) { f in
            return try f.s.index([.none])
        },
        GraphCase("s[...]",
                  tree: "AliasBackward0(AccumulateGrad)",
                  shape: [], dtype: .float32, values: [2.0],
                  grads: [nil, nil, nil, nil, nil, [1.0]]) { f in
            return try f.s.index([.ellipsis])
        },
        GraphCase("a[torch.tensor(1)]",
                  tree: "SelectBackward0(AccumulateGrad)",
                  shape: [4], dtype: .float32, values: [1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716],
                  grads: [[0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([1], []))])
        },
        GraphCase("a[[0, 2]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 4.0, 4.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([0, 2]))])
        },
        GraphCase("a[[2, 0, 2]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, 0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[3.0, 3.5, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([2, 0, 2]))])
        },
        GraphCase("a[[-1, 0]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 4], dtype: .float32, values: [0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25, 0.5, -1.2000000476837158, 2.0, 0.30000001192092896],
                  grads: [[3.0, 3.5, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 2.0, 2.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([-1, 0]))])
        },
        GraphCase("a[:, [0, 2]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [3, 2], dtype: .float32, values: [0.5, 2.0, 1.5, -0.4000000059604645, 0.8999999761581421, 1.100000023841858],
                  grads: [[1.0, 0.0, 1.5, 0.0, 2.0, 0.0, 2.5, 0.0, 3.0, 0.0, 3.5, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([0, 2]))])
        },
        GraphCase("a[[0, 2], 1:]",
                  tree: "IndexBackward0(SliceBackward0(AccumulateGrad))",
                  shape: [2, 3], dtype: .float32, values: [-1.2000000476837158, 2.0, 0.30000001192092896, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[0.0, 1.0, 1.5, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.5, 3.0, 3.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([0, 2])), .slice(start: 1, stop: nil, step: nil)])
        },
        GraphCase("a[[0, 2], 1]",
                  tree: "IndexBackward0(SelectBackward0(AccumulateGrad))",
                  shape: [2], dtype: .float32, values: [-1.2000000476837158, -0.800000011920929],
                  grads: [[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([0, 2])), .int(1)])
        },
        GraphCase("a[1, [0, 2]]",
                  tree: "IndexBackward0(SelectBackward0(AccumulateGrad))",
                  shape: [2], dtype: .float32, values: [1.5, -0.4000000059604645],
                  grads: [[0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.int(1), .tensor(f.long([0, 2]))])
        },
        GraphCase("a[[0, 1], [1, 2]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2], dtype: .float32, values: [-1.2000000476837158, -0.4000000059604645],
                  grads: [[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([0, 1])), .tensor(f.long([1, 2]))])
        },
        GraphCase("a[torch.tensor([0, 1]), torch.tensor([[1], [2]])]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 2], dtype: .float32, values: [-1.2000000476837158, 0.699999988079071, 2.0, -0.4000000059604645],
                  grads: [[0.0, 1.0, 2.0, 0.0, 0.0, 1.5, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([0, 1])), .tensor(f.long([1, 2], [2, 1]))])
        },
        GraphCase("a[torch.tensor([[1, 2]])]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [1, 2, 4], dtype: .float32, values: [1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([1, 2], [1, 2]))])
        },
        GraphCase("a[None, [0, 1]]",
                  tree: "IndexBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [1, 2, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.none, .tensor(f.long([0, 1]))])
        },
        GraphCase("a[[0, 1], None]",
                  tree: "IndexBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [2, 1, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([0, 1])), .none])
        },
        GraphCase("a[:, [0, 1], None]",
                  tree: "IndexBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [3, 2, 1], dtype: .float32, values: [0.5, -1.2000000476837158, 1.5, 0.699999988079071, 0.8999999761581421, -0.800000011920929],
                  grads: [[1.0, 1.5, 0.0, 0.0, 2.0, 2.5, 0.0, 0.0, 3.0, 3.5, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([0, 1])), .none])
        },
        GraphCase("t3[[0, 1], :, [1, 2]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 3], dtype: .float32, values: [0.05000000074505806, 0.7400000095367432, -1.100000023841858, 0.2800000011920929, 0.9700000286102295, -0.8700000047683716],
                  grads: [nil, nil, nil, nil, [0.0, 1.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 2.5, 0.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 3.5, 0.0], nil]) { f in
            return try f.t3.index([.tensor(f.long([0, 1])), .slice(start: nil, stop: nil, step: nil), .tensor(f.long([1, 2]))])
        },
        GraphCase("t3[:, [[0], [1]], [1, 2]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 2, 2], dtype: .float32, values: [0.05000000074505806, 1.2000000476837158, 0.7400000095367432, -0.6399999856948853, -0.8700000047683716, 0.2800000011920929, -0.18000000715255737, 0.9700000286102295],
                  grads: [nil, nil, nil, nil, [0.0, 1.0, 1.5, 0.0, 0.0, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 0.0, 0.0, 4.0, 4.5, 0.0, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try f.t3.index([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([0, 1], [2, 1])), .tensor(f.long([1, 2]))])
        },
        GraphCase("t3[None, [0, 1], None, [1, 2]]",
                  tree: "IndexBackward0(UnsqueezeBackward0(UnsqueezeBackward0(AccumulateGrad)))",
                  shape: [2, 1, 1, 4], dtype: .float32, values: [-0.4099999964237213, 0.7400000095367432, -0.6399999856948853, 0.5099999904632568, -0.6399999856948853, 0.5099999904632568, -0.8700000047683716, 0.2800000011920929],
                  grads: [nil, nil, nil, nil, [0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 4.0, 4.5], nil]) { f in
            return try f.t3.index([.none, .tensor(f.long([0, 1])), .none, .tensor(f.long([1, 2]))])
        },
        GraphCase("t3[..., [0, 3]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 3, 2], dtype: .float32, values: [-1.100000023841858, -0.18000000715255737, -0.4099999964237213, 0.5099999904632568, 0.2800000011920929, 1.2000000476837158, 0.5099999904632568, -1.100000023841858, 1.2000000476837158, -0.4099999964237213, -0.6399999856948853, 0.2800000011920929],
                  grads: [nil, nil, nil, nil, [1.0, 0.0, 0.0, 1.5, 2.0, 0.0, 0.0, 2.5, 3.0, 0.0, 0.0, 3.5, 4.0, 0.0, 0.0, 4.5, 5.0, 0.0, 0.0, 5.5, 6.0, 0.0, 0.0, 6.5], nil]) { f in
            return try f.t3.index([.ellipsis, .tensor(f.long([0, 3]))])
        },
        GraphCase("a[[]]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [0, 4], dtype: .float32, values: [],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.long([]))])
        },
        GraphCase("a[a > 0]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [8], dtype: .float32, values: [0.5, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, 0.8999999761581421, 1.100000023841858, 0.25],
                  grads: [[1.0, 0.0, 1.5, 2.0, 2.5, 3.0, 0.0, 0.0, 3.5, 0.0, 4.0, 4.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.a.gt(f.i(0)))])
        },
        GraphCase("a[torch.tensor([True, False, True])]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 3.0, 3.5, 4.0, 4.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.bools([3], [1, 0, 1]))])
        },
        GraphCase("t3[:, a > 0]",
                  tree: "IndexBackward0(AccumulateGrad)",
                  shape: [2, 8], dtype: .float32, values: [-1.100000023841858, 1.2000000476837158, -0.18000000715255737, -0.4099999964237213, 0.7400000095367432, 0.2800000011920929, 0.05000000074505806, 1.2000000476837158, 0.5099999904632568, 0.2800000011920929, -1.100000023841858, 1.2000000476837158, -0.18000000715255737, -0.6399999856948853, -0.8700000047683716, 0.2800000011920929],
                  grads: [nil, nil, nil, nil, [1.0, 0.0, 1.5, 2.0, 2.5, 3.0, 0.0, 0.0, 3.5, 0.0, 4.0, 4.5, 5.0, 0.0, 5.5, 6.0, 6.5, 7.0, 0.0, 0.0, 7.5, 0.0, 8.0, 8.5], nil]) { f in
            return try f.t3.index([.slice(start: nil, stop: nil, step: nil), .tensor(f.a.gt(f.i(0)))])
        },
        GraphCase("t3[t3[:, :, 0] > 0, 1]",
                  tree: "IndexBackward0(SelectBackward0(AccumulateGrad))",
                  shape: [3], dtype: .float32, values: [-1.100000023841858, -0.8700000047683716, -0.18000000715255737],
                  grads: [nil, nil, nil, nil, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try f.t3.index([.tensor(f.t3.index([.slice(start: nil, stop: nil, step: nil), .slice(start: nil, stop: nil, step: nil), .int(0)]).gt(f.i(0))), .int(1)])
        },
        GraphCase("v[v > 0, None]",
                  tree: "IndexBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [3, 1], dtype: .float32, values: [0.4000000059604645, 2.5, 0.6000000238418579],
                  grads: [nil, nil, [1.0, 0.0, 1.5, 2.0], nil, nil, nil]) { f in
            return try f.v.index([.tensor(f.v.gt(f.i(0))), .none])
        },
        GraphCase("s[s > 0]",
                  tree: "IndexBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [1], dtype: .float32, values: [2.0],
                  grads: [nil, nil, nil, nil, nil, [1.0]]) { f in
            return try f.s.index([.tensor(f.s.gt(f.i(0)))])
        },
        GraphCase("a[torch.tensor(True)]",
                  tree: "IndexBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [1, 3, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896, 1.5, 0.699999988079071, -0.4000000059604645, -2.200000047683716, 0.8999999761581421, -0.800000011920929, 1.100000023841858, 0.25],
                  grads: [[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.bools([], [1]))])
        },
        GraphCase("a[torch.tensor(False)]",
                  tree: "IndexBackward0(UnsqueezeBackward0(AccumulateGrad))",
                  shape: [0, 3, 4], dtype: .float32, values: [],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.bools([], [0]))])
        },
        GraphCase("a[torch.tensor(True), 0]",
                  tree: "IndexBackward0(SelectBackward0(UnsqueezeBackward0(AccumulateGrad)))",
                  shape: [1, 4], dtype: .float32, values: [0.5, -1.2000000476837158, 2.0, 0.30000001192092896],
                  grads: [[1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            return try f.a.index([.tensor(f.bools([], [1])), .int(0)])
        },
        GraphCase("r, = torch.autograd.grad(a[[0, 2, 0]], a, t3[0, :3], create_graph=True)",
                  tree: "IndexPutImplBackward0(None, SelectBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [-0.8200000524520874, -1.0500000715255737, 1.25, 1.0199999809265137, 0.0, 0.0, 0.0, 0.0, -0.4099999964237213, 0.7400000095367432, -0.6399999856948853, 0.5099999904632568],
                  grads: [nil, nil, nil, nil, [1.0, 1.5, 2.0, 2.5, 5.0, 5.5, 6.0, 6.5, 1.0, 1.5, 2.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try Engine.grad(outputs: [f.a.index([.tensor(f.long([0, 2, 0]))])], inputs: [f.a], gradOutputs: [f.t3.index([.int(0), .slice(start: nil, stop: 3, step: nil)])], createGraph: true)[0]!
        },
        GraphCase("r, = torch.autograd.grad(a[a > 0], a, t3.reshape(-1)[:8], create_graph=True)",
                  tree: "IndexPutImplBackward0(None, SliceBackward0(ViewBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [-1.100000023841858, 0.0, 0.05000000074505806, 1.2000000476837158, -0.18000000715255737, -0.4099999964237213, 0.0, 0.0, 0.7400000095367432, 0.0, -0.6399999856948853, 0.5099999904632568],
                  grads: [nil, nil, nil, nil, [1.0, 2.0, 2.5, 3.0, 3.5, 5.0, 6.0, 6.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil]) { f in
            return try Engine.grad(outputs: [f.a.index([.tensor(f.a.gt(f.i(0)))])], inputs: [f.a], gradOutputs: [f.t3.reshape([-1]).index([.slice(start: nil, stop: 8, step: nil)])], createGraph: true)[0]!
        },
        GraphCase("c = a * 2; c[0] = 5.0; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [5.0, 5.0, 5.0, 5.0, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.n(5))
            return c
        },
        GraphCase("c = a * 2; c[0] = 5; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [5.0, 5.0, 5.0, 5.0, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.i(5))
            return c
        },
        GraphCase("c = a * 2; c[0] = torch.tensor(5.0); r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), None)",
                  shape: [3, 4], dtype: .float32, values: [5.0, 5.0, 5.0, 5.0, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.floats([5], []))
            return c
        },
        GraphCase("c = a * 2; c[0] = s; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 2.0, 2.0, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, [7.0]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.s)
            return c
        },
        GraphCase("c = a * 2; c[0] = v; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, [1.0, 1.5, 2.0, 2.5], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.v)
            return c
        },
        GraphCase("c = a * 2; c[0] = v.detach(); r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), None)",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.v.detach())
            return c
        },
        GraphCase("c = a * 2; c[0, 1] = s; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [1.0, 2.0, 4.0, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[2.0, 0.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, [1.5]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0), .int(1)], f.s)
            return c
        },
        GraphCase("c = a * 2; c[0:2] = v; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), ExpandBackward0(ViewBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 13.0], nil, [4.0, 5.0, 6.0, 7.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: 0, stop: 2, step: nil)], f.v)
            return c
        },
        GraphCase("c = a * 2; c[:, 1] = v[:3]; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), SliceBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [1.0, 0.4000000059604645, 4.0, 0.6000000238418579, 3.0, -1.5, -0.800000011920929, -4.400000095367432, 1.7999999523162842, 2.5, 2.200000047683716, 0.5],
                  grads: [[2.0, 0.0, 4.0, 5.0, 6.0, 0.0, 8.0, 9.0, 10.0, 0.0, 12.0, 13.0], nil, [1.5, 3.5, 5.5, 0.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil), .int(1)], f.v.index([.slice(start: nil, stop: 3, step: nil)]))
            return c
        },
        GraphCase("c = a * 2; c[0] = v.unsqueeze(0); r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), ViewBackward0(UnsqueezeBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, [1.0, 1.5, 2.0, 2.5], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.v.unsqueeze(0))
            return c
        },
        GraphCase("c = a * 2; c[0] = v.double(); r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), ToCopyBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, [1.0, 1.5, 2.0, 2.5], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.v.to(.float64))
            return c
        },
        GraphCase("c = a * 2; c[:] = 5.0; r = c",
                  tree: "FillBackward2(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil)], f.n(5))
            return c
        },
        GraphCase("c = a * 2; c[:] = v; r = c",
                  tree: "CopyBackwards(MulBackward0(AccumulateGrad, None), ExpandBackward0(ViewBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, [9.0, 10.5, 12.0, 13.5], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil)], f.v)
            return c
        },
        GraphCase("c = a * 2; c[...] = s; r = c",
                  tree: "FillBackward3(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, [45.0]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.ellipsis], f.s)
            return c
        },
        GraphCase("c = a * 2; c[:] = b; r = c",
                  tree: "CopyBackwards(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [-0.30000001192092896, 0.800000011920929, 1.7000000476837158, -1.100000023841858, 0.20000000298023224, -0.6000000238418579, 0.44999998807907104, 1.2999999523162842, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil)], f.b)
            return c
        },
        GraphCase("c = a * 2; c[:, None] = 5.0; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil), .none], f.n(5))
            return c
        },
        GraphCase("c = a * 2; c[None] = v; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), ExpandBackward0(ViewBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, [9.0, 10.5, 12.0, 13.5], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.none], f.v)
            return c
        },
        GraphCase("c = a * 2; c[1:] = v; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), ExpandBackward0(ViewBackward0(AccumulateGrad)))",
                  shape: [3, 4], dtype: .float32, values: [1.0, -2.4000000953674316, 4.0, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [[2.0, 3.0, 4.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, [8.0, 9.0, 10.0, 11.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: 1, stop: nil, step: nil)], f.v)
            return c
        },
        GraphCase("c = a * 2; c[c > 0] = 0.0; r = c",
                  tree: "MaskedFillBackward0(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [0.0, -2.4000000953674316, 0.0, 0.0, 0.0, 0.0, -0.800000011920929, -4.400000095367432, 0.0, -1.600000023841858, 0.0, 0.0],
                  grads: [[0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 8.0, 9.0, 0.0, 11.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(c.gt(f.i(0)))], f.n(0))
            return c
        },
        GraphCase("c = a * 2; c[c > 0] = torch.tensor(0.0); r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), None)",
                  shape: [3, 4], dtype: .float32, values: [0.0, -2.4000000953674316, 0.0, 0.0, 0.0, 0.0, -0.800000011920929, -4.400000095367432, 0.0, -1.600000023841858, 0.0, 0.0],
                  grads: [[0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 8.0, 9.0, 0.0, 11.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(c.gt(f.i(0)))], f.floats([0], []))
            return c
        },
        GraphCase("c = a * 2; c[c > 0] = s; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, -2.4000000953674316, 2.0, 2.0, 2.0, 2.0, -0.800000011920929, -4.400000095367432, 2.0, -1.600000023841858, 2.0, 2.0],
                  grads: [[0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 8.0, 9.0, 0.0, 11.0, 0.0, 0.0], nil, nil, nil, nil, [29.5]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(c.gt(f.i(0)))], f.s)
            return c
        },
        GraphCase("c = a * 2; c[c > 0] = v[0]; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), SelectBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -2.4000000953674316, 0.4000000059604645, 0.4000000059604645, 0.4000000059604645, 0.4000000059604645, -0.800000011920929, -4.400000095367432, 0.4000000059604645, -1.600000023841858, 0.4000000059604645, 0.4000000059604645],
                  grads: [[0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 8.0, 9.0, 0.0, 11.0, 0.0, 0.0], nil, [29.5, 0.0, 0.0, 0.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(c.gt(f.i(0)))], f.v.index([.int(0)]))
            return c
        },
        GraphCase("c = a * 2; c[c > 0] = s.double(); r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), ToCopyBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [2.0, -2.4000000953674316, 2.0, 2.0, 2.0, 2.0, -0.800000011920929, -4.400000095367432, 2.0, -1.600000023841858, 2.0, 2.0],
                  grads: [[0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 8.0, 9.0, 0.0, 11.0, 0.0, 0.0], nil, nil, nil, nil, [29.5]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(c.gt(f.i(0)))], f.s.to(.float64))
            return c
        },
        GraphCase("c = a * 2; c[[0, 1]] = 0.0; r = c",
                  tree: "IndexFillBackward0(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1]))], f.n(0))
            return c
        },
        GraphCase("c = a * 2; c[:, [0, 3]] = 1.5; r = c",
                  tree: "IndexFillBackward0(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [1.5, -2.4000000953674316, 4.0, 1.5, 1.5, 1.399999976158142, -0.800000011920929, 1.5, 1.5, -1.600000023841858, 2.200000047683716, 1.5],
                  grads: [[0.0, 3.0, 4.0, 0.0, 0.0, 7.0, 8.0, 0.0, 0.0, 11.0, 12.0, 0.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([0, 3]))], f.n(1.5))
            return c
        },
        GraphCase("c = a * 2; c[[0, 1]] = s; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, [22.0]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1]))], f.s)
            return c
        },
        GraphCase("c = a * 2; c[[0, 1]] = v; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 13.0], nil, [4.0, 5.0, 6.0, 7.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1]))], f.v)
            return c
        },
        GraphCase("c = a * 2; c[[0, 0]] = v; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, [2.0, 3.0, 4.0, 5.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 0]))], f.v)
            return c
        },
        GraphCase("c = a * 2; c[[0, 1]] = v.unsqueeze(0).unsqueeze(0); r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), ViewBackward0(UnsqueezeBackward0(UnsqueezeBackward0(AccumulateGrad))))",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 13.0], nil, [4.0, 5.0, 6.0, 7.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1]))], f.v.unsqueeze(0).unsqueeze(0))
            return c
        },
        GraphCase("c = a * 2; c[:, [0, 1]] = s; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 4.0, 0.6000000238418579, 2.0, 2.0, -0.800000011920929, -4.400000095367432, 2.0, 2.0, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 4.0, 5.0, 0.0, 0.0, 8.0, 9.0, 0.0, 0.0, 12.0, 13.0], nil, nil, nil, nil, [19.5]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([0, 1]))], f.s)
            return c
        },
        GraphCase("c = a * 2; c[0, [0, 1]] = s; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 4.0, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[0.0, 0.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, [2.5]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0), .tensor(f.long([0, 1]))], f.s)
            return c
        },
        GraphCase("c = a * 2; c[0, [1, 2]] = v[:2]; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), SliceBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [1.0, 0.4000000059604645, -1.5, 0.6000000238418579, 3.0, 1.399999976158142, -0.800000011920929, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[2.0, 0.0, 0.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, [1.5, 2.0, 0.0, 0.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0), .tensor(f.long([1, 2]))], f.v.index([.slice(start: nil, stop: 2, step: nil)]))
            return c
        },
        GraphCase("c = a * 2; c[[0, 1], [1, 2]] = v[:2]; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), SliceBackward0(AccumulateGrad))",
                  shape: [3, 4], dtype: .float32, values: [1.0, 0.4000000059604645, 4.0, 0.6000000238418579, 3.0, 1.399999976158142, -1.5, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[2.0, 0.0, 4.0, 5.0, 6.0, 7.0, 0.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, [1.5, 4.0, 0.0, 0.0], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1])), .tensor(f.long([1, 2]))], f.v.index([.slice(start: nil, stop: 2, step: nil)]))
            return c
        },
        GraphCase("c = a * 2; c[[0, 1], [1, 2]] = 7.0; r = c",
                  tree: "IndexPutBackward0(MulBackward0(AccumulateGrad, None), None)",
                  shape: [3, 4], dtype: .float32, values: [1.0, 7.0, 4.0, 0.6000000238418579, 3.0, 1.399999976158142, 7.0, -4.400000095367432, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[2.0, 0.0, 4.0, 5.0, 6.0, 7.0, 0.0, 9.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1])), .tensor(f.long([1, 2]))], f.n(7))
            return c
        },
        GraphCase("c = k.clone(); c[0] = s; r = c",
                  tree: "CopySlices(None, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 2.0, 2.0, 0.20000000298023224, -0.6000000238418579, 0.44999998807907104, 1.2999999523162842, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071],
                  grads: [nil, nil, nil, nil, nil, [7.0]]) { f in
            let c = try f.k.clone()
            try c.setIndex([.int(0)], f.s)
            return c
        },
        GraphCase("c = k.clone(); c[[0, 1]] = s; r = c",
                  tree: "IndexPutBackward0(None, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071],
                  grads: [nil, nil, nil, nil, nil, [22.0]]) { f in
            let c = try f.k.clone()
            try c.setIndex([.tensor(f.long([0, 1]))], f.s)
            return c
        },
        GraphCase("c = k.clone(); c[:] = s; r = c",
                  tree: "FillBackward3(None, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
                  grads: [nil, nil, nil, nil, nil, [45.0]]) { f in
            let c = try f.k.clone()
            try c.setIndex([.slice(start: nil, stop: nil, step: nil)], f.s)
            return c
        },
        GraphCase("c = a * 2; c[1] = c[0].clone() * 3; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), MulBackward0(CloneBackward0(SelectBackward0(MulBackward0(AccumulateGrad, None))), None))",
                  shape: [3, 4], dtype: .float32, values: [1.0, -2.4000000953674316, 4.0, 0.6000000238418579, 3.0, -7.200000286102295, 12.0, 1.8000000715255737, 1.7999999523162842, -1.600000023841858, 2.200000047683716, 0.5],
                  grads: [[20.0, 24.0, 28.0, 32.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 13.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(1)], c.index([.int(0)]).clone().mul(f.i(3)))
            return c
        },
        GraphCase("c = a * 2; c[1:, 1:3] = c[:2, 2:].clone() * b[0, :2]; r = c",
                  tree: "CopySlices(MulBackward0(AccumulateGrad, None), MulBackward0(CloneBackward0(SliceBackward0(SliceBackward0(MulBackward0(AccumulateGrad, None)))), SliceBackward0(SelectBackward0(AccumulateGrad))))",
                  shape: [3, 4], dtype: .float32, values: [1.0, -2.4000000953674316, 4.0, 0.6000000238418579, 3.0, -1.2000000476837158, 0.48000001907348633, -4.400000095367432, 1.7999999523162842, 0.24000000953674316, -3.5200002193450928, 0.5],
                  grads: [[2.0, 3.0, 1.8999998569488525, 11.399999618530273, 6.0, 0.0, -3.3000001907348633, 18.600000381469727, 10.0, 0.0, 0.0, 13.0], [9.600000381469727, -24.000001907348633, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: 1, stop: nil, step: nil), .slice(start: 1, stop: 3, step: nil)], c.index([.slice(start: nil, stop: 2, step: nil), .slice(start: 2, stop: nil, step: nil)]).clone().mul(f.b.index([.int(0), .slice(start: nil, stop: 2, step: nil)])))
            return c
        },
        GraphCase("c = a * 2; c.fill_(5.0); r = c",
                  tree: "FillBackward2(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.fillInPlace(5)
            return c
        },
        GraphCase("c = a * 2; c.fill_(s); r = c",
                  tree: "FillBackward3(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, [45.0]]) { f in
            let c = try f.a.mul(f.i(2))
            try c.fillInPlace(f.s)
            return c
        },
        GraphCase("c = a * 2; c.zero_(); r = c",
                  tree: "ZeroBackward0(MulBackward0(AccumulateGrad, None))",
                  shape: [3, 4], dtype: .float32, values: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, nil, nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.zeroInPlace()
            return c
        },
        GraphCase("c = a * 2; c.copy_(v); r = c",
                  tree: "CopyBackwards(MulBackward0(AccumulateGrad, None), AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579, 0.4000000059604645, -1.5, 2.5, 0.6000000238418579],
                  grads: [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], nil, [9.0, 10.5, 12.0, 13.5], nil, nil, nil]) { f in
            let c = try f.a.mul(f.i(2))
            try c.copyInPlace(f.v)
            return c
        },
        GraphCase("c = k.clone(); c.copy_(b); r = c",
                  tree: "CopyBackwards(None, AccumulateGrad)",
                  shape: [3, 4], dtype: .float32, values: [-0.30000001192092896, 0.800000011920929, 1.7000000476837158, -1.100000023841858, 0.20000000298023224, -0.6000000238418579, 0.44999998807907104, 1.2999999523162842, -1.399999976158142, 2.0999999046325684, 0.05000000074505806, -0.699999988079071],
                  grads: [nil, [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5], nil, nil, nil, nil]) { f in
            let c = try f.k.clone()
            try c.copyInPlace(f.b)
            return c
        },
    ]

    static let errorCases: [ErrorCase] = [
        ErrorCase("torch.cat([a, torch.zeros(2, 3)], 1)", .runtime("Sizes of tensors must match except in dimension 1. Expected size 3 but got size 2 for tensor number 1 in the list.")) { f in
            _ = try Tensor.cat([f.a, f.zeros([2, 3])], dim: 1)
        },
        ErrorCase("torch.cat([torch.zeros(2, 2), torch.zeros(3, 3)], 1)", .runtime("Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.")) { f in
            _ = try Tensor.cat([f.zeros([2, 2]), f.zeros([3, 3])], dim: 1)
        },
        ErrorCase("torch.cat([a, v])", .runtime("Tensors must have same number of dimensions: got 2 and 1")) { f in
            _ = try Tensor.cat([f.a, f.v])
        },
        ErrorCase("torch.cat([v, a])", .runtime("Tensors must have same number of dimensions: got 1 and 2")) { f in
            _ = try Tensor.cat([f.v, f.a])
        },
        ErrorCase("torch.cat([])", .value("torch.cat(): expected a non-empty list of Tensors")) { f in
            _ = try Tensor.cat([])
        },
        ErrorCase("torch.cat([a, s])", .runtime("zero-dimensional tensor (at position 1) cannot be concatenated")) { f in
            _ = try Tensor.cat([f.a, f.s])
        },
        ErrorCase("torch.cat([a, b], 2)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try Tensor.cat([f.a, f.b], dim: 2)
        },
        ErrorCase("torch.cat([a, b], -3)", .index("Dimension out of range (expected to be in range of [-2, 1], but got -3)")) { f in
            _ = try Tensor.cat([f.a, f.b], dim: -3)
        },
        ErrorCase("torch.stack([torch.zeros(2), torch.zeros(3)])", .runtime("stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1")) { f in
            _ = try Tensor.stack([f.zeros([2]), f.zeros([3])])
        },
        ErrorCase("torch.stack([a, b, v])", .runtime("stack expects each tensor to be equal size, but got [3, 4] at entry 0 and [4] at entry 2")) { f in
            _ = try Tensor.stack([f.a, f.b, f.v])
        },
        ErrorCase("torch.stack([])", .runtime("stack expects a non-empty TensorList")) { f in
            _ = try Tensor.stack([])
        },
        ErrorCase("torch.stack([a, b], 3)", .index("Dimension out of range (expected to be in range of [-3, 2], but got 3)")) { f in
            _ = try Tensor.stack([f.a, f.b], dim: 3)
        },
        ErrorCase("torch.stack([a, v], 5)", .index("Dimension out of range (expected to be in range of [-3, 2], but got 5)")) { f in
            _ = try Tensor.stack([f.a, f.v], dim: 5)
        },
        ErrorCase("torch.tensor([1, 2, 3]).softmax(0)", .notImplemented("\"softmax_lastdim_kernel_impl\" not implemented for 'Long'")) { f in
            _ = try f.long([1, 2, 3]).softmax(dim: 0)
        },
        ErrorCase("torch.tensor([[1, 2], [3, 4]]).softmax(0)", .notImplemented("\"softmax_kernel_impl\" not implemented for 'Long'")) { f in
            _ = try f.long([1, 2, 3, 4], [2, 2]).softmax(dim: 0)
        },
        ErrorCase("torch.tensor([[1, 2], [3, 4]]).log_softmax(0)", .notImplemented("\"log_softmax_kernel_impl\" not implemented for 'Long'")) { f in
            _ = try f.long([1, 2, 3, 4], [2, 2]).logSoftmax(dim: 0)
        },
        ErrorCase("(a > 0).log_softmax(1)", .notImplemented("\"log_softmax_lastdim_kernel_impl\" not implemented for 'Bool'")) { f in
            _ = try f.a.gt(f.i(0)).logSoftmax(dim: 1)
        },
        ErrorCase("a.softmax(2)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try f.a.softmax(dim: 2)
        },
        ErrorCase("a.log_softmax(-3)", .index("Dimension out of range (expected to be in range of [-2, 1], but got -3)")) { f in
            _ = try f.a.logSoftmax(dim: -3)
        },
        ErrorCase("torch.zeros(0).max()", .runtime("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")) { f in
            _ = try f.zeros([0]).max()
        },
        ErrorCase("torch.zeros(2, 0).min()", .runtime("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")) { f in
            _ = try f.zeros([2, 0]).min()
        },
        ErrorCase("torch.zeros(0, 3).max(0)", .index("max(): Expected reduction dim 0 to have non-zero size.")) { f in
            _ = try f.zeros([0, 3]).max(dim: 0)
        },
        ErrorCase("torch.zeros(0, 3).min(-2)", .index("min(): Expected reduction dim 0 to have non-zero size.")) { f in
            _ = try f.zeros([0, 3]).min(dim: -2)
        },
        ErrorCase("a.max(2)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try f.a.max(dim: 2)
        },
        ErrorCase("torch.zeros(0).argmax()", .index("argmax(): Expected reduction dim to be specified for input.numel() == 0.")) { f in
            _ = try f.zeros([0]).argmax()
        },
        ErrorCase("torch.zeros(0, 3).argmin(0)", .index("argmin(): Expected reduction dim 0 to have non-zero size.")) { f in
            _ = try f.zeros([0, 3]).argmin(dim: 0)
        },
        ErrorCase("v[5]", .index("index 5 is out of bounds for dimension 0 with size 4")) { f in
            _ = try f.v.index([.int(5)])
        },
        ErrorCase("v[-5]", .index("index -5 is out of bounds for dimension 0 with size 4")) { f in
            _ = try f.v.index([.int(-5)])
        },
        ErrorCase("a[0, 4]", .index("index 4 is out of bounds for dimension 1 with size 4")) { f in
            _ = try f.a.index([.int(0), .int(4)])
        },
        ErrorCase("a[None, 3]", .index("index 3 is out of bounds for dimension 1 with size 3")) { f in
            _ = try f.a.index([.none, .int(3)])
        },
        ErrorCase("v[0, 0]", .index("too many indices for tensor of dimension 1")) { f in
            _ = try f.v.index([.int(0), .int(0)])
        },
        ErrorCase("a[0, 0, 0]", .index("too many indices for tensor of dimension 2")) { f in
            _ = try f.a.index([.int(0), .int(0), .int(0)])
        },
        ErrorCase("a[..., 0, 0, :]", .index("too many indices for tensor of dimension 2")) { f in
            _ = try f.a.index([.ellipsis, .int(0), .int(0), .slice(start: nil, stop: nil, step: nil)])
        },
        ErrorCase("s[0]", .index("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")) { f in
            _ = try f.s.index([.int(0)])
        },
        ErrorCase("s[1]", .index("index 1 is out of bounds for dimension 0 with size 0")) { f in
            _ = try f.s.index([.int(1)])
        },
        ErrorCase("s[:]", .index("slice() cannot be applied to a 0-dim tensor.")) { f in
            _ = try f.s.index([.slice(start: nil, stop: nil, step: nil)])
        },
        ErrorCase("s[0, None]", .index("too many indices for tensor of dimension 0")) { f in
            _ = try f.s.index([.int(0), .none])
        },
        ErrorCase("a[::0]", .value("slice step cannot be zero")) { f in
            _ = try f.a.index([.slice(start: nil, stop: nil, step: 0)])
        },
        ErrorCase("a[::-1]", .value("step must be greater than zero")) { f in
            _ = try f.a.index([.slice(start: nil, stop: nil, step: -1)])
        },
        ErrorCase("a[:, ::-2]", .value("step must be greater than zero")) { f in
            _ = try f.a.index([.slice(start: nil, stop: nil, step: nil), .slice(start: nil, stop: nil, step: -2)])
        },
        ErrorCase("a[[5]]", .index("index 5 is out of bounds for dimension 0 with size 3")) { f in
            _ = try f.a.index([.tensor(f.long([5]))])
        },
        ErrorCase("a[[0, -4]]", .index("index -4 is out of bounds for dimension 0 with size 3")) { f in
            _ = try f.a.index([.tensor(f.long([0, -4]))])
        },
        ErrorCase("a[:, [4]]", .index("index 4 is out of bounds for dimension 0 with size 4")) { f in
            _ = try f.a.index([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([4]))])
        },
        ErrorCase("t3[[0, 1], [1, 5]]", .index("index 5 is out of bounds for dimension 1 with size 3")) { f in
            _ = try f.t3.index([.tensor(f.long([0, 1])), .tensor(f.long([1, 5]))])
        },
        ErrorCase("t3[[0], :, [7]]", .index("index 7 is out of bounds for dimension 1 with size 4")) { f in
            _ = try f.t3.index([.tensor(f.long([0])), .slice(start: nil, stop: nil, step: nil), .tensor(f.long([7]))])
        },
        ErrorCase("a[[0, 1], [1, 2, 0]]", .index("shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]")) { f in
            _ = try f.a.index([.tensor(f.long([0, 1])), .tensor(f.long([1, 2, 0]))])
        },
        ErrorCase("t3[[0, 1], [[0, 1, 2]], [0, 1, 2, 3]]", .index("shape mismatch: indexing tensors could not be broadcast together with shapes [2], [1, 3], [4]")) { f in
            _ = try f.t3.index([.tensor(f.long([0, 1])), .tensor(f.long([0, 1, 2], [1, 3])), .tensor(f.long([0, 1, 2, 3]))])
        },
        ErrorCase("v[torch.tensor([True, False])]", .index("The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [4] at index 0")) { f in
            _ = try f.v.index([.tensor(f.bools([2], [1, 0]))])
        },
        ErrorCase("t3[a > 0]", .index("The shape of the mask [3, 4] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 0")) { f in
            _ = try f.t3.index([.tensor(f.a.gt(f.i(0)))])
        },
        ErrorCase("t3[:, v > 0]", .index("The shape of the mask [4] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 1")) { f in
            _ = try f.t3.index([.slice(start: nil, stop: nil, step: nil), .tensor(f.v.gt(f.i(0)))])
        },
        ErrorCase("a[a > 0, 0]", .index("too many indices for tensor of dimension 2")) { f in
            _ = try f.a.index([.tensor(f.a.gt(f.i(0))), .int(0)])
        },
        ErrorCase("a[torch.tensor([1.0])]", .index("tensors used as indices must be long, int, byte or bool tensors")) { f in
            _ = try f.a.index([.tensor(f.zeros([1]).add(f.i(1)))])
        },
        ErrorCase("c = a * 2; c[0] = torch.zeros(3); r = c", .runtime("The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [4].  Tensor sizes: [3]")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.zeros([3]))
        },
        ErrorCase("c = a * 2; c[0] = torch.zeros(2, 4); r = c", .runtime("expand(torch.FloatTensor{[2, 4]}, size=[4]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.int(0)], f.zeros([2, 4]))
        },
        ErrorCase("c = a * 2; c[:] = torch.zeros(3); r = c", .runtime("The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [3, 4].  Tensor sizes: [3]")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil)], f.zeros([3]))
        },
        ErrorCase("c = a * 2; c[[0, 1]] = torch.zeros(3); r = c", .runtime("shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 4]")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1]))], f.zeros([3]))
        },
        ErrorCase("c = a * 2; c[[0, 1]] = torch.zeros(1, 2, 1, 4); r = c", .runtime("shape mismatch: value tensor of shape [2, 1, 4] cannot be broadcast to indexing result of shape [2, 4]")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1]))], f.zeros([1, 2, 1, 4]))
        },
        ErrorCase("c = a * 2; c[c > 0] = torch.zeros(3); r = c", .runtime("shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [8]")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(c.gt(f.i(0)))], f.zeros([3]))
        },
        ErrorCase("c = a * 2; c[[0, 1]] = torch.zeros(4, dtype=torch.float64); r = c", .runtime("Index put requires the source and destination dtypes match, got Float for the destination and Double for the source.")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([0, 1]))], f.zeros([4], .float64))
        },
        ErrorCase("c = a * 2; c[[5]] = 1.0; r = c", .index("index 5 is out of bounds for dimension 0 with size 3")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.tensor(f.long([5]))], f.n(1))
        },
        ErrorCase("c = a * 2; c[:, [7]] = 1.0; r = c", .index("index 7 is out of bounds for dimension 1 with size 4")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([7]))], f.n(1))
        },
        ErrorCase("c = a * 2; c[:, [7]] = torch.tensor(1.0); r = c", .index("index 7 is out of bounds for dimension 0 with size 4")) { f in
            let c = try f.a.mul(f.i(2))
            try c.setIndex([.slice(start: nil, stop: nil, step: nil), .tensor(f.long([7]))], f.zeros([]).add(f.n(1)))
        },
        ErrorCase("a[0] = 5.0", .runtime("a view of a leaf Variable that requires grad is being used in an in-place operation.")) { f in
            try f.a.setIndex([.int(0)], f.n(5))
        },
        ErrorCase("a[:] = 5.0", .runtime("a leaf Variable that requires grad is being used in an in-place operation.")) { f in
            try f.a.setIndex([.slice(start: nil, stop: nil, step: nil)], f.n(5))
        },
        ErrorCase("a[[0]] = 5.0", .runtime("a leaf Variable that requires grad is being used in an in-place operation.")) { f in
            try f.a.setIndex([.tensor(f.long([0]))], f.n(5))
        },
        ErrorCase("a[a > 0] = 5.0", .runtime("a leaf Variable that requires grad is being used in an in-place operation.")) { f in
            try f.a.setIndex([.tensor(f.a.gt(f.i(0)))], f.n(5))
        },
        ErrorCase("k[...] = torch.zeros(2, 3, 4)", .runtime("expand(torch.FloatTensor{[2, 3, 4]}, size=[3, 4]): the number of sizes provided (2) must be greater or equal to the number of dimensions in the tensor (3)")) { f in
            try f.k.setIndex([.ellipsis], f.zeros([2, 3, 4]))
        },
        ErrorCase("k.fill_(torch.zeros(2))", .runtime("fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions.")) { f in
            _ = try f.k.fillInPlace(f.zeros([2]))
        },
        ErrorCase("k.copy_(torch.zeros(3))", .runtime("The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1")) { f in
            _ = try f.k.copyInPlace(f.zeros([3]))
        },
        ErrorCase("k.copy_(torch.zeros(2, 3, 4))", .runtime("output with shape [3, 4] doesn't match the broadcast shape [2, 3, 4]")) { f in
            _ = try f.k.copyInPlace(f.zeros([2, 3, 4]))
        },
        ErrorCase("torch.mm(a, b)", .runtime("mm: mat1 and mat2 shapes cannot be multiplied (3x4 and 3x4)")) { f in
            _ = try f.a.mm(f.b)
        },
        ErrorCase("torch.mm(a, v)", .runtime("mm: mat2 must be a matrix, got 1-D tensor")) { f in
            _ = try f.a.mm(f.v)
        },
        ErrorCase("torch.mm(v, m)", .runtime("mm: self must be a matrix, got 1-D tensor")) { f in
            _ = try f.v.mm(f.m)
        },
        ErrorCase("torch.mv(a, torch.zeros(3))", .runtime("size mismatch, got input (3), mat (3x4), vec (3)")) { f in
            _ = try f.a.mv(f.zeros([3]))
        },
        ErrorCase("torch.mv(a, m)", .runtime("vector + matrix @ vector expected, got 1, 2, 2")) { f in
            _ = try f.a.mv(f.m)
        },
        ErrorCase("torch.dot(v, torch.zeros(3))", .runtime("inconsistent tensor size, expected tensor [4] and src [3] to have the same number of elements, but got 4 and 3 elements respectively")) { f in
            _ = try f.v.dot(f.zeros([3]))
        },
        ErrorCase("torch.dot(a, v)", .runtime("1D tensors expected, but got 2D and 1D tensors")) { f in
            _ = try f.a.dot(f.v)
        },
        ErrorCase("torch.bmm(t3, t3)", .runtime("Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 3].")) { f in
            _ = try f.t3.bmm(f.t3)
        },
        ErrorCase("torch.bmm(a, t3)", .runtime("batch1 must be a 3D tensor")) { f in
            _ = try f.a.bmm(f.t3)
        },
        ErrorCase("torch.bmm(t3, a)", .runtime("batch2 must be a 3D tensor")) { f in
            _ = try f.t3.bmm(f.a)
        },
        ErrorCase("torch.matmul(a, b)", .runtime("mm: mat1 and mat2 shapes cannot be multiplied (3x4 and 3x4)")) { f in
            _ = try f.a.matmul(f.b)
        },
        ErrorCase("torch.matmul(s, a)", .runtime("both arguments to matmul need to be at least 1D, but they are 0D and 2D")) { f in
            _ = try f.s.matmul(f.a)
        },
        ErrorCase("torch.matmul(t3, t3)", .runtime("Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 3].")) { f in
            _ = try f.t3.matmul(f.t3)
        },
        ErrorCase("torch.matmul(t3, torch.zeros(3))", .runtime("size mismatch, got input (6), mat (6x4), vec (3)")) { f in
            _ = try f.t3.matmul(f.zeros([3]))
        },
        ErrorCase("torch.matmul(torch.zeros(5, 2, 3, 4), torch.zeros(3, 4, 2))", .runtime("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1")) { f in
            _ = try f.zeros([5, 2, 3, 4]).matmul(f.zeros([3, 4, 2]))
        },
        ErrorCase("a + torch.zeros(3)", .runtime("The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1")) { f in
            _ = try f.a.add(f.zeros([3]))
        },
        ErrorCase("a * torch.zeros(2, 4)", .runtime("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")) { f in
            _ = try f.a.mul(f.zeros([2, 4]))
        },
        ErrorCase("a.view(5, 2)", .runtime("shape '[5, 2]' is invalid for input of size 12")) { f in
            _ = try f.a.view([5, 2])
        },
        ErrorCase("a.view(-1, -1)", .runtime("only one dimension can be inferred")) { f in
            _ = try f.a.view([-1, -1])
        },
        ErrorCase("a.view(-1, 5)", .runtime("shape '[-1, 5]' is invalid for input of size 12")) { f in
            _ = try f.a.view([-1, 5])
        },
        ErrorCase("a.t().view(12)", .runtime("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")) { f in
            _ = try f.a.t().view([12])
        },
        ErrorCase("a.reshape(5, 3)", .runtime("shape '[5, 3]' is invalid for input of size 12")) { f in
            _ = try f.a.reshape([5, 3])
        },
        ErrorCase("a.flatten(1, 0)", .runtime("flatten() has invalid args: start_dim cannot come after end_dim")) { f in
            _ = try f.a.flatten(startDim: 1, endDim: 0)
        },
        ErrorCase("a.expand(2, 4)", .runtime("The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [2, 4].  Tensor sizes: [3, 4]")) { f in
            _ = try f.a.expand([2, 4])
        },
        ErrorCase("a.expand(4)", .runtime("expand(torch.FloatTensor{[3, 4]}, size=[4]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)")) { f in
            _ = try f.a.expand([4])
        },
        ErrorCase("v.expand(-1, 4)", .runtime("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0")) { f in
            _ = try f.v.expand([-1, 4])
        },
        ErrorCase("t3.t()", .runtime("t() expects a tensor with <= 2 dimensions, but self is 3D")) { f in
            _ = try f.t3.t()
        },
        ErrorCase("a.transpose(0, 2)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try f.a.transpose(0, 2)
        },
        ErrorCase("a.permute(0)", .runtime("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1")) { f in
            _ = try f.a.permute([0])
        },
        ErrorCase("a.permute(0, 0)", .runtime("permute(): duplicate dims are not allowed.")) { f in
            _ = try f.a.permute([0, 0])
        },
        ErrorCase("a.permute(0, 2)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try f.a.permute([0, 2])
        },
        ErrorCase("a.squeeze(2)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try f.a.squeeze(2)
        },
        ErrorCase("a.unsqueeze(3)", .index("Dimension out of range (expected to be in range of [-3, 2], but got 3)")) { f in
            _ = try f.a.unsqueeze(3)
        },
        ErrorCase("a.select(0, 3)", .index("select(): index 3 out of range for tensor of size [3, 4] at dimension 0")) { f in
            _ = try f.a.select(0, 3)
        },
        ErrorCase("a.select(1, -5)", .index("select(): index -5 out of range for tensor of size [3, 4] at dimension 1")) { f in
            _ = try f.a.select(1, -5)
        },
        ErrorCase("s.select(0, 0)", .index("select() cannot be applied to a 0-dim tensor.")) { f in
            _ = try f.s.select(0, 0)
        },
        ErrorCase("a.select(2, 0)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try f.a.select(2, 0)
        },
        ErrorCase("a[:, ::0]", .value("slice step cannot be zero")) { f in
            _ = try f.a.index([.slice(start: nil, stop: nil, step: nil), .slice(start: nil, stop: nil, step: 0)])
        },
        ErrorCase("torch.ops.aten.slice(s, 0)", .index("slice() cannot be applied to a 0-dim tensor.")) { f in
            _ = try f.s.slice(0, start: nil, stop: nil)
        },
        ErrorCase("a.sum(2)", .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)")) { f in
            _ = try f.a.sum(dims: [2])
        },
        ErrorCase("a.mean(-3)", .index("Dimension out of range (expected to be in range of [-2, 1], but got -3)")) { f in
            _ = try f.a.mean(dims: [-3])
        },
        ErrorCase("torch.tensor([1, 2]).mean()", .notImplemented("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long")) { f in
            _ = try f.long([1, 2]).mean()
        },
        ErrorCase("(a > 0).mean()", .notImplemented("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Bool")) { f in
            _ = try f.a.gt(f.i(0)).mean()
        },
        ErrorCase("a.clamp()", .runtime("torch.clamp: At least one of 'min' or 'max' must not be None")) { f in
            _ = try f.a.clamp(min: nil, max: nil)
        },
        ErrorCase("torch.where(a, a, b)", .runtime("where expected condition to be a boolean tensor, but got a tensor with dtype Float")) { f in
            _ = try Tensor.where(f.a, f.a, f.b)
        },
        ErrorCase("torch.where(a > 0, a, v[:3])", .runtime("The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1")) { f in
            _ = try Tensor.where(f.a.gt(f.i(0)), f.a, f.v.index([.slice(start: nil, stop: 3, step: nil)]))
        },
        ErrorCase("-(a > 0)", .notImplemented("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")) { f in
            _ = try f.a.gt(f.i(0)).neg()
        },
        ErrorCase("a.item()", .runtime("a Tensor with 12 elements cannot be converted to Scalar")) { f in
            _ = try f.a.item()
        },
    ]
}
