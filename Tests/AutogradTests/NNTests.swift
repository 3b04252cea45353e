import Testing
@testable import Autograd

/// nn layers, losses and optimizers: graphs and values against PyTorch
/// 2.15.0 (the numbers below were printed by tools/torch_reference.py, whose
/// generator and nn.Linear initialisation these share), gradients against
/// float64 finite differences, and the module scopes nodes record.
@Suite struct NNTests {
    func floats(_ rt: Runtime, _ values: [Double], _ shape: [Int], requiresGrad: Bool = false) throws -> Tensor {
        try Tensor.from(rt, values: values, shape: shape, dtype: .float32, requiresGrad: requiresGrad)
    }

    // MARK: Initialisation and graphs

    /// `torch.manual_seed(0); nn.Linear(2, 3)` under the reference runner.
    @Test func linearInitialisationMatchesTheReferenceRunner() throws {
        let lin = try Linear(runtime: Runtime(seed: 0), inFeatures: 2, outFeatures: 3)
        #expect(lin.weight?.values == [0.5420833230018616, -0.09683403372764587, -0.6697238087654114, 0.6659277081489563,
                                      -0.5567098259925842, -0.2441982477903366])
        #expect(lin.bias?.values == [-0.46122047305107117, 0.38402482867240906, -0.3596501350402832])
        #expect(lin.weight?.isParameter == true && lin.weight?.isLeaf == true && lin.weight?.requiresGrad == true)
        // PyTorch's initialisers fill parameters in place: version 1.
        #expect(lin.weight?.version == 1)
    }

    /// The graph shapes of `python3 -c "print(tree(nn.Linear(3, 2)(x).grad_fn))"`.
    @Test(arguments: [
        ([4, 3], false, true, "AddmmBackward0(AccumulateGrad, None, TBackward0(AccumulateGrad))"),
        ([4, 3], true, true, "AddmmBackward0(AccumulateGrad, AccumulateGrad, TBackward0(AccumulateGrad))"),
        ([3], false, true, "UnsafeViewBackward0(AddmmBackward0(AccumulateGrad, None, TBackward0(AccumulateGrad)))"),
        ([3], true, true, "UnsafeViewBackward0(AddmmBackward0(AccumulateGrad, ViewBackward0(AccumulateGrad), TBackward0(AccumulateGrad)))"),
        ([2, 4, 3], true, true, "UnsafeViewBackward0(AddmmBackward0(AccumulateGrad, ViewBackward0(AccumulateGrad), TBackward0(AccumulateGrad)))"),
        ([4, 3], false, false, "MmBackward0(None, TBackward0(AccumulateGrad))"),
        ([3], false, false, "SqueezeBackward4(MmBackward0(None, TBackward0(AccumulateGrad)))"),
        ([2, 4, 3], false, false, "UnsafeViewBackward0(MmBackward0(None, TBackward0(AccumulateGrad)))"),
    ])
    func linearGraph(_ shape: [Int], _ inputRequiresGrad: Bool, _ bias: Bool, _ tree: String) throws {
        let rt = Runtime(seed: 1)
        let lin = try Linear(runtime: rt, inFeatures: 3, outFeatures: 2, bias: bias)
        let x = Tensor.randn(rt, shape: shape)
        try x.setRequiresGrad(inputRequiresGrad)
        let y = try lin.call([x], path: "lin")
        #expect(render(y.gradFn) == tree)
        #expect(y.shape == Array(shape.dropLast()) + [2])
    }

    /// A non-contiguous 3-D input: matmul, then the bias added in place.
    @Test func linearOnATransposedInputAddsTheBiasInPlace() throws {
        let rt = Runtime(seed: 1)
        let lin = try Linear(runtime: rt, inFeatures: 3, outFeatures: 2)
        let x = try Tensor.randn(rt, shape: [4, 2, 3]).transpose(0, 1)
        let y = try lin.call([x], path: "lin")
        #expect(render(y.gradFn) == "AddBackward0(UnsafeViewBackward0(MmBackward0(None, TBackward0(AccumulateGrad))), AccumulateGrad)")
    }

    @Test func addmmSavesWhatItsGradientsNeed() throws {
        let rt = Runtime(seed: 2)
        let lin = try Linear(runtime: rt, inFeatures: 3, outFeatures: 2)
        let y = try lin.call([Tensor.randn(rt, shape: [4, 3])], path: "lin")
        let node = try #require(y.gradFn)
        #expect(node.saved.map(\.name) == ["mat1"])
        #expect(node.savedAttributes["mat2"] == SavedAttribute.none)
        #expect(node.savedAttributes["mat1_sym_sizes"] == .ints([4, 3]))
    }

    @Test func lossGraphs() throws {
        let rt = Runtime(seed: 3)
        let a = Tensor.randn(rt, shape: [3, 4])
        try a.setRequiresGrad(true)
        let labels = try Tensor.from(rt, values: [0, 2, 1], shape: [3], dtype: .int64)
        #expect(render(try Functional.crossEntropy(a, labels).gradFn) == "NllLossBackward0(LogSoftmaxBackward0(AccumulateGrad))")
        #expect(render(try Functional.mseLoss(a, Tensor.randn(rt, shape: [3, 4])).gradFn) == "MseLossBackward0(AccumulateGrad, None)")
        let bce = try Functional.binaryCrossEntropyWithLogits(a, Tensor.rand(rt, shape: [3, 4]))
        #expect(render(bce.gradFn) == "BinaryCrossEntropyWithLogitsBackward0(AccumulateGrad, None)")
        #expect(bce.gradFn?.saved.map(\.name) == ["self", "target"])
        // A (3, 1) prediction against a (3,) target: both expanded to (3, 3).
        let column = Tensor.randn(rt, shape: [3, 1])
        try column.setRequiresGrad(true)
        var warnings: [String] = []
        rt.onWarning = { warnings.append($0) }
        let broadcast = try Functional.mseLoss(column, Tensor.randn(rt, shape: [3]))
        #expect(render(broadcast.gradFn) == "MseLossBackward0(ExpandBackward0(AccumulateGrad), None)")
        #expect(warnings == ["UserWarning: Using a target size (torch.Size([3])) that is different to the input size (torch.Size([3, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size."])
    }

    /// A create_graph backward through the losses records PyTorch's
    /// double-backward nodes.
    @Test func lossSecondDerivativeGraphs() throws {
        let rt = Runtime(seed: 9)
        let x = Tensor.randn(rt, shape: [3, 4])
        try x.setRequiresGrad(true)
        let labels = try Tensor.from(rt, values: [0, 2, 1], shape: [3], dtype: .int64)
        let ce = try #require(Engine.grad(outputs: [Functional.crossEntropy(x, labels)], inputs: [x], gradOutputs: [],
                                          createGraph: true)[0])
        #expect(render(ce.gradFn) == "LogSoftmaxBackwardDataBackward0(NllLossBackwardBackward0(None, LogSoftmaxBackward0(AccumulateGrad)), LogSoftmaxBackward0(AccumulateGrad))")
        let mse = try #require(Engine.grad(outputs: [Functional.mseLoss(x, Tensor.rand(rt, shape: [3, 4]))], inputs: [x],
                                           gradOutputs: [], createGraph: true)[0])
        #expect(render(mse.gradFn) == "MseLossBackwardBackward0(None, AccumulateGrad, None)")
        #expect(mse.gradFn?.saved.map(\.name) == ["grad_output", "self", "target"])
        let bce = try #require(Engine.grad(outputs: [Functional.binaryCrossEntropyWithLogits(x, Tensor.rand(rt, shape: [3, 4]))],
                                           inputs: [x], gradOutputs: [], createGraph: true)[0])
        #expect(render(bce.gradFn) == "DivBackward1(MulBackward0(SubBackward0(SigmoidBackward0(AccumulateGrad), None), None))")
    }

    @Test func lossErrorsArePyTorchs() throws {
        let rt = Runtime(seed: 4)
        let a = Tensor.randn(rt, shape: [3, 4])
        #expect(throws: TorchError.value("Expected input batch_size (3) to match target batch_size (2).")) {
            try Functional.crossEntropy(a, Tensor.from(rt, values: [0, 1], shape: [2], dtype: .int64))
        }
        #expect(throws: TorchError.index("Target 4 is out of bounds.")) {
            try Functional.crossEntropy(a, Tensor.from(rt, values: [0, 1, 4], shape: [3], dtype: .int64))
        }
        #expect(throws: TorchError.runtime("expected target dtype to be Long or Byte, but got Float")) {
            try Functional.nllLoss(a, Tensor.from(rt, values: [0, 1, 2], shape: [3], dtype: .float32))
        }
        #expect(throws: TorchError.value("Target size (torch.Size([4])) must be the same as input size (torch.Size([3]))")) {
            try Functional.binaryCrossEntropyWithLogits(Tensor.randn(rt, shape: [3]), Tensor.randn(rt, shape: [4]))
        }
        #expect(throws: TorchError.value("avg is not a valid value for reduction")) { try Reduction(name: "avg") }
        #expect(throws: TorchError.runtime("addmm: mat1 and mat2 shapes cannot be multiplied (4x2 and 3x2)")) {
            try Linear(runtime: rt, inFeatures: 3, outFeatures: 2).call([Tensor.randn(rt, shape: [4, 2])], path: "lin")
        }
        #expect(throws: TorchError.runtime("expected m1 and m2 to have the same dtype, but got: double != float")) {
            try Tensor.randn(rt, shape: [2, 3], dtype: .float64).mm(Tensor.randn(rt, shape: [3, 2]))
        }
        #expect(throws: TorchError.type("Linear.forward() takes 2 positional arguments but 3 were given")) {
            try Linear(runtime: rt, inFeatures: 3, outFeatures: 2).call([a, a], path: "lin")
        }
        #expect(throws: TorchError.type("MSELoss.forward() missing 1 required positional argument: 'target'")) {
            try Loss(runtime: rt, .mse).call([a], path: "loss")
        }
        #expect(throws: TorchError.notImplemented("Module [Module] is missing the required \"forward\" function")) {
            try Module(runtime: rt).call([a], path: "m")
        }
    }

    // MARK: Dropout and batch norm

    /// `torch.manual_seed(5); F.dropout(torch.ones(8), 0.3)` under the reference runner.
    @Test func dropoutDrawsOneUniformPerElement() throws {
        let rt = Runtime(seed: 5)
        let x = try floats(rt, Array(repeating: 1, count: 8), [8], requiresGrad: true)
        let y = try x.dropout(p: 0.3, training: true)
        let kept = 1.4285714626312256
        #expect(y.values == [kept, kept, 0, 0, 0, kept, kept, kept])
        #expect(render(y.gradFn) == "MulBackward0(AccumulateGrad, None)")
        #expect(y.gradFn?.saved.map(\.name) == ["other"])
        // Eval mode, p == 0 and an empty input are the input itself, drawing nothing.
        let state = rt.generator.state
        #expect(try x.dropout(p: 0.3, training: false) === x)
        #expect(try x.dropout(p: 0, training: true) === x)
        #expect(rt.generator.state == state)
        // p == 1: the input times a 0-d zero.
        let zero = try x.dropout(p: 1, training: true)
        #expect(zero.values == Array(repeating: 0, count: 8) && zero.gradFn?.name == "MulBackward0")
        #expect(throws: TorchError.value("dropout probability has to be between 0 and 1, but got 1.5")) {
            try x.dropout(p: 1.5, training: true)
        }
    }

    /// The reference runner's `nn.BatchNorm1d(2)` on a fixed batch (values
    /// within an ulp: PyTorch accumulates the statistics its own way).
    @Test func batchNormTrainUpdatesRunningStatisticsEvalUsesThem() throws {
        let rt = Runtime(seed: 0)
        let bn = try BatchNorm1d(runtime: rt, numFeatures: 2)
        let x = try floats(rt, [1, 2, 3, -1, 0.5, 0], [3, 2])
        let y = try bn.call([x], path: "bn")
        expectClose(y.values, [-0.4629080891609192, 1.3363019227981567, 1.3887240886688232, -1.0690416097640991,
                               -0.9258161783218384, -0.2672604024410248], "train output")
        let runningMean = try #require(bn.buffer(named: "running_mean") ?? nil)
        let runningVar = try #require(bn.buffer(named: "running_var") ?? nil)
        expectClose(runningMean.values, [0.15000000596046448, 0.03333333507180214], "running_mean")
        expectClose(runningVar.values, [1.0749999284744263, 1.1333333253860474], "running_var")
        #expect(try bn.buffer(named: "num_batches_tracked")??.item() == 1)
        #expect(y.gradFn?.name == "NativeBatchNormBackward0")
        #expect(y.gradFn?.saved.map(\.name) == ["input", "weight", "running_mean", "running_var", "result1", "result2"])

        bn.train(false)
        let before = runningMean.values
        let e = try bn.call([x], path: "bn")
        let xs = x.values, variances = runningVar.values
        let expected: [Double] = (0..<6).map { (i: Int) -> Double in
            let sd = (variances[i % 2] + 1e-5).squareRoot()
            return (xs[i] - before[i % 2]) / sd
        }
        expectClose(e.values, expected, "eval output")
        #expect(runningMean.values == before)
        #expect(try bn.buffer(named: "num_batches_tracked")??.item() == 1)
        #expect(e.gradFn?.moduleScope.last?.label == "bn: BatchNorm1d(2) [eval]")

        bn.train()
        #expect(throws: TorchError.value("Expected more than 1 value per channel when training, got input size torch.Size([1, 2])")) {
            try bn.call([floats(rt, [1, 2], [1, 2])], path: "bn")
        }
    }

    // MARK: Optimizers

    /// Three Adam steps on hand-set gradients, as PyTorch's single-tensor
    /// CPU path computes them (the first element differs in the last bit:
    /// PyTorch's float32 sqrt is MKL's, not correctly rounded).
    @Test func adamMatchesPyTorch() throws {
        let rt = Runtime()
        let w = try Tensor.parameter(floats(rt, [0.5, -1.5, 2.0], [3]))
        let adam = try Adam(params: [w], lr: 0.1, betas: (0.9, 0.99))
        for g in [[0.1, -0.2, 0.003], [0.05, 0.4, -0.007], [-0.3, 0.1, 0.0]] {
            w.grad = try floats(rt, g, [3])
            try adam.step()
        }
        expectClose(w.values, [0.3412553668022156, -1.4781532287597656, 1.974457025527954], "Adam")
        #expect(Array(w.values.dropFirst()) == [-1.4781532287597656, 1.974457025527954])
    }

    /// SGD with Nesterov momentum and weight decay: bit for bit.
    @Test func sgdMatchesPyTorchExactly() throws {
        let rt = Runtime()
        let v = try Tensor.parameter(floats(rt, [0.5, -1.5, 2.0], [3]))
        let sgd = try SGD(params: [v], lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)
        for g in [[0.1, -0.2, 0.003], [0.05, 0.4, -0.007], [-0.3, 0.1, 0.0]] {
            v.grad = try floats(rt, g, [3])
            try sgd.step()
        }
        #expect(v.values == [0.5051634311676025, -1.546628713607788, 1.9847956895828247])
        #expect(v.version == 3)
        try sgd.zeroGrad()
        #expect(v.grad == nil)
    }

    @Test func optimizerArgumentsAreChecked() throws {
        let rt = Runtime()
        let p = try Tensor.parameter(floats(rt, [1], [1]))
        #expect(throws: TorchError.value("optimizer got an empty parameter list")) { try SGD(params: [], lr: 0.1) }
        #expect(throws: TorchError.value("Invalid learning rate: -0.1")) { try SGD(params: [p], lr: -0.1) }
        #expect(throws: TorchError.value("Nesterov momentum requires a momentum and zero dampening")) {
            try SGD(params: [p], lr: 0.1, nesterov: true)
        }
        #expect(throws: TorchError.value("Invalid beta parameter at index 0: 1.0")) { try Adam(params: [p], betas: (1, 0.9)) }
        #expect(throws: TorchError.value("can't optimize a non-leaf Tensor")) { try SGD(params: [p.mul(p)], lr: 0.1) }
    }

    // MARK: Modules

    @Test func namedParametersUsePyTorchsNames() throws {
        let rt = Runtime()
        let net = Module(runtime: rt)
        let seq = Sequential(runtime: rt, [try Linear(runtime: rt, inFeatures: 2, outFeatures: 3), Activation(runtime: rt, .relu),
                                           try BatchNorm1d(runtime: rt, numFeatures: 3)])
        net.addModule("body", seq)
        net.addModule("head", try Linear(runtime: rt, inFeatures: 3, outFeatures: 1, bias: false))
        // A module reachable twice is listed once (remove_duplicate=True).
        net.addModule("again", seq)
        #expect(net.namedParameters(prefix: "net").map(\.name) == ["net.body.0.weight", "net.body.0.bias", "net.body.2.weight",
                                                                   "net.body.2.bias", "net.head.weight"])
        #expect(net.namedBuffers().map(\.name) == ["body.2.running_mean", "body.2.running_var", "body.2.num_batches_tracked"])
        #expect(net.description == """
            Module(
              (body): Sequential(
                (0): Linear(in_features=2, out_features=3, bias=True)
                (1): ReLU()
                (2): BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
              )
              (head): Linear(in_features=3, out_features=1, bias=False)
              (again): Sequential(
                (0): Linear(in_features=2, out_features=3, bias=True)
                (1): ReLU()
                (2): BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
              )
            )
            """)
        net.train(false)
        let last = try seq.module(at: -1)
        #expect(!seq.training && !last.training)
        try net.requiresGrad(false)
        #expect(net.parameters.allSatisfy { !$0.requiresGrad })
    }

    /// Every node a module call creates knows the calls it was inside of;
    /// AccumulateGrad too, when the call first used the leaf.
    @Test func nodesRecordTheirModuleScope() throws {
        let rt = Runtime(seed: 6)
        let model = Sequential(runtime: rt, [try Linear(runtime: rt, inFeatures: 4, outFeatures: 8), Activation(runtime: rt, .relu),
                                             try Dropout(runtime: rt, p: 0.5)])
        let y = try model.call([Tensor.randn(rt, shape: [2, 4])], path: "model")
        let mul = try #require(y.gradFn)
        #expect(mul.moduleScope.map(\.label) == ["model: Sequential", "model.2: Dropout(p=0.5) [train]"])
        let relu = try #require(mul.nextEdges[0].function)
        #expect(relu.moduleScope.last?.label == "model.1: ReLU()")
        let addmm = try #require(relu.nextEdges[0].function)
        #expect(addmm.moduleScope.last?.label == "model.0: Linear(4, 8)")
        // Each call is numbered in call order: Sequential, then its children.
        #expect(addmm.moduleScope.map(\.call) == [1, 2])
        #expect(relu.moduleScope.map(\.call) == [1, 3])
        #expect(addmm.nextEdges[0].function?.moduleScope.last?.path == "model.0")
        // Outside any call the stack is empty again.
        #expect(rt.moduleScope.isEmpty)
        #expect(try y.sum().gradFn?.moduleScope == [])
    }

    // MARK: Anomaly detection

    @Test func anomalyModeNamesTheForwardLine() throws {
        let rt = Runtime()
        var warnings: [String] = []
        rt.onWarning = { warnings.append($0) }
        rt.anomalyDetection = true
        rt.currentLocation = ForwardLocation(frames: [ForwardFrame(file: "nan.json", line: 3, function: "<module>", source: "r = x / d")])
        let x = try floats(rt, [1, 0], [2], requiresGrad: true)
        let r = try x.div(floats(rt, [1, 0], [2]))
        rt.currentLocation = ForwardLocation(frames: [ForwardFrame(file: "nan.json", line: 4, function: "<module>", source: "loss = (r * 0).sum()")])
        let loss = try r.mul(Tensor.wrapped(rt, 0, dtype: .int64)).sum()
        #expect(r.gradFn?.forwardLocation?.frames.last?.line == 3)
        #expect(throws: TorchError.runtime("Function 'DivBackward0' returned nan values in its 0th output.")) {
            try Engine.backward([loss], grads: [])
        }
        #expect(warnings == ["UserWarning: Error detected in DivBackward0. Traceback of forward call that caused the error:\n  File \"nan.json\", line 3, in <module>\n    r = x / d\n (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:108.)"])
        // check_nan=False: the NaN passes.
        rt.anomalyCheckNaN = false
        let again = try x.div(floats(rt, [1, 0], [2])).mul(Tensor.wrapped(rt, 0, dtype: .int64)).sum()
        try Engine.backward([again], grads: [])
        #expect(x.grad?.values.contains { $0.isNaN } == true)
    }

    @Test func nodesMadeOutsideAnomalyModeHaveNoForwardInformation() throws {
        let rt = Runtime()
        var warnings: [String] = []
        rt.onWarning = { warnings.append($0) }
        let x = try floats(rt, [0], [1], requiresGrad: true)
        let loss = try x.div(floats(rt, [0], [1])).mul(Tensor.wrapped(rt, 0, dtype: .int64)).sum()
        rt.anomalyDetection = true
        #expect(throws: TorchError.self) { try Engine.backward([loss], grads: []) }
        #expect(warnings == ["UserWarning: Error detected in DivBackward0. No forward pass information available. Enable detect anomaly during forward pass for more information. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:90.)"])
    }
}

// MARK: - Gradients by finite differences

/// The nn kernels in GradCheck's table form (float64 inputs).
@Suite struct NNGradCheckTests {
    @Test(arguments: NNGradCheckTests.cases)
    func firstDerivative(_ op: OpCase) throws { try GradCheck.first(op) }

    @Test(arguments: NNGradCheckTests.secondOrderCases)
    func secondDerivative(_ op: OpCase) throws { try GradCheck.second(op) }

    static func labels(_ t: Tensor, _ v: [Double]) -> Tensor {
        Tensor(runtime: t.runtime, values: v, shape: [v.count], dtype: .int64)
    }

    static let cases: [OpCase] = [
        OpCase("addmm", [[3], [4, 2], [2, 3]]) { try Tensor.addmm($0[0], $0[1], $0[2]) },
        OpCase("linear 1-D", [[3], [2, 3], [2]]) { try Tensor.linear($0[0], weight: $0[1], bias: $0[2]) },
        OpCase("linear 3-D", [[2, 2, 3], [4, 3], [4]]) { try Tensor.linear($0[0], weight: $0[1], bias: $0[2]) },
        OpCase("mse_loss mean", [[3, 2], [3, 2]]) { try Tensor.mseLoss($0[0], $0[1], reduction: .mean) },
        OpCase("mse_loss none", [[3, 2], [3, 2]]) { try Tensor.mseLoss($0[0], $0[1], reduction: .none) },
        OpCase("cross_entropy mean", [[3, 4]]) { try Functional.crossEntropy($0[0], labels($0[0], [1, 0, 3])) },
        OpCase("cross_entropy weighted", [[3, 4]]) {
            let weight = Tensor(runtime: $0[0].runtime, values: [1, 2, 0.5, 0.25], shape: [4], dtype: .float64)
            return try Functional.crossEntropy($0[0], labels($0[0], [1, 0, 3]), weight: weight)
        },
        OpCase("cross_entropy ignore_index", [[3, 4]]) { try Functional.crossEntropy($0[0], labels($0[0], [1, -100, 3])) },
        OpCase("nll_loss none", [[3, 4]]) { try Tensor.nllLoss($0[0], labels($0[0], [2, 0, 3]), weight: nil, reduction: .none) },
        OpCase("cross_entropy 1-D", [[4]]) {
            try Functional.crossEntropy($0[0], Tensor(runtime: $0[0].runtime, values: [2], shape: [], dtype: .int64), reduction: .sum)
        },
        OpCase("bce_with_logits", [[3, 2], [3, 2]]) { try Functional.binaryCrossEntropyWithLogits($0[0], $0[1]) },
        OpCase("bce_with_logits weights", [[3, 2], [3, 2]]) {
            let rt = $0[0].runtime
            return try Functional.binaryCrossEntropyWithLogits(
                $0[0], $0[1], weight: Tensor(runtime: rt, values: [0.5, 2], shape: [2], dtype: .float64),
                posWeight: Tensor(runtime: rt, values: [3, 0.25], shape: [2], dtype: .float64), reduction: .sum)
        },
        OpCase("logsigmoid", [[2, 3]]) { try $0[0].logSigmoid() },
        OpCase("batch_norm train", [[4, 3], [3], [3]]) {
            try Tensor.nativeBatchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil,
                                       training: true, momentum: 0.1, eps: 1e-5)
        },
        OpCase("batch_norm train 3-D", [[3, 2, 2], [2], [2]]) {
            try Tensor.nativeBatchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil,
                                       training: true, momentum: 0.1, eps: 1e-5)
        },
        OpCase("batch_norm eval", [[4, 3], [3], [3]]) {
            let rt = $0[0].runtime
            let mean = Tensor(runtime: rt, values: [0.1, -0.2, 0.3], shape: [3], dtype: .float64)
            let variance = Tensor(runtime: rt, values: [1.5, 0.5, 2], shape: [3], dtype: .float64)
            return try Tensor.nativeBatchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: mean, runningVar: variance,
                                              training: false, momentum: 0.1, eps: 1e-5)
        },
    ]

    static let secondOrderCases: [OpCase] = [
        OpCase("addmm", [[3], [4, 2], [2, 3]]) { try Tensor.addmm($0[0], $0[1], $0[2]).tanh() },
        OpCase("mse_loss", [[3, 2], [3, 2]]) { try Tensor.mseLoss($0[0], $0[1], reduction: .sum).pow(2) },
        OpCase("mse_loss none", [[3, 2], [3, 2]]) { try Tensor.mseLoss($0[0], $0[1], reduction: .none) },
        OpCase("nll_loss weighted", [[3, 4]]) {
            let weight = Tensor(runtime: $0[0].runtime, values: [1, 2, 0.5, 0.25], shape: [4], dtype: .float64)
            return try Tensor.nllLoss($0[0].tanh(), labels($0[0], [1, 0, 3]), weight: weight, reduction: .mean).pow(2)
        },
        OpCase("cross_entropy", [[3, 4]]) { try Functional.crossEntropy($0[0], labels($0[0], [1, 0, 3])) },
        OpCase("bce_with_logits", [[3, 2], [3, 2]]) { try Functional.binaryCrossEntropyWithLogits($0[0], $0[1]) },
        OpCase("batch_norm train", [[4, 3], [3], [3]]) {
            try Tensor.nativeBatchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil,
                                       training: true, momentum: 0.1, eps: 1e-5)
        },
    ]
}

/// The optimizers' float32 fused multiply-add, computed in Double without a
/// library call, against `Float.addingProduct` (libm's correctly rounded fmaf).
@Suite struct FusedMultiplyAddTests {
    @Test func roundsOnceLikeFmaf() {
        var generator = SystemRandomNumberGenerator()
        func random() -> Float {
            // Mixed magnitudes and signs, including subnormals.
            let exponent = Float(Int.random(in: -140...40, using: &generator))
            return Float.random(in: -2...2, using: &generator) * Float(sign: .plus, exponent: Int(exponent), significand: 1)
        }
        for _ in 0..<200_000 {
            let (a, b, c) = (random(), random(), random())
            let expected = c.addingProduct(a, b)
            let got = fma32(c, a, b)
            #expect(got == expected || (got.isNaN && expected.isNaN), "fma32(\(c), \(a), \(b))")
            if got != expected && !(got.isNaN && expected.isNaN) { return }  // one report is enough
        }
    }

    /// Sums whose Double rounding lands exactly halfway between two floats:
    /// only the remainder tells which way the exact value lies.
    @Test func tiesAfterTheFirstRoundingAreBrokenByTheRemainder() {
        // a·b = 2^-24 - 2^-70 exactly.
        let a = Float(8_388_607) * 0x1p-35, b = Float(8_388_609) * 0x1p-35
        for c: Float in [1, 1 + 0x1p-23, -1, -(1 + 0x1p-23), 0x1p10 + 0x1p-13] {
            #expect(fma32(c, a, b) == c.addingProduct(a, b), "c = \(c)")
        }
        #expect(fma32(1 + 0x1p-23, a, b) == 1 + 0x1p-23)  // naive double rounding gives 1 + 2^-22
        #expect(fma32(-(1 + 0x1p-23), -a, b) == -(1 + 0x1p-23))  // and its mirror image
        #expect(fma32(-(1 + 0x1p-23), -a, b) == (-(1 + 0x1p-23) as Float).addingProduct(-a, b))
        #expect(fma32(0, .greatestFiniteMagnitude, 2) == .infinity)
        // A Double sum exactly at the overflow tie whose exact value lies
        // below it: the largest float, not infinity (found in review).
        let m = Float.greatestFiniteMagnitude
        let x = Float(16_777_214) * 0x1p32, y = Float(8_388_609) * 0x1p24
        #expect(fma32(m, x, y) == m.addingProduct(x, y))
        #expect(fma32(-m, -x, y) == (-m).addingProduct(-x, y))
        #expect(fma32(1, .infinity, 0).isNaN)
    }
}

/// SGD's vectorised float32 update gives what `fma32` gives per element,
/// ties, subnormal and non-finite sums included.
@Suite struct ScaledAddTests {
    func update(_ p: [Float], _ g: [Float], scale: Float) throws -> [Double] {
        let rt = Runtime()
        let param = try Tensor.from(rt, values: p.map(Double.init), shape: [p.count], dtype: .float32)
        let grad = try Tensor.from(rt, values: g.map(Double.init), shape: [g.count], dtype: .float32)
        let version = param.version
        param.addScaledFloat32(grad, scale: scale)
        #expect(param.version == version + 1)
        return param.values
    }

    @Test func matchesFma32ElementByElement() throws {
        var generator = SystemRandomNumberGenerator()
        let p = (0..<5000).map { _ in Float.random(in: -1...1, using: &generator) } + [0, 0, 1e-30]
        let g = (0..<5000).map { _ in Float.random(in: -1...1, using: &generator) } + [0, 1, 1e-30]
        for scale: Float in [-0.01, -0.5, 3] {
            let expected = zip(p, g).map { Double(fma32($0, scale, $1)) }
            #expect(try update(p, g, scale: scale) == expected)
        }
        // A tie after rounding to Double to nearest (1 + 2^-23 + 2^-24 -
        // 2^-70), a subnormal result and an infinity.
        let a = Float(8_388_607) * 0x1p-35, b = Float(8_388_609) * 0x1p-35
        #expect(try update([1 + 0x1p-23, 0.5], [b, 0.25], scale: a) == [Double(1 + 0x1p-23 as Float), Double(fma32(0.5, a, 0.25))])
        #expect(try update([0x1p-130, 2], [0, 1], scale: 1) == [Double(0x1p-130 as Float), 3])
        #expect(try update([.greatestFiniteMagnitude, 1], [.greatestFiniteMagnitude, 1], scale: 2) == [.infinity, 3])
    }
}

/// An SGD step whose grad shares the parameter's storage (a view of the same
/// buffer) updates from the grad's values before the step, not from values
/// it has just written (found in review; PyTorch refuses the overlap).
@Suite struct OverlappingGradTests {
    @Test func aGradSharingTheStorageIsReadBeforeTheWrite() throws {
        let rt = Runtime()
        let base = try Tensor.from(rt, values: [1, 2, 3, 4, 5], shape: [5], dtype: .float32)
        let p = try base.slice(0, start: 1, stop: 5)
        try p.setRequiresGrad(true)
        p.grad = try base.slice(0, start: 0, stop: 4)
        try SGD(params: [p], lr: 0.5).step()
        #expect(base.values == [1, 1.5, 2, 2.5, 3])
    }
}
