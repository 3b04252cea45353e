import Foundation
import Testing
@testable import Debugger
@testable import ModelScript

/// The real-snippet corpus (fixtures/real/: tutorials, docs, courses and
/// Q&A threads, kept close to verbatim) against the run documents PyTorch
/// produced for the same files (fixtures/torch/real/), with the golden
/// tests' rules.
@Suite struct RealCorpusTests {
    static let root = GoldenTests.root

    static let cases: [String] = {
        let dir = root.appendingPathComponent("fixtures/real")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".py") }.map { String($0.dropLast(3)) }.sorted()
    }()

    /// Cases that do not match PyTorch yet, each with what keeps it out.
    /// The test checks they still differ, so one that starts matching must
    /// leave the list (fixtures/real/README.md keeps the same list).
    static let pending: [String: String] = [
        "autograd-notes-saved-tensor-hooks": "torch.autograd.graph.saved_tensors_hooks (issue 14's API)",
        "basics-optimization-loop": "torch.utils.data.TensorDataset and DataLoader (issue 15)",
        "blitz-autograd-classic": "Tensor.norm (issue 14)",
        "blitz-neural-networks": "nn.Conv2d and F.max_pool2d (issue 15)",
        "d2l-autograd-control-flow": "Tensor.norm (issue 14)",
        "d2l-linreg-concise": "torch.utils.data.TensorDataset and DataLoader (issue 15)",
        "double-backward-sinh-cube": "torch.autograd.gradcheck (issue 14)",
        "double-backward-square-exp": "torch.autograd.gradcheck (issue 14)",
        "extending-linear-function": "torch.autograd.gradcheck (issue 14)",
        "extending-module-mylinear": "Tensor.uniform_ for initialisation (issue 14)",
        "inference-mode-docs": "torch.inference_mode (issue 14)",
        "introyt-autograd-basics": "float32 sums accumulate in Double here, in float32 in PyTorch (issue 13): a near-zero sine",
        "introyt-autograd-on-off": "in-place torch.sin_ (issue 14)",
        "introyt-highlevel-api": "Tensor.norm (issue 14)",
        "lpwe-legendre-function": "torch.device (issue 14)",
        "lpwe-polynomial-nn": "nn.Flatten (issue 15)",
        "lpwe-polynomial-optim": "nn.Flatten and optim.RMSprop (issue 15)",
        "lpwe-polynomial-tensor": "torch.device (issue 14)",
        "lpwe-two-layer-myrelu": "torch.device (issue 14)",
        "makemore-backprop-ninja": "Tensor.nelement and the makemore ops (issue 14)",
        "makemore-bigram-nn": "Tensor.nelement and the makemore ops (issue 14)",
        "makemore-mlp": "Tensor.nelement and the makemore ops (issue 14)",
        "micrograd-engine-test": "torch.Tensor([...]) (issue 14)",
        "micrograd-lecture": "torch.Tensor([...]) (issue 14)",
        "nn-really-cnn": "nn.Conv2d, TensorDataset and DataLoader (issue 15)",
        "nn-really-dataloader": "torch.utils.data.TensorDataset and DataLoader (issue 15)",
        "qa-backward-twice-rnn": "nn.LogSoftmax (issue 15)",
        "qa-forward-hook-activations": "Module.register_forward_hook (issue 15)",
        "qa-hook-gradient-clipping": "nn.utils.clip_grad_value_ (issue 15)",
        "tensor-hooks-docs": "in-place Tensor.cos_ (issue 14)",
    ]

    @Test func everyCaseHasAGolden() {
        #expect(Self.cases.count >= 40)
        for name in Self.cases {
            let golden = Self.root.appendingPathComponent("fixtures/torch/real/\(name).json")
            #expect(FileManager.default.fileExists(atPath: golden.path), "no golden for \(name)")
        }
    }

    @Test(arguments: cases)
    func matchesPyTorch(_ name: String) throws {
        let goldenPath = Self.root.appendingPathComponent("fixtures/torch/real/\(name).json").path
        guard FileManager.default.fileExists(atPath: goldenPath) else { return }
        let golden = try JSON.parse(String(contentsOfFile: goldenPath, encoding: .utf8))
        let run = ScriptRun(model: try ModelFile.load(path: "fixtures/real/\(name).py".relative(to: Self.root)), tables: .none)
        run.run()
        let found = GoldenComparison.differences(run.document, golden)
        if let reason = Self.pending[name] {
            #expect(!found.isEmpty, "\(name) now matches PyTorch: take it off the pending list (\(reason))")
        } else {
            #expect(found.isEmpty, "\(name) differs from PyTorch:\n\(found.prefix(12).joined(separator: "\n"))")
        }
    }
}

private extension String {
    func relative(to root: URL) -> String { root.appendingPathComponent(self).path }
}
