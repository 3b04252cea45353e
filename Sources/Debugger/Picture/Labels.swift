import Foundation
import ModelScript

/// The text inside picture nodes: names, shapes, values and gradients, as
/// HTML-like label pieces (every piece of outside text goes through
/// `DOT.html`).
enum Labels {
    /// Tensors with at most this many elements show their gradient's values;
    /// larger ones show shape and norm.
    static let shownElements = 6

    /// Six significant digits, as `%.6g` writes them ("3", "4.67196",
    /// "1.22229e-07"); never locale-dependent.
    static func number(_ d: Double, digits: Int = 6) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        return String(format: "%.\(digits)g", d)
    }

    /// A value element as Python would name it: numbers, True/False, nan.
    static func element(_ j: JSON) -> String {
        switch j {
        case .bool(let b): return b ? "True" : "False"
        case .integer(let i): return String(i)
        default: return j.doubleValue.map { number($0) } ?? "?"
        }
    }

    /// `[20, 20]`; `[]` for a 0-d tensor, as torch.Size([]) has it.
    static func shape(_ shape: [Int]?) -> String {
        guard let shape else { return "[?]" }
        return "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    static func elementCount(_ shape: [Int]?) -> Int? {
        shape.map { $0.reduce(1, *) }
    }

    /// Every number of a nested value list, row-major.
    static func flatten(_ j: JSON) -> [JSON] {
        if let items = j.arrayValue { return items.flatMap(flatten) }
        return [j]
    }

    /// "3", "[6, 12]" or "[20, 20] ‖g‖ = 8.61": values for small tensors,
    /// shape and L2 norm for the rest (a SUMMARY carries its norm).
    static func describe(_ j: JSON, shape: [Int]?, symbol: String) -> String {
        if j.arrayValue == nil, j["summary"] == nil { return "= " + element(j) }
        if j.arrayValue != nil, let n = elementCount(shape), n <= shownElements { return "= " + nested(j) }
        return "\(Self.shape(shape)) ‖\(symbol)‖ = " + (norm(j).map { number($0, digits: 3) } ?? "?")
    }

    static func nested(_ j: JSON) -> String {
        if let items = j.arrayValue { return "[" + items.map(nested).joined(separator: ", ") + "]" }
        return element(j)
    }

    static func norm(_ j: JSON) -> Double? {
        if let n = j["norm"]?.doubleValue { return n }
        guard j.arrayValue != nil else { return j.doubleValue.map { Swift.abs($0) } }
        let values = flatten(j).compactMap(\.doubleValue)
        return values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// Where a gradient stands at the moment drawn.
    enum GradState {
        /// Nothing to compare with (the end of a script).
        case present
        /// Before a call, on a tensor this call will accumulate into.
        case willAccumulate
        /// Before a call, on a tensor it does not reach.
        case untouched
        /// After a call: the tensor had no grad before it.
        case new
        /// After a call: added onto the grad it had (`was`).
        case accumulated(was: JSON)
        /// After a call: the same as before it.
        case unchanged
    }

    /// The gradient lines of a tensor's label.
    static func grad(_ grad: JSON, shape: [Int]?, state: GradState) -> [String] {
        let text = "grad " + describe(grad, shape: shape, symbol: "g")
        func line(_ s: String, _ colour: String, bold: Bool = false) -> String {
            let body = bold ? "<B>\(DOT.html(s))</B>" : DOT.html(s)
            return "<FONT POINT-SIZE=\"9\" COLOR=\"\(colour)\">\(body)</FONT>"
        }
        switch state {
        case .present: return [line(text, Look.Colour.newGrad)]
        case .new: return [line(text, Look.Colour.newGrad, bold: true)]
        case .willAccumulate: return [line(text, Look.Colour.oldGrad), line("from earlier calls: will accumulate", Look.Colour.oldGrad)]
        case .untouched: return [line(text, Look.Colour.oldGrad)]
        case .unchanged: return [line(text + " (unchanged)", Look.Colour.oldGrad)]
        case .accumulated(let was):
            let before = describe(was, shape: shape, symbol: "g")
            let wasText = before.hasPrefix("= ") ? "was " + before.dropFirst(2)
                : "‖g‖ was " + (norm(was).map { number($0, digits: 3) } ?? "?")
            return [line(text, Look.Colour.accumulatedGrad, bold: true), line("accumulated (+=), " + wasText, Look.Colour.accumulatedGrad)]
        }
    }

    /// A 9-point line, as notes under a title.
    static func small(_ s: String, italic: Bool = false) -> String {
        let body = italic ? "<I>\(DOT.html(s))</I>" : DOT.html(s)
        return "<FONT POINT-SIZE=\"9\">\(body)</FONT>"
    }

    /// The label of a tensor node: its name (or id), value when 0-d, shape
    /// and dtype, notes, gradient.
    static func tensor(id: String, _ t: PictureGraph.Tensor, notes: [String], grad: [String]) -> String {
        var title = t.name.map { "<B>\(DOT.html($0))</B>" } ?? "<I>\(DOT.html(t.madeBy ?? id))</I>"
        if t.shape == [], let value = t.value, value.arrayValue == nil, value["summary"] == nil {
            title += " = " + DOT.html(element(value))
        }
        var lines = [title, small("\(shape(t.shape)) \(t.dtype)")]
        if !notes.isEmpty { lines.append(small(notes.joined(separator: " · "), italic: true)) }
        return (lines + grad).joined(separator: "<BR/>")
    }

    /// A tensor's tooltip: id, name or the call that made it, its line, and
    /// why its grad is None (`t3 w · line 2 · grad None: non-leaf, …`).
    static func tensorTooltip(id: String, _ t: PictureGraph.Tensor) -> String {
        var parts = [[id, t.name ?? t.madeBy].compactMap { $0 }.joined(separator: " ")]
        if let line = t.line, t.madeBy == nil || t.name != nil { parts.append("line \(line)") }
        if let why = t.why { parts.append("grad None: " + why) }
        return parts.joined(separator: " · ")
    }

    /// "… 180 more nodes" and the function names most of them are.
    static func summary(functions: [String], tensors: Int, savedEntries: Int) -> String {
        var counts: [String: Int] = [:]
        for name in functions { counts[name, default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var parts = ranked.prefix(4).map { "\($0.key) ×\($0.value)" }
        if ranked.count > 4 { parts.append("\(ranked.count - 4) more kinds") }
        if tensors > 0 { parts.append("tensors ×\(tensors)") }
        if savedEntries > 0 { parts.append("saved ×\(savedEntries)") }
        let total = functions.count + tensors + savedEntries
        var lines = ["<B>… \(total) more node\(total == 1 ? "" : "s")</B>"]
        // Two kinds to a line keeps the box narrow.
        for k in stride(from: 0, to: parts.count, by: 2) {
            lines.append(small(parts[k..<min(k + 2, parts.count)].joined(separator: ", ")))
        }
        return lines.joined(separator: "<BR/>")
    }
}
