/// Autograd-like DOT graphs of a given size, drawn as autograd-viz draws
/// them: one box per grad_fn, leaves' AccumulateGrad in blue, edges from a
/// node to its next_functions. Nodes are numbered in creation order and
/// every edge points to an earlier node, so the first `nodes` of an endless
/// graph are a whole graph of exactly that size.
enum GraphShape: String, CaseIterable {
    /// An unrolled network with its own weights at every step (like a deep
    /// MLP): a chain of boxes with a fan-in of three per step. Every edge
    /// spans one rank.
    case chain
    /// An unrolled RNN as PyTorch records it: every step uses the same two
    /// weights, so their AccumulateGrad nodes have one edge from every step,
    /// spanning more ranks the longer the sequence.
    case sharedWeights = "shared-weights"

    func dot(nodes: Int) -> (text: String, edges: Int) {
        var builder = DOTBuilder(capacity: nodes)
        switch self {
        case .chain:
            var h: Int? = nil
            var step = 0
            while !builder.isFull {
                step += 1
                let w = builder.leaf("W\(step)", "(64, 64)")
                let b = builder.leaf("b\(step)", "(64,)")
                let t = builder.node("TBackward0", "(64, 64)", [w])
                let mm = builder.node("AddmmBackward0", "(1, 64)", [b, h, t])
                h = builder.node("TanhBackward0", "(1, 64)", [mm])
            }
        case .sharedWeights:
            let wHH = builder.leaf("W_hh", "(64, 64)")
            let wXH = builder.leaf("W_xh", "(64, 32)")
            var h: Int? = nil, loss: Int? = nil
            while !builder.isFull {
                let tx = builder.node("TBackward0", "(32, 64)", [wXH])
                let mx = builder.node("MmBackward0", "(1, 64)", [tx])
                let th = builder.node("TBackward0", "(64, 64)", [wHH])
                let mh = builder.node("MmBackward0", "(1, 64)", [h, th])
                let add = builder.node("AddBackward0", "(1, 64)", [mh, mx])
                h = builder.node("TanhBackward0", "(1, 64)", [add])
                let sum = builder.node("SumBackward0", "()", [h])
                loss = loss == nil ? sum : builder.node("AddBackward0", "()", [loss, sum])
            }
        }
        return (builder.text, builder.edges)
    }
}

/// Writes nodes and edges until it holds `capacity` nodes, then ignores the rest.
struct DOTBuilder {
    let capacity: Int
    private(set) var edges = 0
    private var count = 0
    private var lines = [
        "digraph autograd {",
        ##"  node [shape=box, style=filled, fillcolor="#f2f2f2", fontname="DejaVu Sans", fontsize=11];"##,
    ]

    init(capacity: Int) { self.capacity = capacity }

    var isFull: Bool { count >= capacity }

    var text: String { (lines + ["}"]).joined(separator: "\n") }

    mutating func leaf(_ name: String, _ shape: String) -> Int? {
        add(label: "AccumulateGrad\\n\(name)", shape: shape, inputs: [], attributes: ##", fillcolor="#cfe2f3""##)
    }

    mutating func node(_ name: String, _ shape: String, _ inputs: [Int?]) -> Int? {
        add(label: name, shape: shape, inputs: inputs, attributes: "")
    }

    private mutating func add(label: String, shape: String, inputs: [Int?], attributes: String) -> Int? {
        guard !isFull else { return nil }
        count += 1
        lines.append("  n\(count) [label=\"\(label)\\n\(shape)\"\(attributes)];")
        for case let input? in inputs {
            lines.append("  n\(count) -> n\(input);")
            edges += 1
        }
        return count
    }
}
