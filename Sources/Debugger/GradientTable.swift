import Autograd
import ModelScript

/// The per-node gradient table `run` prints after each backward call.
struct GradientTable {
    struct Row {
        let name: String, shape: String, dtype: String
        let isLeaf: Bool, requiresGrad: Bool, retainsGrad: Bool
        let gradFn: String, grad: String
        /// Why `.grad` is None (`run --explain`).
        let why: String?
        /// What the call did to `.grad`.
        let change: GradChange?
    }

    let title: String
    let rows: [Row]
    /// Where the call's error began, printed under the table.
    let notes: [String]

    /// Gradients with at most this many elements are shown in full.
    static let shownElements = 6

    /// Every tensor the call reached (leaves it accumulated into, non-leaves
    /// that retain their grad) and every tensor bound to a name. With the
    /// call's `flow` (`--grads all`), a tensor whose `.grad` is None shows
    /// the gradient that flowed into it during the call, if any.
    init(call: BackwardCall, named: [(name: String, tensor: Tensor)], reached: [Tensor], flow: FlowRecord? = nil,
         explainer: Explainer, error: Error?, notes: [String] = [], changes: [Int: GradChange] = [:]) {
        self.notes = notes
        var rows: [Row] = []
        var listed = Set<ObjectIdentifier>()
        var received: [Int: [FlowRecord.Gradient?]] = [:]
        for step in flow?.steps ?? [] { received[step.function] = step.received }
        func add(_ t: Tensor, _ name: String) {
            guard listed.insert(ObjectIdentifier(t)).inserted else { return }
            var grad = GradientTable.describe(t.grad)
            if t.grad == nil, flow != nil {
                // A non-leaf's gradient arrives at its grad_fn; a leaf's at its AccumulateGrad.
                let node: Node? = t.gradFn ?? t.accumulatorIfAlive
                let k = t.gradFn == nil ? 0 : t.outputNr
                if let node, let arrived = received[node.sequenceNr], k < arrived.count, let g = arrived[k] {
                    grad = GradientTable.describe(g.values) + " (flowed, not stored)"
                }
            }
            rows.append(Row(name: name, shape: Shape(t.shape).text, dtype: t.dtype.rawValue,
                            isLeaf: t.isLeaf, requiresGrad: t.requiresGrad, retainsGrad: t.retainsGrad,
                            gradFn: t.gradFn?.name ?? "None", grad: grad, why: explainer.why(t), change: changes[t.id]))
        }
        for (name, t) in named { add(t, name) }
        for t in reached {
            add(t, t.gradFn.map { "<\($0.name) output>" } ?? explainer.madeBy(t).map { "<\($0)>" } ?? "<leaf t\(t.id)>")
        }
        let status = error == nil ? "" : " (raised)"
        title = "backward #\(call.index)\(status) at line \(call.location.line): \(call.source)"
            + GradientTable.loss(call, name: named.first { call.roots.count == 1 && $0.tensor === call.roots[0] }?.name)
        self.rows = rows
    }

    /// ` · loss = 0.3165`: the value of a one-number root, by its name.
    static func loss(_ call: BackwardCall, name: String?) -> String {
        guard call.roots.count == 1, call.roots[0].numel == 1 else { return "" }
        return " · \(name ?? "root") = \(number(call.roots[0].withValues { $0[0] }))"
    }

    /// Values for small gradients, statistics for large ones.
    static func describe(_ grad: Tensor?) -> String {
        guard let grad else { return "None" }
        if grad.numel <= shownElements {
            let values = grad.values.map(GradientTable.number)
            return grad.rank == 0 ? values[0] : "[" + values.joined(separator: ", ") + "]"
        }
        return describe(grad.withValues { Statistics($0) })
    }

    /// A recorded gradient: its values (without the nesting, as for a
    /// tensor) or its statistics.
    static func describe(_ values: CapturedValues) -> String {
        switch values {
        case .elements(let elements) where elements.count == 1: return number(elements[0])
        case .elements(let elements) where elements.count <= shownElements:
            return "[" + elements.map(number).joined(separator: ", ") + "]"
        case .elements(let elements): return describe(Statistics(elements))
        case .statistics(let s): return describe(s)
        }
    }

    static func describe(_ s: Statistics) -> String {
        "min \(number(s.min))  max \(number(s.max))  mean \(number(s.mean))  norm \(number(s.norm))"
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && Swift.abs(v) < 1e6 { return String(Int(v)) }
        let magnitude = Swift.abs(v)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            var text = String(format: "%.4f", v)
            while text.hasSuffix("0") { text.removeLast() }
            return text
        }
        return String(format: "%.3e", v)
    }

    /// The table as text; `note` is added to the title (`last call`).
    /// With `explain`, the rows whose grad is None are listed after the
    /// table with the reason.
    func render(color: Bool, note: String? = nil, explain: Bool = false) -> String {
        let headers = ["tensor", "shape", "dtype", "is_leaf", "requires_grad", "retains_grad", "grad_fn", "change", "grad"]
        let cells = rows.map { r in
            [r.name, r.shape, r.dtype, r.isLeaf ? "True" : "False", r.requiresGrad ? "True" : "False",
             r.retainsGrad ? "True" : "False", r.gradFn, r.change?.text ?? "", r.grad]
        }
        var widths = headers.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, c in i == row.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        let bold = color ? "\u{1B}[1m" : "", dim = color ? "\u{1B}[2m" : "", reset = color ? "\u{1B}[0m" : ""
        let heading = note.map { "\(title)  (\($0))" } ?? title
        var out = ["\(bold)── \(heading)\(reset)", dim + line(headers) + reset]
        for (row, r) in zip(cells, rows) {
            let text = line(row)
            // New gradients green, accumulated ones yellow (a missing
            // zero_grad() shows), untouched ones dim, cleared ones red.
            var highlight = ""
            if color {
                switch r.change {
                case .new?: highlight = "\u{1B}[32m"
                case .accumulated?: highlight = "\u{1B}[33m"
                case .unchanged?: highlight = dim
                case .cleared?: highlight = "\u{1B}[31m"
                case nil: break
                }
            }
            out.append(highlight + text + (highlight.isEmpty ? "" : reset))
        }
        let red = color ? "\u{1B}[31m" : ""
        for note in notes { out.append("\(red)note:\(reset) \(note)") }
        let unexplained = rows.filter { $0.why != nil }
        if explain && !unexplained.isEmpty {
            let width = unexplained.map(\.name.count).max() ?? 0
            out.append("\(dim)why .grad is None:\(reset)")
            for r in unexplained { out.append("  " + r.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + r.why!) }
        }
        return out.joined(separator: "\n")
    }
}

/// `[2, 3]` / `[]`, as tables print shapes.
struct Shape {
    let dims: [Int]
    init(_ dims: [Int]) { self.dims = dims }
    var text: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
}

import Foundation
