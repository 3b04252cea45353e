/// Watches a backward pass hand gradients from node to node, for the
/// debugger's record of what flowed where (`Runtime.gradientFlow`). The
/// engine calls it only when one is set, so a pass nobody watches pays
/// nothing. Calls come in the order the engine works: `seeds` once, then per
/// node that runs `ran` and a `passed` for each edge it gives a gradient.
///
/// The tensors are the engine's own, which it may later add into in place:
/// a recorder copies (or summarises) what it keeps before returning.
public protocol GradientFlowRecorder: AnyObject {
    /// The roots' gradients (`gradient=` of backward, ones for a scalar),
    /// one per root, nil for a root without one.
    func seeds(_ grads: [Tensor?])
    /// `node` runs, with the gradient of each of its forward outputs (after
    /// the tensors' hooks; nil for an output no gradient reached).
    func ran(_ node: Node, received: [Tensor?])
    /// The node that ran last passes `grad` along its edge `edge`
    /// (`next_functions[edge]`), as the next node receives it: summed to the
    /// input's shape and cast to its dtype.
    func passed(_ grad: Tensor, along edge: Int)
}
