/// What the engine knew when it raised one of autograd's own errors: which
/// node, which saved tensor, which leaf. PyTorch's message stays exactly
/// PyTorch's; the debugger turns this into the `note:` lines under it, and
/// marks the stale saved tensor in its pictures.
public enum ErrorProvenance {
    /// A tensor a node saved was written in place afterwards. `lastWrite` is
    /// where the latest write ran.
    case savedModified(node: Node, saved: String, tensor: Tensor, savedVersion: Int, version: Int, lastWrite: SourceOrigin)
    /// A saved tensor freed by an earlier backward call (`freedInCall`, the
    /// call's index; 0 when no script call freed it).
    case savedFreed(node: Node, saved: String, freedInCall: Int)
    /// An in-place op on a leaf that requires grad, or on a view of one.
    case leafInPlace(leaf: Tensor, throughView: Bool)
    /// A backward or autograd.grad root that does not require grad.
    case rootWithoutGrad(index: Int, root: Tensor)
    /// An in-place write into a ZeroTensor (Note [ZeroTensor]): often a
    /// backward accumulating into a `.grad` that holds one.
    case zeroTensorWrite(tensor: Tensor)
}

extension Runtime {
    /// PyTorch's RuntimeError `message`, remembering where it began
    /// (`lastProvenance`).
    func raise(_ message: String, _ provenance: ErrorProvenance) -> TorchError {
        lastProvenance = (message, provenance)
        return TorchError.runtime(message)
    }
}
