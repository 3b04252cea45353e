import Autograd
import ModelScript

/// Where a backward call ran, for notes that name the call that freed a
/// saved tensor.
struct CallSite {
    let index: Int
    let line: Int
    let source: String
}

extension Explainer {
    /// The `note:` lines under an autograd error: where it began, from what
    /// the engine knew when it raised it. PyTorch's message stays as it is;
    /// these follow it.
    func notes(_ provenance: ErrorProvenance, calls: [Int: CallSite]) -> [String] {
        switch provenance {
        case let .savedModified(node, saved, tensor, savedVersion, version, lastWrite):
            var out = ["\(node.name)\(at(node.origin)) saved \(label(tensor)) as `\(saved)` at version \(savedVersion); "
                       + "it is at version \(version) now"]
            if lastWrite.line > 0 {
                let writes = version - savedVersion
                out.append((writes > 1 ? "the last of \(writes) in-place writes since then ran" : "it was modified in place")
                           + at(lastWrite))
            }
            out.append("fix: use the out-of-place form (`y = y * 2` rather than `y.mul_(2)`), or write into a clone(), "
                       + "or modify it only after backward()")
            return out
        case let .savedFreed(node, saved, freedInCall):
            let owner = "\(node.name)\(at(node.origin))"
            guard let site = calls[freedInCall] else {
                return ["\(owner) had its saved `\(saved)` freed by an earlier backward; pass retain_graph=True to that call to keep it"]
            }
            return ["backward #\(site.index) at line \(site.line) (`\(site.source)`) freed `\(saved)`, saved by \(owner)",
                    "fix: pass retain_graph=True to backward #\(site.index) to backward through this graph again, "
                    + "or run the forward pass again before this call"]
        case let .leafInPlace(leaf, throughView):
            let what = throughView ? "the write goes through a view of \(label(leaf)), a leaf that requires grad"
                : "\(label(leaf)) is a leaf that requires grad"
            return ["\(what); it was made\(at(leaf.origin))",
                    "fix: wrap the update in `with torch.no_grad():`, as optimizers do, or use an out-of-place op for a new tensor"]
        case let .rootWithoutGrad(_, root):
            return ["the root \(label(root)) " + (whyNoGrad(root) ?? "has no grad_fn")]
        case let .zeroTensorWrite(tensor):
            return ["the tensor written is PyTorch's immutable ZeroTensor, the gradient sgn's backward returns "
                    + "(so abs's double backward); it was made\(at(tensor.origin))",
                    "fix: set the `.grad` holding it to None (or to its clone()) before writing or accumulating into it"]
        }
    }
}
