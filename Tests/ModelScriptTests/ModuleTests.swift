import Testing
@testable import Autograd
@testable import ModelScript

/// nn modules, optimizers and anomaly mode as scripts use them. Printed
/// texts and messages are PyTorch 2.15.0's (the fixtures under
/// fixtures/models compare whole runs with the reference runner).
@Suite struct ModuleTests {
    static let path = "fixtures/models/test.json"
    func interpreter(_ lines: [String]) throws -> Interpreter { try ScriptHarness.interpreter(lines, path: Self.path) }
    func run(_ lines: [String]) throws -> [String] { try interpreter(lines).stdout }
    func failure(_ lines: [String]) -> ScriptError? { ScriptHarness.failure(lines, path: Self.path) }

    /// Regression: a module that contains itself overflowed the stack when
    /// printed or called; PyTorch raises RecursionError (checked with
    /// PyTorch 2.15: `maximum recursion depth exceeded` for each).
    @Test func aModuleInsideItselfRaisesRecursionError() throws {
        let cases = [
            ["m = nn.Module()", "m.m = m", "print(m)"],
            ["s = nn.Sequential(nn.ReLU())", "s.append(s)", "print(s)"],
            ["s = nn.Sequential(nn.ReLU())", "s.append(s)", "s(torch.ones(2))"],
            ["s = nn.ModuleList([nn.ReLU()])", "s.append(s)", "print(repr(s))"],
        ]
        for lines in cases {
            let body = lines.map { "    " + $0 }
            #expect(try run(["try:"] + body + ["except RecursionError as e:", "    print(type(e).__name__, e)"])
                    == ["RecursionError maximum recursion depth exceeded"], "\(lines)")
        }
    }

    /// Regression: `nn.BatchNorm1d(2**62)` allocated an overflowed size
    /// (SIGSEGV) and `nn.Linear(20000, 20000)` tried for minutes; module
    /// parameters are checked as every tensor is, before anything is
    /// allocated, with PyTorch's texts.
    @Test func hugeModulesRaiseBeforeAllocating() throws {
        let cases: [(String, String)] = [
            ("nn.BatchNorm1d(2**62)", "RuntimeError Storage size calculation overflowed with sizes=[4611686018427387904]"),
            ("nn.Linear(2**40, 2**40)", "RuntimeError Storage size calculation overflowed with sizes=[1099511627776, 1099511627776]"),
            ("nn.Linear(20000, 20000)", "RuntimeError DefaultCPUAllocator: can't allocate memory: you tried to allocate 1600000000 bytes "
                + "(autograd-viz holds at most 268435456 elements in one tensor)"),
            ("nn.Linear(3, -1)", "RuntimeError Trying to create tensor with negative dimension -1: [-1, 3]"),
        ]
        for (expression, printed) in cases {
            #expect(try run(["try:", "    \(expression)", "except Exception as e:", "    print(type(e).__name__, e)"]) == [printed],
                    "\(expression)")
        }
    }

    @Test func printsModulesAndParametersAsPyTorch() throws {
        #expect(try run([
            "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.25), nn.BatchNorm1d(8), nn.Tanh(), nn.Sigmoid())",
            "print(model)",
            "print(model[3].bias)",
            "print(nn.MSELoss(), nn.CrossEntropyLoss(), nn.BCEWithLogitsLoss(), nn.ReLU(inplace=True))",
            "model[3].requires_grad_(False)",
            "print(model[3].weight)",
        ]) == [
            "Sequential(",
            "  (0): Linear(in_features=4, out_features=8, bias=True)",
            "  (1): ReLU()",
            "  (2): Dropout(p=0.25, inplace=False)",
            "  (3): BatchNorm1d(8, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)",
            "  (4): Tanh()",
            "  (5): Sigmoid()",
            ")",
            "Parameter containing:",
            "tensor([0., 0., 0., 0., 0., 0., 0., 0.], requires_grad=True)",
            "MSELoss() CrossEntropyLoss() BCEWithLogitsLoss() ReLU(inplace=True)",
            "Parameter containing:",
            "tensor([1., 1., 1., 1., 1., 1., 1., 1.])",
        ])
    }

    /// The run document's tensors: parameters and buffers under the
    /// module's name, sorted with the other names as Python sorts them.
    @Test func namedTensorsListModuleParametersAndBuffers() throws {
        let ip = try interpreter([
            "net = nn.Module()",
            "net.fc1 = nn.Linear(2, 3)",
            "net.bn = nn.BatchNorm1d(3)",
            "model = nn.Sequential(nn.Linear(3, 1, bias=False))",
            "model_out = torch.zeros(1)",
            "w = model[0].weight",
        ])
        #expect(ip.namedTensors.map(\.name) == [
            "model.0.weight", "model_out",
            "net.bn.bias", "net.bn.num_batches_tracked", "net.bn.running_mean", "net.bn.running_var", "net.bn.weight",
            "net.fc1.bias", "net.fc1.weight", "w",
        ])
        #expect(ip.namedModules.map(\.name) == ["model", "net"])
        #expect(ip.namedTensors.first { $0.name == "w" }?.tensor === ip.namedTensors.first?.tensor)
    }

    /// Scopes name the module as the script reaches it.
    @Test func moduleCallsScopeTheirNodes() throws {
        let ip = try interpreter([
            "model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())",
            "net = nn.Module()",
            "net.head = nn.Linear(3, 1)",
            "drop = nn.Dropout(0.5)",
            "x = torch.randn(4, 2)",
            "h = model(x)",
            "out = net.head(drop(h))",
            "first = model[0](x)",
            "for layer in model:",
            "    x2 = layer(x)",
            "    break",
            "drop.eval()",
            "bn = nn.BatchNorm1d(3)",
            "bn.eval()",
            "z = bn(h)",
        ])
        func scope(_ name: String) -> [String]? {
            guard case .tensor(let t)? = ip.globals[name] else { return nil }
            return t.gradFn?.moduleScope.map(\.label)
        }
        #expect(scope("h") == ["model: Sequential", "model.1: ReLU()"])
        #expect(scope("out") == ["net.head: Linear(3, 1)"])
        #expect(scope("first") == ["model.0: Linear(2, 3)"])
        #expect(scope("x2") == ["model.0: Linear(2, 3)"])
        #expect(scope("z") == ["bn: BatchNorm1d(3) [eval]"])
        guard case .tensor(let out)? = ip.globals["out"] else { return }
        // out = head(drop(h)): the dropout's MulBackward0 is inside `drop`.
        #expect(out.gradFn?.nextEdges[1].function?.moduleScope.map(\.label) == ["drop: Dropout(p=0.5) [train]"])
    }

    @Test func trainEvalAndTheTrainingFlag() throws {
        #expect(try run([
            "model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))",
            "print(model.training, model[1].training)",
            "print(model.eval() is model, model.training, model[1].training)",
            "model.train()",
            "model[1].training = False",
            "print(model.training, model[1].training)",
            "x = torch.ones(3, 2)",
            "print(model[1](x) is x)",
        ]) == ["True True", "True False False", "True False", "True"])
    }

    @Test func parametersIsAGeneratorAndModulesIterate() throws {
        #expect(try run([
            "model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))",
            "ps = model.parameters()",
            "print(ps)",
            "print(len(list(ps)), len(list(ps)), len(model))",
            "for name, p in model.named_parameters():",
            "    print(name, p.shape)",
            "for m in model[1:]:",
            "    print(m)",
            "print(isinstance(model, nn.Module), isinstance(model[0], nn.Linear), isinstance(model[0], nn.ReLU))",
            "print(isinstance(model[0].weight, nn.Parameter), isinstance(model[0].weight * 1, nn.Parameter))",
        ]) == [
            "<generator object Module.parameters at 0x7f0000000000>",
            "4 0 3",
            "0.weight torch.Size([2, 2])", "0.bias torch.Size([2])", "2.weight torch.Size([1, 2])", "2.bias torch.Size([1])",
            "ReLU()", "Linear(in_features=2, out_features=1, bias=True)",
            "True True False",
            "True False",
        ])
    }

    @Test func optimizersStepAndZeroGrad() throws {
        #expect(try run([
            "from torch.optim import SGD",
            "w = nn.Parameter(torch.tensor([1.0, 2.0]))",
            "opt = SGD([w], lr=0.5)",
            "(w * w).sum().backward()",
            "opt.step()",
            "print(w, w._version)",
            "opt.zero_grad()",
            "print(w.grad)",
            "print(torch.optim.Adam([w], lr=0.1))",
        ]) == [
            "Parameter containing:", "tensor([0., 0.], requires_grad=True) 1",
            "None",
            "Adam (", "Parameter Group 0", "    amsgrad: False", "    betas: (0.9, 0.999)", "    capturable: False",
            "    decoupled_weight_decay: False", "    differentiable: False", "    eps: 1e-08", "    foreach: None",
            "    fused: None", "    lr: 0.1", "    maximize: False", "    weight_decay: 0", ")",
        ])
    }

    @Test func moduleErrorsArePyTorchs() {
        #expect(failure(["lin = nn.Linear(3, 2)", "lin(torch.ones(3), torch.ones(3))"])
                == .raised(type: "TypeError", message: "Linear.forward() takes 2 positional arguments but 3 were given", SourceLocation(line: 2, column: 1)))
        #expect(failure(["nn.ReLU()(1.0)"])
                == .raised(type: "TypeError", message: "relu(): argument 'input' (position 1) must be Tensor, not float", SourceLocation(line: 1, column: 1)))
        #expect(failure(["nn.Module()(torch.ones(1))"])
                == .raised(type: "NotImplementedError", message: "Module [Module] is missing the required \"forward\" function", SourceLocation(line: 1, column: 1)))
        #expect(failure(["lin = nn.Linear(2, 2)", "lin.weight = torch.ones(2, 2)"])
                == .raised(type: "TypeError", message: "cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)", SourceLocation(line: 2, column: 1)))
        #expect(failure(["s = nn.Sequential(nn.Linear(1, 1))", "s[5]"])
                == .raised(type: "IndexError", message: "index 5 is out of range", SourceLocation(line: 2, column: 1)))
        #expect(failure(["lin = nn.Linear(2, 2)", "lin.foo"])
                == .raised(type: "AttributeError", message: "'Linear' object has no attribute 'foo'", SourceLocation(line: 2, column: 1)))
        #expect(failure(["len(nn.Linear(2, 2))"])
                == .raised(type: "TypeError", message: "object of type 'Linear' has no len()", SourceLocation(line: 1, column: 1)))
        #expect(failure(["torch.optim.SGD([1], lr=0.1)"])
                == .raised(type: "TypeError", message: "optimizer can only optimize Tensors, but one of the params is int", SourceLocation(line: 1, column: 1)))
        #expect(failure(["F.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1]), reduction='avg')"])
                == .raised(type: "ValueError", message: "avg is not a valid value for reduction", SourceLocation(line: 1, column: 1)))
    }

    /// A backward error in anomaly mode warns with the forward line, as the
    /// reference runner normalises PyTorch's traceback.
    @Test func anomalyWarningNamesTheScriptLine() throws {
        let ip = Interpreter(path: "fixtures/models/test.json", seed: 0)
        #expect(throws: ScriptError.self) {
            try ip.run([
                "x = torch.tensor([1.0, 0.0], requires_grad=True)",
                "with torch.autograd.detect_anomaly():",
                "    r = x / torch.tensor([1.0, 0.0])",
                "    (r * 0).sum().backward()",
            ].joined(separator: "\n"))
        }
        #expect(ip.warnings.map(\.message) == [
            "UserWarning: Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.",
            "UserWarning: Error detected in DivBackward0. Traceback of forward call that caused the error:\n  File \"test.json\", line 3, in <module>\n    r = x / torch.tensor([1.0, 0.0])\n (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:108.)",
        ])
        #expect(ip.warnings.last?.location.line == 4)
        #expect(ip.runtime.anomalyDetection == false)
    }

    @Test func hooksCheckTheirReplacement() {
        #expect(failure(["x = torch.ones(2, requires_grad=True)", "h = x.register_hook(lambda g: g.sum())", "(x * 2).sum().backward()"])
                == .raised(type: "RuntimeError", message: "hook '<lambda>' has changed the size of value", SourceLocation(line: 3, column: 1)))
        #expect(failure(["x = torch.ones(2, requires_grad=True)", "h = x.register_hook(lambda g: g.double())", "(x * 2).sum().backward()"])
                == .raised(type: "RuntimeError", message: "hook '<lambda>' has changed the type of value (was torch.FloatTensor got torch.DoubleTensor)", SourceLocation(line: 3, column: 1)))
        #expect(failure(["x = torch.ones(2, requires_grad=True)", "h = x.register_hook(lambda g: 3)", "(x * 2).sum().backward()"])
                == .raised(type: "TypeError", message: "expected Variable, but hook returned 'int'", SourceLocation(line: 3, column: 1)))
    }
}
