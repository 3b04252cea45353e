import Foundation
import Testing

/// Runs the built `autograd-viz` binary and checks its whole output and exit
/// status, as a user would see them.
@Suite struct RunCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The autograd-viz built beside these tests, wherever SwiftPM put it
    /// (`swift build --show-bin-path`: the triple's directory, another
    /// configuration or --build-path), found once.
    static let binary: URL = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "--show-bin-path"]
        process.currentDirectoryURL = root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        // Should swift not answer, running the path below fails, naming the cause.
        let unknown = URL(fileURLWithPath: "/swift-build-show-bin-path-failed/autograd-viz")
        guard (try? process.run()) != nil else { return unknown }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let directory = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return directory.isEmpty ? unknown : URL(fileURLWithPath: directory).appendingPathComponent("autograd-viz")
    }()

    static func autogradViz(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A temporary model file with `text` as its content.
    static func modelFile(_ text: String, ext: String = "json") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agv-\(UUID().uuidString).\(ext)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func printsScriptOutputAndTheGradientTable() throws {
        let path = try Self.modelFile("""
        {"code": ["a = torch.tensor(2.0, requires_grad=True)", "b = torch.tensor(3.0)", "c = a * b",
                  "print(c)", "c.backward()", "print(a.grad)"]}
        """)
        let r = try Self.autogradViz(["run", path])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == """
        tensor(6., grad_fn=<MulBackward0>)
        ── backward #1 at line 5: c.backward() · c = 6
        tensor  shape  dtype    is_leaf  requires_grad  retains_grad  grad_fn       change  grad
        a       []     float32  True     True           False         None          new     3
        b       []     float32  True     False          False         None                  None
        c       []     float32  False    True           False         MulBackward0          None
        tensor(3.)

        """)
    }

    /// `--grads all`: the seed notes' `z = x ** 3; z.backward(3.)` at x = 2:
    /// 3 flowed into z (not stored: z is no leaf), 3 · 3x² = 36 into x.
    @Test func gradsAllShowsWhatFlowedIntoNonLeaves() throws {
        let path = try Self.modelFile("""
        {"code": ["x = torch.tensor(2.0, requires_grad=True)", "z = x ** 3", "w = z.detach()",
                  "z.backward(torch.tensor(3.0))"]}
        """)
        let r = try Self.autogradViz(["run", path, "--grads", "all"])
        #expect(r.status == 0)
        #expect(r.stdout == """
        ── backward #1 at line 4: z.backward(torch.tensor(3.0)) · z = 8
        tensor  shape  dtype    is_leaf  requires_grad  retains_grad  grad_fn       change  grad
        w       []     float32  True     False          False         None                  None
        x       []     float32  True     True           False         None          new     36
        z       []     float32  False    True           False         PowBackward0          3 (flowed, not stored)

        """)
        let stored = try Self.autogradViz(["run", path])
        #expect(stored.stdout.contains("z       []     float32  False    True           False         PowBackward0          None"))
    }

    /// A warning is reported once per line that raises it (Python's default
    /// filter), without PyTorch's "(Triggered internally at …)" note; the
    /// document keeps each distinct message once, with PyTorch's exact text.
    @Test func warningsOncePerLineWithoutPyTorchsSourceNote() throws {
        let path = try Self.modelFile("""
        {"code": ["w = torch.ones(3, requires_grad=True) * 0.1", "for i in range(3):",
                  "    (w * 2).sum().backward(retain_graph=True)", "    g = w.grad", "h = w.grad"]}
        """)
        let r = try Self.autogradViz(["run", path, "--tables", "none"])
        #expect(r.status == 0)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("\(path):4:5: UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor") == true)
        #expect(lines.last?.hasPrefix("\(path):5:1: UserWarning: The .grad attribute") == true)
        #expect(lines.allSatisfy { $0.hasSuffix("See github.com/pytorch/pytorch/pull/30531 for more information.") })
        let document = try Self.autogradViz(["run", path, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(document.stdout.utf8)) as? [String: Any])
        let warnings = try #require(json["warnings"] as? [String])
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasSuffix("(Triggered internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:488.)") == true)
    }

    @Test func aScriptThatRaisesExitsWithOneAndPointsAtTheLine() throws {
        let r = try Self.autogradViz(["run", "fixtures/seed/backward-twice-error.json", "--tables", "none"])
        #expect(r.status == 1)
        #expect(r.stdout == "tensor(3.)\n")
        #expect(r.stderr.hasPrefix("fixtures/seed/backward-twice-error.json:7:1: RuntimeError: Trying to backward through the graph a second time"))
    }

    @Test func jsonDocumentFollowsTheContractAndIsDeterministic() throws {
        let first = try Self.autogradViz(["run", "fixtures/seed/rnn-cell.json", "--json"])
        let second = try Self.autogradViz(["run", "fixtures/seed/rnn-cell.json", "--json"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(doc["format"] as? String == "autograd-viz/run-1")
        let backward = try #require(doc["backward"] as? [[String: Any]])
        #expect(backward.count == 1)
        #expect(backward[0]["kind"] as? String == "backward")
        #expect(backward[0]["source"] as? String == "loss.backward()")
        let after = try #require((backward[0]["after"] as? [String: Any])?["nodes"] as? [[String: Any]])
        let mm = after.filter { $0["name"] as? String == "MmBackward0" }
        #expect(mm.count == 2)
        for node in mm {
            let saved = try #require(node["saved"] as? [[String: Any]])
            #expect(saved.allSatisfy { $0["state"] as? String == "freed" })
        }
    }

    @Test func missingFileIsAUsageProblem() throws {
        let r = try Self.autogradViz(["run", "no/such/model.json"])
        #expect(r.status == 2)
        #expect(r.stderr == "no/such/model.json: error: no such file\n")
        #expect(r.stdout == "")
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let path = try Self.modelFile("{\"code\": [\"x = 1\",\n  \"y = 2\"\n  \"z\"]}")
        let r = try Self.autogradViz(["run", path])
        #expect(r.status == 2)
        #expect(r.stderr == "\(path):3:3: error: malformed JSON: expected ',' or ']'\n")
    }

    @Test func syntaxErrorsAndUnsupportedConstructsExitWithTwo() throws {
        let bad = try Self.modelFile(#"{"code": ["x = torch.tensor(1.0)", "async def f():", "    x = x + 1"]}"#)
        let r = try Self.autogradViz(["run", bad])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("\(bad):2:1: NotImplementedError: 'async def' is not supported"))
        let broken = try Self.modelFile(#"{"code": ["x = (1 +"]}"#)
        let r2 = try Self.autogradViz(["run", broken])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("\(broken):1:5: SyntaxError: "))
    }

    @Test func unsupportedTorchFunctionIsNamedWithItsPosition() throws {
        let path = try Self.modelFile(#"{"code": ["x = torch.ones(2)", "y = torch.fft(x)"]}"#)
        let r = try Self.autogradViz(["run", path])
        #expect(r.status == 1)
        #expect(r.stderr == "\(path):2:5: NotImplementedError: torch.fft is not supported by autograd-viz\n")
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try Self.autogradViz(["run"]).status == 2)
        #expect(try Self.autogradViz(["frobnicate"]).status == 2)
        let r = try Self.autogradViz(["run", "fixtures/seed/weight-input.json", "--tables", "some"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("The value 'some' is invalid for '--tables <tables>'. Please provide one of 'first-last', 'all' or 'none'."))
        let format = try Self.autogradViz(["run", "fixtures/seed/weight-input.json", "--out", "x", "--format", "jpg"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("Please provide one of 'svg', 'png' or 'dot'."))
        // The choices come from the option types, so help lists them.
        let help = try Self.autogradViz(["run", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("--tables <tables> Which backward calls get a full table. (values: first-last, all, none; default: first-last)"))
        #expect(help.contains("--format <format> Picture format for --out. (values: svg, png, dot; default: svg)"))
        #expect(try Self.autogradViz(["--help"]).status == 0)
    }

    @Test func acceptsPythonFiles() throws {
        let path = try Self.modelFile("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n(x * x).sum().backward()\nprint(x.grad)\n", ext: "py")
        let r = try Self.autogradViz(["run", path, "--tables", "none"])
        #expect(r.status == 0)
        #expect(r.stdout == "tensor([2., 4.])\n")
    }

    @Test func colourOnlyOnATerminal() throws {
        let r = try Self.autogradViz(["run", "fixtures/seed/weight-input.json"])
        #expect(!r.stdout.contains("\u{1B}["))
    }

    @Test func trainingLoopsDoNotFloodTheTerminal() throws {
        let path = try Self.modelFile("""
        {"code": ["w = torch.tensor([1.0, 2.0], requires_grad=True)",
                  "for i in range(5):",
                  "    loss = (w * w).sum()",
                  "    loss.backward()"]}
        """)
        let r = try Self.autogradViz(["run", path])
        let headers = r.stdout.split(separator: "\n").filter { $0.hasPrefix("tensor  ") }
        #expect(headers.count == 2)  // first and last call
        // The middle calls' summaries: the loss, and that w's grad accumulates (no zero_grad).
        #expect(r.stdout.contains("── backward #3 at line 4: loss.backward() · loss = 5 · 1 tensor with a grad (1 +=)"))
        let all = try Self.autogradViz(["run", path, "--tables", "all"])
        #expect(all.stdout.split(separator: "\n").filter { $0.hasPrefix("tensor  ") }.count == 5)
    }

    /// Five backward calls of a two-element weight.
    static let fiveCalls = """
    {"code": ["w = torch.tensor([1.0, 2.0], requires_grad=True)",
              "for i in range(5):",
              "    loss = (w * w).sum()",
              "    loss.backward()"]}
    """

    @Test func snapshotsChooseWhichCallsKeepTheirGraphs() throws {
        let path = try Self.modelFile(Self.fiveCalls)
        func graphs(_ arguments: [String]) throws -> [String] {
            let r = try Self.autogradViz(["run", path, "--json"] + arguments)
            #expect(r.status == 0)
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let calls = try #require(doc["backward"] as? [[String: Any]])
            return calls.map { call in
                switch call["after"] {
                case let graph as [String: Any] where graph["nodes"] != nil: return "full"
                case let graph as [String: Any] where graph["summary"] as? Bool == true: return "summary"
                case is NSNull: return "null"
                default: return "?"
                }
            }
        }
        #expect(try graphs([]) == ["full", "summary", "summary", "summary", "full"])
        #expect(try graphs(["--snapshots", "first-last"]) == ["full", "summary", "summary", "summary", "full"])
        #expect(try graphs(["--snapshots", "all"]) == Array(repeating: "full", count: 5))
        #expect(try graphs(["--snapshots", "none"]) == Array(repeating: "null", count: 5))
        let bad = try Self.autogradViz(["run", path, "--json", "--snapshots", "some"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("The value 'some' is invalid for '--snapshots <snapshots>'. Please provide one of 'first-last', 'all' or 'none'."))
    }

    @Test func timingGoesToStandardError() throws {
        let r = try Self.autogradViz(["run", "fixtures/seed/weight-input.json", "--tables", "none", "--timing"])
        #expect(r.status == 0)
        let line = try #require(r.stderr.split(separator: "\n").first { $0.hasPrefix("timing: ") })
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        #expect(numbers.count == 2, "\(line)")  // execute S s, output S s
        #expect(numbers.allSatisfy { $0 >= 0 && $0 < 60 })
        #expect(!r.stdout.contains("timing"))
    }

    @Test func paramsLimitsTablesToNamedTensorsAndParameters() throws {
        let path = try Self.modelFile("""
        {"code": ["lin = nn.Linear(2, 1)",
                  "x = torch.ones(1, 2)",
                  "(lin(x) * torch.tensor([3.0], requires_grad=True)).sum().backward()"]}
        """)
        let all = try Self.autogradViz(["run", path])
        #expect(all.status == 0)
        #expect(all.stdout.contains("lin.weight"))
        // The unnamed leaf the call reached, named by the call that made it.
        #expect(all.stdout.contains("<torch.tensor([3.0], …) @ line 3>"))
        let named = try Self.autogradViz(["run", path, "--params"])
        #expect(named.stdout.contains("lin.weight"))
        #expect(named.stdout.contains("lin.bias"))
        #expect(!named.stdout.contains("@ line 3>"))
    }

    @Test func checkExitsOneWhenSomethingIsFlaggedAndRefusesBadLimits() throws {
        let path = Self.root.appendingPathComponent("fixtures/models/check-planted.py").path
        let flagged = try Self.autogradViz(["run", path, "--check", "--tables", "none"])
        #expect(flagged.status == 1)
        #expect(flagged.stdout.contains("── check: 8 problems"))
        #expect(flagged.stdout.contains("dead_relu: backward #2 at line 33: ReluBackward0 (made at line 26"))
        let healthy = try Self.autogradViz(["run", Self.root.appendingPathComponent("fixtures/seed/backward-gradient.json").path, "--check"])
        #expect(healthy.status == 0)
        let json = try Self.autogradViz(["run", path, "--check", "--json"])
        #expect(json.status == 1)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((document?["check"] as? [Any])?.count == 8)
        let bad = try Self.autogradViz(["run", path, "--check", "--dead-relu", "1.5"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--dead-relu must be a fraction in (0, 1]"))
    }

    /// run reads files as diff does (ModelInput): a run document is recognised, and refused.
    @Test func aRunDocumentIsNotAModel() throws {
        let document = try Self.autogradViz(["run", "fixtures/diff/loss.json", "--json"])
        let path = try Self.modelFile(document.stdout)
        let r = try Self.autogradViz(["run", path])
        #expect(r.status == 2)
        #expect(r.stderr == "\(path): error: this is a run document (run --json output), not a model script: give the script itself\n")
    }

    /// `make install` installs these next to the binary.
    @Test func completionScriptsForEveryShell() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try Self.autogradViz(["--generate-completion-script", shell])
            #expect(r.status == 0)
            #expect(r.stdout.contains("autograd-viz"))
            #expect(r.stdout.contains("explain"), "\(shell): the run command's options are completed")
        }
    }

    /// `--threads` sets the matrix products' threads; a run with the same
    /// count is reproducible (documents byte for byte), and a bad count is
    /// a usage error.
    @Test func threadsAreAnOption() throws {
        let path = Self.root.appendingPathComponent("fixtures/models/mlp-sgd-training.json").path
        let one = try Self.autogradViz(["run", path, "--json", "--threads", "1"])
        let again = try Self.autogradViz(["run", path, "--json", "--threads", "1"])
        #expect(one.status == 0)
        #expect(one.stdout == again.stdout)
        let viaEnvironment = try Self.autogradViz(["run", path, "--json"], environment: ["AUTOGRAD_VIZ_THREADS": "1"])
        #expect(viaEnvironment.stdout == one.stdout)
        let bad = try Self.autogradViz(["run", path, "--threads", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--threads must be between 1 and 1024"))
    }
}
