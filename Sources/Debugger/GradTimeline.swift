import Autograd
import ModelScript

/// How one backward call changed a tensor's `.grad` (the tables' `change`
/// column), as the pictures tell new, accumulated and untouched gradients apart.
enum GradChange: Equatable {
    /// None before the call, a gradient after it.
    case new
    /// The call added into an existing gradient (`+=`): no `zero_grad()`
    /// in between. `previousNorm` is the norm before the call.
    case accumulated(previousNorm: Double)
    /// A gradient before and after, the same values: the call did not reach it.
    case unchanged
    /// It had a gradient after the previous call and has none now
    /// (`zero_grad()`, `.grad = None`).
    case cleared

    var text: String {
        switch self {
        case .new: return "new"
        case .accumulated(let norm): return "+= (was ‖\(GradientTable.number(norm))‖)"
        case .unchanged: return "unchanged"
        case .cleared: return "cleared"
        }
    }
}

/// The gradients of the tensors a table shows, over the calls of a run: what
/// each call changed, and (`run --history`, the document's `history`) the
/// loss and each parameter's gradient norm after every call.
final class GradTimeline {
    /// What tells two gradients apart cheaply: their statistics.
    private struct Mark: Equatable {
        let count: Int, min: Double, max: Double, mean: Double, norm: Double
        init(_ grad: Tensor) {
            let s = grad.withValues { Statistics($0) }
            (count, min, max, mean, norm) = (grad.numel, s.min, s.max, s.mean, s.norm)
        }
        static func == (a: Mark, b: Mark) -> Bool {
            a.count == b.count && same(a.min, b.min) && same(a.max, b.max) && same(a.mean, b.mean) && same(a.norm, b.norm)
        }
        private static func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
    }

    /// Marks of the gradients just before each call under way (innermost last), by tensor id.
    private var pending: [[Int: Mark]] = []
    /// Which tensors had a gradient after the last call, by id.
    private var hadGradAfterLast = Set<Int>()
    /// `history`: the loss after each call (nil when the root was not one number).
    private(set) var losses: [Double?] = []
    /// `history`: each parameter's gradient norm after each call, in first-seen order.
    private(set) var norms: [(name: String, values: [Double?])] = []
    private var normIndex: [String: Int] = [:]

    func willRun(_ tensors: [Tensor]) {
        var marks: [Int: Mark] = [:]
        for t in tensors { if let g = t.grad, marks[t.id] == nil { marks[t.id] = Mark(g) } }
        pending.append(marks)
    }

    /// What the call just finished changed, by tensor id, for the tensors it
    /// was started with and `tensors`.
    func didRun(_ tensors: [Tensor]) -> [Int: GradChange] {
        let before = pending.popLast() ?? [:]
        var changes: [Int: GradChange] = [:]
        for t in tensors where changes[t.id] == nil {
            switch (before[t.id], t.grad) {
            case (nil, nil): if hadGradAfterLast.contains(t.id) { changes[t.id] = .cleared }
            case (nil, _?): changes[t.id] = .new
            case (_?, nil): changes[t.id] = .cleared
            case (let mark?, let grad?): changes[t.id] = Mark(grad) == mark ? .unchanged : .accumulated(previousNorm: mark.norm)
            }
        }
        hadGradAfterLast = Set(tensors.filter { $0.grad != nil }.map(\.id))
        return changes
    }

    /// Appends call `index`'s loss and the gradient norm of every named leaf
    /// that requires grad (the parameters a loop trains).
    func record(_ call: BackwardCall, named: [(name: String, tensor: Tensor)]) {
        let root = call.roots.count == 1 ? call.roots[0] : nil
        losses.append(root.flatMap { $0.numel == 1 ? $0.withValues { $0[0] } : nil })
        for (name, t) in named where t.isLeaf && t.requiresGrad {
            let k: Int
            if let known = normIndex[name] {
                k = known
            } else {
                k = norms.count
                normIndex[name] = k
                norms.append((name, []))
            }
            let norm = t.grad.map { g in g.withValues { Statistics($0).norm } }
            norms[k].values += [Double?](repeating: nil, count: max(0, losses.count - 1 - norms[k].values.count)) + [norm]
        }
    }

    /// The document's `history`: `{"loss": [x | null, ...], "grad_norm": {NAME: [x | null, ...]}}`,
    /// one entry per call.
    var json: JSON {
        func series(_ values: [Double?]) -> JSON {
            .array((values + [Double?](repeating: nil, count: max(0, losses.count - values.count))).map { $0.map(JSON.number) ?? .null })
        }
        return .object([("loss", series(losses)), ("grad_norm", .object(norms.map { ($0.name, series($0.values)) }))])
    }

    /// `run --history`: a sparkline per series, loss first.
    func render(color: Bool) -> [String] {
        guard !losses.isEmpty else { return [] }
        let rows = [("loss", losses)] + norms.map { ($0.name, $0.values) }
        let width = rows.map(\.0.count).max() ?? 0
        let bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = ["\(bold)── over \(losses.count) backward call\(losses.count == 1 ? "" : "s"): the loss, then each parameter's ‖grad‖ (--history)\(reset)"]
        for (name, values) in rows {
            let padded = values + [Double?](repeating: nil, count: max(0, losses.count - values.count))
            let known = padded.compactMap { $0 }.filter(\.isFinite)
            guard let lo = known.min(), let hi = known.max(), let last = padded.last else { continue }
            let range = "\(GradientTable.number(lo)) … \(GradientTable.number(hi)), last \(last.map(GradientTable.number) ?? "None")"
            out.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + GradTimeline.sparkline(padded) + "  " + range)
        }
        return out
    }

    /// At most 60 columns (the largest value of each bucket of calls); a
    /// call with no value is a space, NaN or Inf a `!`.
    static func sparkline(_ values: [Double?], columns: Int = 60) -> String {
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let per = max(1, (values.count + columns - 1) / columns)
        let buckets: [Double?] = stride(from: 0, to: values.count, by: per).map { start in
            let part = values[start..<min(start + per, values.count)].compactMap { $0 }
            if part.contains(where: { !$0.isFinite }) { return .infinity }
            return part.max()
        }
        let finite = buckets.compactMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        return String(buckets.map { v -> Character in
            guard let v else { return " " }
            guard v.isFinite else { return "!" }
            guard hi > lo else { return blocks[3] }
            return blocks[min(blocks.count - 1, Int((v - lo) / (hi - lo) * Double(blocks.count - 1) + 0.5))]
        })
    }
}
