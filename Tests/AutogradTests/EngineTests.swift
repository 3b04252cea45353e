import Testing
@testable import Autograd

/// The engine's behaviour on small graphs whose gradients follow from calculus.
@Suite struct EngineTests {
    let rt = Runtime()

    func scalar(_ v: Double, grad: Bool = true) throws -> Tensor {
        try Tensor.from(rt, values: [v], shape: [], dtype: .float32, requiresGrad: grad)
    }

    @Test func mulGradientAndGraph() throws {
        let a = try scalar(2), b = try scalar(3, grad: false)
        let c = try a.mul(b)
        #expect(c.gradFn?.name == "MulBackward0")
        #expect(c.gradFn?.nextEdges.map { $0.function?.name } == ["AccumulateGrad", nil])
        try Engine.backward([c], grads: [])
        #expect(a.grad?.values == [3])
        #expect(b.grad == nil)
        #expect(c.description == "tensor(6., grad_fn=<MulBackward0>)")
    }

    @Test func secondBackwardThroughFreedGraphRaises() throws {
        let a = try scalar(2), b = try scalar(3, grad: false)
        let c = try a.mul(b)
        try Engine.backward([c], grads: [])
        #expect(throws: TorchError.runtime(Messages.backwardTwice)) { try Engine.backward([c], grads: []) }
    }

    @Test func secondDerivativeOfCube() throws {
        let x = try scalar(2)
        let y = try x.pow(3, exponentIsInt: true)
        let g = try Engine.grad(outputs: [y], inputs: [x], gradOutputs: [], createGraph: true)[0]!
        #expect(g.values == [12])
        #expect(g.gradFn?.name == "MulBackward0")
        let g2 = try Engine.grad(outputs: [g], inputs: [x], gradOutputs: [])[0]!
        #expect(g2.values == [12])  // 6x at x = 2
        #expect(x.grad == nil)
    }

    @Test func deepChainNeedsNoRecursion() throws {
        let x = try scalar(1)
        var y = x
        for _ in 0..<100_000 { y = try y.mul(Tensor.wrapped(rt, 1.0, dtype: .float64)) }
        try Engine.backward([y], grads: [])
        #expect(x.grad?.values == [1])
    }

    /// `torch.autograd.backward([y, y])`: the root's gradients add up and
    /// still reach the leaf (the root is walked once, not once per entry).
    @Test func repeatedRootAccumulatesBothGradients() throws {
        let x = try Tensor.from(rt, values: [1, 2], shape: [2], dtype: .float32, requiresGrad: true)
        let y = try x.mul(Tensor.wrapped(rt, 3, dtype: .int64)).sum()
        try Engine.backward([y, y], grads: [])
        #expect(x.grad?.values == [6, 6])
    }

    @Test func inPlaceOnSavedTensorIsCaught() throws {
        let x = try Tensor.from(rt, values: [1, 2], shape: [2], dtype: .float32, requiresGrad: true)
        let y = try x.sigmoid()
        try y.mulInPlace(Tensor.wrapped(rt, 2, dtype: .int64))
        let s = try y.sum()
        #expect(throws: TorchError.runtime("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of Sigmoid, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")) {
            try Engine.backward([s], grads: [])
        }
    }

    @Test func broadcastGradientsSumBack() throws {
        let a = try Tensor.from(rt, values: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .float32, requiresGrad: true)
        let b = try Tensor.from(rt, values: [1, 2, 3], shape: [3], dtype: .float32, requiresGrad: true)
        try Engine.backward([a.mul(b).sum()], grads: [])
        #expect(b.grad?.values == [5, 7, 9])
        #expect(a.grad?.values == [1, 2, 3, 1, 2, 3])
    }

    @Test func mmMatchesHandComputation() throws {
        let m = try Tensor.from(rt, values: [1, 2, 3, 4], shape: [2, 2], dtype: .float32, requiresGrad: true)
        let p = try m.mm(m)
        #expect(p.values == [7, 10, 15, 22])
        try Engine.backward([p.sum()], grads: [])
        #expect(m.grad?.values == [7, 11, 9, 13])
    }
}

extension EngineTests {
    /// `sin` saves its input, so every intermediate holds the one before it:
    /// freeing that chain must not recurse either.
    @Test func deepChainOfSavedTensorsFreesWithoutRecursion() throws {
        let x = try scalar(0.5)
        var y = x
        for _ in 0..<100_000 { y = try y.sin() }
        try Engine.backward([y], grads: [])
        let g = try #require(x.grad?.values.first)
        #expect(g > 0 && g < 1)
    }
}
