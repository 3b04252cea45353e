extension Tensor {
    /// Makes `output` the result of a differentiable op named `name` when grad
    /// mode is on and an input requires grad; otherwise leaves it a plain
    /// tensor. `save` stores what the formula needs (PyTorch's names), and
    /// `backward` maps the output's gradient to one per input (nil where an
    /// input needs none), written with tensor ops so create_graph works.
    /// Throws PyTorch's error for an input whose grad_fn it cannot read (a
    /// view made under no_grad or by an op with several outputs, whose base
    /// was written in place since).
    @discardableResult
    static func record(_ name: String, inputs: [Tensor?], output: Tensor,
                       save: (Node) -> Void = { _ in },
                       backward: @escaping (Node, Tensor) throws -> [Tensor?]) throws -> Tensor {
        let runtime = output.runtime
        guard runtime.gradEnabled else {
            // A result of a no_grad result is one too: `(x * 2).sum()` under
            // no_grad lost its graph as much as `x * 2` did.
            if inputs.contains(where: { $0?.requiresGrad == true || $0?.createdUnderNoGrad == true }) { output.createdUnderNoGrad = true }
            return output
        }
        guard inputs.contains(where: { $0?.requiresGrad == true }) else { return output }
        for input in inputs { try input?.checkViewRebase() }
        let node = Node(name: name, runtime: runtime, inputs: inputs, backward: backward)
        save(node)
        output.gradFn = node
        output.outputNr = 0
        output.leafRequiresGrad = false
        return output
    }

    /// A new tensor object over the same storage and version counter, with no
    /// autograd history (what a saved output or `detach()` starts from).
    func alias() -> Tensor {
        Tensor(runtime: runtime, storage: storage, shape: shape, strides: strides, offset: offset,
               dtype: dtype, versionCounter: versionCounter, base: base)
    }
}
