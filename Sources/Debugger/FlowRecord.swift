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
        var received: [Gradient?]
        var passed: [Gradient?]
    }

    private let limit: Int
    private(set) var seeds: [Gradient?] = []
    /// In the order the engine ran the nodes.
    private(set) var steps: [Step] = []

    init(limit: Int) { self.limit = limit }

    func seeds(_ grads: [Tensor?]) { seeds = grads.map { $0.map { Gradient($0, limit: limit) } } }

    func ran(_ node: Node, received: [Tensor?]) {
        steps.append(Step(function: node.sequenceNr, name: node.name,
                          received: received.map { $0.map { Gradient($0, limit: limit) } },
                          passed: [Gradient?](repeating: nil, count: node.nextEdges.count)))
    }

    func passed(_ grad: Tensor, along edge: Int) {
        guard !steps.isEmpty, edge < steps[steps.count - 1].passed.count else { return }
        steps[steps.count - 1].passed[edge] = Gradient(grad, limit: limit)
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
