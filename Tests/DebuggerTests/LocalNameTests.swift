import Testing
@testable import Debugger
@testable import ModelScript

/// Tensors bound inside functions and methods are named in snapshots and
/// tables as `function.variable`, and a module held by a function's variable
/// names its parameters by the path it was called under.
@Suite struct LocalNameTests {
    static let script = """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(3, 4)

            def forward(self, x):
                h1 = torch.tanh(self.fc1(x))
                return (h1 * h1).sum()  # MulBackward0 saves h1

        def main():
            model = Net()
            x = torch.ones(2, 3)
            loss = model(x)
            loss.backward()

        main()
        """

    @Test func functionsNameTheirTensors() throws {
        var lines: [String] = []
        let run = ScriptRun(model: ModelFile(path: "local.py", name: "local", code: Self.script), tables: .all)
        run.onOutput = { lines.append($0) }
        run.run()
        #expect(run.error == nil)
        let before = run.call(1)["before"]?["nodes"]?.arrayValue ?? []
        let names = Set(before.compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: ["model.fc1.weight", "model.fc1.bias", "main.x", "forward.h1", "main.loss"]))
        // `self` never names the module's parameters.
        #expect(!names.contains { $0.contains("self") })
        let table = lines.joined(separator: "\n")
        #expect(table.contains("model.fc1.weight"))
        #expect(!table.contains("<leaf t"))
    }

    @Test func aPlainRunRemembersNothing() {
        let interpreter = Interpreter(path: "local.py", seed: 0)
        #expect(!interpreter.recordsLocalNames)
    }
}
