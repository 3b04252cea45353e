import Autograd
import ModelScript

/// `run --check`: what looks wrong with the gradients, read off the flow the
/// engine reported during each backward call (no anomaly mode needed). The
/// limits are options (`--explode-above`, `--vanish-below`, `--dead-relu`).
public struct CheckLimits: Sendable, Equatable {
    /// A leaf's incoming gradient with a larger L2 norm is exploding.
    public var explodeAbove: Double
    /// A leaf's incoming gradient with a smaller norm (or all zeros) is vanishing.
    public var vanishBelow: Double
    /// A ReLU passing zeros for at least this fraction of its elements is dead.
    public var deadReLU: Double

    public init(explodeAbove: Double = 1e3, vanishBelow: Double = 1e-10, deadReLU: Double = 0.9) {
        self.explodeAbove = explodeAbove
        self.vanishBelow = vanishBelow
        self.deadReLU = deadReLU
    }
}

/// One thing `--check` flags: the run document's CHECK (docs/RUN-DOCUMENT.md).
public struct CheckFinding: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case nan, inf, exploding, vanishing
        case deadReLU = "dead_relu"
        case noGradient = "no_gradient"
    }
    public let kind: Kind
    /// The backward call (nil for a finding about the whole run).
    public let call: Int?
    /// The node (`DivBackward0`) or tensor (`lin.weight`) flagged.
    public let subject: String
    /// The script line that made it, when known.
    public let line: Int?
    /// The whole sentence, as the terminal prints it.
    public let message: String

    var json: JSON {
        .object([("kind", .string(kind.rawValue)), ("call", call.map(JSON.integer) ?? .null),
                 ("subject", .string(subject)), ("line", line.map(JSON.integer) ?? .null), ("message", .string(message))])
    }
}

enum HealthCheck {
    /// The findings of one call, from its flow; `tensors` resolves the ids of
    /// the leaves the call accumulated into.
    static func inspect(_ call: BackwardCall, flow: FlowRecord, error: Error?, limits: CheckLimits,
                        explainer: Explainer, tensors: [Int: Tensor]) -> [CheckFinding] {
        let head = "backward #\(call.index) at line \(call.location.line)"
        var out: [CheckFinding] = []
        func made(_ line: Int) -> String {
            line > 0 ? " (made at line \(line): `\(explainer.interpreter.lineText(line))`)" : ""
        }
        // NaN and infinities: where a finite gradient became one (the seed,
        // or a node that received finite values and passed bad ones on).
        func bad(_ g: FlowRecord.Gradient?) -> (nan: Int, inf: Int) {
            (g?.statistics.nanCount ?? 0, g?.statistics.infCount ?? 0)
        }
        for (k, seed) in flow.seeds.enumerated() {
            let (nan, inf) = bad(seed)
            if nan + inf > 0, let seed {
                let kind: CheckFinding.Kind = nan > 0 ? .nan : .inf
                out.append(CheckFinding(kind: kind, call: call.index, subject: "seed \(k)", line: call.location.line,
                                        message: "\(head): the gradient given for root \(k) already holds \(kind == .nan ? "NaN" : "Inf") "
                                            + "(\(nan + inf) of \(count(seed.shape)) elements)"))
            }
        }
        for step in flow.steps {
            let into = step.received.reduce((0, 0)) { ($0.0 + bad($1).nan, $0.1 + bad($1).inf) }
            guard into.0 + into.1 == 0 else { continue }
            for (edge, passed) in step.passed.enumerated() {
                let (nan, inf) = bad(passed)
                guard nan + inf > 0, let passed else { continue }
                let kind: CheckFinding.Kind = nan > 0 ? .nan : .inf
                out.append(CheckFinding(kind: kind, call: call.index, subject: step.name, line: step.line > 0 ? step.line : nil,
                                        message: "\(head): \(step.name)\(made(step.line)) turned a finite gradient into "
                                            + "\(kind == .nan ? "NaN" : "Inf") along its input \(edge) (\(nan + inf) of \(count(passed.shape)) elements)"))
            }
        }
        // Anomaly mode stops the call at the node before it passes anything on.
        if let error = error as? TorchError, error.message.hasPrefix("Function '"), error.message.contains("returned nan values"),
           let step = flow.steps.last {
            out.append(CheckFinding(kind: .nan, call: call.index, subject: step.name, line: step.line > 0 ? step.line : nil,
                                    message: "\(head): \(step.name)\(made(step.line)) returned NaN (anomaly mode stopped the call there)"))
        }
        // Exploding and vanishing: the gradient arriving at each leaf.
        for step in flow.steps {
            guard let id = step.variable, let g = step.received.first ?? nil, g.statistics.nanCount + g.statistics.infCount == 0 else { continue }
            let name = tensors[id].map(explainer.label) ?? "t\(id)"
            let norm = g.statistics.norm
            if norm > limits.explodeAbove {
                out.append(CheckFinding(kind: .exploding, call: call.index, subject: name, line: nil,
                                        message: "\(head): the gradient into \(name) has norm \(GradientTable.number(norm)) "
                                            + "(above --explode-above \(GradientTable.number(limits.explodeAbove)))"))
            } else if norm == 0 || norm < limits.vanishBelow {
                out.append(CheckFinding(kind: .vanishing, call: call.index, subject: name, line: nil,
                                        message: "\(head): the gradient into \(name) "
                                            + (norm == 0 ? "is all zeros"
                                               : "has norm \(GradientTable.number(norm)) (below --vanish-below \(GradientTable.number(limits.vanishBelow)))")))
            }
        }
        // Dead ReLUs: zero gradient through (nearly) every element.
        for step in flow.steps {
            guard let zeros = step.zeroFraction, zeros >= limits.deadReLU else { continue }
            out.append(CheckFinding(kind: .deadReLU, call: call.index, subject: step.name, line: step.line > 0 ? step.line : nil,
                                    message: "\(head): \(step.name)\(made(step.line)) passed a zero gradient for "
                                        + "\(Int((zeros * 100).rounded()))% of its elements (--dead-relu \(GradientTable.number(limits.deadReLU))): "
                                        + "its inputs are negative there, so nothing before it learns from them"))
        }
        return out
    }

    /// Parameters that require grad and that no call's graph led to
    /// (`reached`: the ids of the leaves some call's graph led to).
    static func starved(_ parameters: [(name: String, tensor: Tensor)], reached: Set<Int>, calls: Int) -> [CheckFinding] {
        guard calls > 0 else { return [] }
        var seen = Set<Int>()
        let runs = calls == 1 ? "the backward call's graph does not lead" : "none of the \(calls) backward calls' graphs leads"
        return parameters.filter { $0.tensor.isParameter && $0.tensor.requiresGrad && !reached.contains($0.tensor.id) && seen.insert($0.tensor.id).inserted }
            .map { CheckFinding(kind: .noGradient, call: nil, subject: $0.name, line: nil,
                                message: "\($0.name) requires grad but got no gradient: \(runs) to it "
                                    + "(an unused layer, or a detach() on the way)") }
    }

    private static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }
}
