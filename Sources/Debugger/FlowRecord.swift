import Autograd
import ModelScript

/// The gradients one backward call handed from node to node: the run
/// document's `flow` (docs/RUN-DOCUMENT.md). The engine reports them as it
/// works (`GradientFlowRecorder`); each is copied, or reduced to statistics
/// beyond `limit` elements, at once, as the engine may later add into it.
final class FlowRecord: GradientFlowRecorder {
    /// One gradient as it was handed along.
    struct Gradient {
        let shape: [Int]
        let dtype: DType
        var values: CapturedValues
        /// Over every element, whatever `values` keeps.
        let statistics: Statistics

        init(_ t: Tensor, limit: Int) {
            shape = t.shape
            dtype = t.dtype
            // Big gradients are only read, never copied.
            let statistics = t.withValues { Statistics($0) }
            self.statistics = statistics
            values = t.numel <= Swift.max(limit, 1) ? .elements(t.values) : .statistics(statistics)
        }

        var json: JSON {
            .object([
                ("shape", .array(shape.map(JSON.integer))),
                ("value", values.json(shape: shape, dtype: dtype)),
                ("norm", .number(statistics.norm)), ("min", .number(statistics.min)),
                ("max", .number(statistics.max)), ("mean", .number(statistics.mean)),
                ("nan", .integer(statistics.nanCount)), ("inf", .integer(statistics.infCount)),
            ])
        }
    }

    /// One node's run: what it received per forward output and passed per edge.
    struct Step {
        /// The node's sequence number (`f<N>` in snapshots).
        let function: Int
        let name: String
        /// The script line of the forward op that made the node.
        let line: Int
        /// AccumulateGrad only: the id of its leaf.
        let variable: Int?
        var received: [Gradient?]
        var passed: [Gradient?]
        /// For `run --check`: the fraction of exact zeros in the gradient a
        /// ReLU passed on (dead units pass zeros for every input).
        var zeroFraction: Double?
    }

    private let limit: Int
    /// Whether ReLU steps count the zeros they pass (`run --check`).
    private let countsZeros: Bool
    private(set) var seeds: [Gradient?] = []
    /// In the order the engine ran the nodes.
    private(set) var steps: [Step] = []

    init(limit: Int, countsZeros: Bool = false) {
        self.limit = limit
        self.countsZeros = countsZeros
    }

    func seeds(_ grads: [Tensor?]) { seeds = grads.map { $0.map { Gradient($0, limit: limit) } } }

    func ran(_ node: Node, received: [Tensor?]) {
        steps.append(Step(function: node.sequenceNr, name: node.name, line: Int(node.origin.line),
                          variable: (node as? AccumulateGrad)?.variable.id,
                          received: received.map { $0.map { Gradient($0, limit: limit) } },
                          passed: [Gradient?](repeating: nil, count: node.nextEdges.count)))
    }

    func passed(_ grad: Tensor, along edge: Int) {
        guard !steps.isEmpty, edge < steps[steps.count - 1].passed.count else { return }
        let last = steps.count - 1
        steps[last].passed[edge] = Gradient(grad, limit: limit)
        if countsZeros && edge == 0 && steps[last].name == "ReluBackward0" && grad.numel > 0 {
            let zeros = grad.withValues { values in values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
            steps[last].zeroFraction = Double(zeros) / Double(grad.numel)
        }
    }

    /// Keeps statistics only, except for one-element gradients.
    func summarize() {
        func reduce(_ g: inout Gradient?) {
            guard let values = g?.values else { return }
            g?.values = values.summarized
        }
        for i in seeds.indices { reduce(&seeds[i]) }
        for i in steps.indices {
            for k in steps[i].received.indices { reduce(&steps[i].received[k]) }
            for k in steps[i].passed.indices { reduce(&steps[i].passed[k]) }
        }
    }

    /// The gradient that arrived along each edge into each node, by the
    /// receiving node's sequence number and the edge's input number.
    var json: JSON {
        .object([
            ("seeds", .array(seeds.map { $0?.json ?? .null })),
            ("steps", .array(steps.map { step in
                .object([
                    ("function", .string("f\(step.function)")),
                    ("name", .string(step.name)),
                    ("grad_in", .array(step.received.map { $0?.json ?? .null })),
                    ("grad_out", .array(step.passed.map { $0?.json ?? .null })),
                ])
            })),
        ])
    }
}
