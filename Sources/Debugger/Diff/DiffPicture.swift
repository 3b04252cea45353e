import Graphviz
import ModelScript

/// `diff -o FILE`: the graph of B after its last backward call, each tensor
/// coloured by how much its gradient differs from the same tensor's in A
/// (after A's last backward call), with a legend of the scale.
///
/// Tensors are matched by name; unnamed ones by snapshot id when both are
/// unnamed and have the same shape (ids follow creation order, so two runs
/// of nearly the same script usually agree on them).
public enum DiffPicture {
    /// How far apart two gradients are, worst first.
    public enum Band: Int, CaseIterable, Comparable, Sendable {
        case missing, large, medium, small, same, noGrad, unmatched

        public static func < (a: Band, b: Band) -> Bool { a.rawValue < b.rawValue }

        var color: String {
            switch self {
            case .missing: return "#c9a0ff"
            case .large: return "#ff7b7b"
            case .medium: return "#ffb870"
            case .small: return "#fff08a"
            case .same: return "#bfe8bf"
            case .noGrad: return "#ffffff"
            case .unmatched: return "#dddddd"
            }
        }

        var legend: String {
            switch self {
            case .missing: return "grad in one run only"
            case .large: return "max rel Δ ≥ 1e-1"
            case .medium: return "max rel Δ in [1e-3, 1e-1)"
            case .small: return "differs, max rel Δ < 1e-3"
            case .same: return "same (within rtol/atol)"
            case .noGrad: return "no grad in either run"
            case .unmatched: return "not in A"
            }
        }
    }

    /// DOT text for the picture; throws when B has no backward call, or
    /// kept no graph of its last one. A graph with more nodes than
    /// `options.maxNodes` is collapsed by the same `Selection` as every other
    /// picture (a 50,000-op chain otherwise took Graphviz minutes); a
    /// collapsed region takes the colour of the worst gradient inside it, so
    /// hiding never hides a difference.
    public static func dot(a: JSON, b: JSON, tolerance: DiffTolerance = DiffTolerance(), title: String? = nil,
                           options: PictureOptions = PictureOptions()) throws -> String {
        guard let callB = b["backward"]?.arrayValue?.last else { throw DiffError.nothingToDraw }
        guard let graph = callB["after"], let nodes = graph["nodes"]?.arrayValue else { throw DiffError.lastGraphNotKept }
        let nodesA = a["backward"]?.arrayValue?.last?["after"]?["nodes"]?.arrayValue ?? []
        var byName: [String: JSON] = [:], byId: [String: JSON] = [:]
        for n in nodesA where n["kind"]?.stringValue == "tensor" {
            if let name = n["name"]?.stringValue { byName[name] = n }
            if let id = n["id"]?.stringValue { byId[id] = n }
        }
        let picture = try PictureGraph(graph)
        var roots = (callB["roots"]?.arrayValue ?? []).compactMap { picture.index($0.stringValue) }
        for (i, node) in picture.nodes.enumerated() where node.tensor?.root == true && !roots.contains(i) { roots.append(i) }
        var selectionOptions = PictureOptions()
        selectionOptions.maxNodes = options.maxNodes
        let selection = try Selection(picture, options: selectionOptions, roots: roots)
        /// Where the node with this id is drawn: itself, its region's box, or nowhere.
        func shown(_ id: String?) -> String? {
            guard let id, let i = picture.index(id) else { return nil }
            switch selection.places[i] {
            case .drawn: return DOT.id(id)
            case .summarized(let k): return DOT.id("summary", String(k))
            case .folded, .dropped: return nil
            }
        }
        var bands: [String: (Band, String)] = [:]
        var lines = ["digraph diff {", "  graph [rankdir=BT, fontname=\"Helvetica\", fontsize=11, labelloc=t, label=\(DOT.quoted((title.map { $0 + ": " } ?? "") + "gradients of B compared with A"))];",
                     "  node [fontname=\"Helvetica\", fontsize=10, style=filled];"]
        for n in nodes where n["kind"]?.stringValue == "tensor" {
            guard let id = n["id"]?.stringValue else { continue }
            let name = n["name"]?.stringValue
            var match: JSON?
            if let name { match = byName[name] } else if let m = byId[id], m["name"] == nil || m["name"] == .null,
                                                          m["shape"] == n["shape"] { match = m }
            let (band, note) = compare(match, n, tolerance)
            bands[id] = (band, note)
            guard shown(id) == DOT.id(id) else { continue }
            let label = [name ?? id, RunDiff.shapeText(n["shape"]), note].filter { !$0.isEmpty }.joined(separator: "\n")
            lines.append("  \(DOT.id(id)) [shape=box, fillcolor=\(DOT.quoted(band.color)), label=\(DOT.quoted(label))];")
        }
        var edges = Set<String>()
        func edge(_ from: String?, _ to: String?, _ attributes: String = "") {
            guard let tail = shown(from), let head = shown(to), tail != head else { return }
            let line = "  \(tail) -> \(head)\(attributes);"
            // Edges into or out of a region are drawn once; others as the graph has them.
            let region = tail != DOT.id(from!) || head != DOT.id(to!)
            if !region || edges.insert(line).inserted { lines.append(line) }
        }
        for n in nodes where n["kind"]?.stringValue == "function" {
            guard let id = n["id"]?.stringValue else { continue }
            if shown(id) == DOT.id(id) {
                let name = n["name"]?.stringValue ?? "?"
                var color = "#eeeeee"
                if let v = n["variable"]?.stringValue, let (band, _) = bands[v] { color = band.color }
                lines.append("  \(DOT.id(id)) [shape=ellipse, fillcolor=\(DOT.quoted(color)), label=\(DOT.quoted(name))];")
            }
            for next in n["next_functions"]?.arrayValue ?? [] { edge(next.arrayValue?.first?.stringValue, id) }
            if let v = n["variable"]?.stringValue, bands[v] != nil { edge(v, id, " [style=dashed]") }
        }
        for n in nodes where n["kind"]?.stringValue == "tensor" {
            if let id = n["id"]?.stringValue, let fn = n["grad_fn"]?.stringValue { edge(fn, id) }
        }
        for (k, summary) in selection.summaries.enumerated() {
            let worst = summary.members.compactMap { bands[picture.nodes[$0].id]?.0 }.min()
            lines.append("  \(DOT.id("summary", String(k))) [shape=box3d, fillcolor=\(DOT.quoted(worst?.color ?? "#eeeeee")), "
                         + "label=\(DOT.quoted("… \(summary.members.count) more nodes"))];")
        }
        var rows = "<TR><TD COLSPAN=\"2\"><B>gradient of B vs A</B></TD></TR>"
        for band in Band.allCases {
            rows += "<TR><TD BGCOLOR=\"\(band.color)\" WIDTH=\"16\"> </TD><TD ALIGN=\"LEFT\">\(DOT.html(band.legend))</TD></TR>"
        }
        rows += "<TR><TD COLSPAN=\"2\">\(DOT.html("rtol \(RunDiff.number(tolerance.rtol)), atol \(RunDiff.number(tolerance.atol))"))</TD></TR>"
        lines.append("  legend [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\">\(rows)</TABLE>>];")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The band of B's node `n` against A's `m`, and a note for its label.
    static func compare(_ m: JSON?, _ n: JSON, _ tol: DiffTolerance) -> (Band, String) {
        guard let m else { return (.unmatched, "not in A") }
        let ga = m["grad"] ?? .null, gb = n["grad"] ?? .null
        switch (ga, gb) {
        case (.null, .null): return (.noGrad, "")
        case (.null, _): return (.missing, "grad missing in A")
        case (_, .null): return (.missing, "grad missing in B")
        default: break
        }
        // Large tensors come as summaries, compared by min/max/mean/norm.
        let row = RunDiff.compareValues(ga, gb, name: "", part: .grad, shape: "", moment: .end, tol)
        switch row.status {
        case .same: return (.same, "grad same")
        case .differs:
            let rel = row.maxRel ?? .infinity
            let band: Band = rel >= 1e-1 ? .large : rel >= 1e-3 ? .medium : .small
            return (band, "max |Δ grad| \(RunDiff.number(row.maxAbs))")
        default: return (.missing, "grad shape differs")
        }
    }

    public static func bytes(a: JSON, b: JSON, tolerance: DiffTolerance, title: String?, format: PictureFormat,
                             options: PictureOptions = PictureOptions()) throws -> [UInt8] {
        let text = try dot(a: a, b: b, tolerance: tolerance, title: title, options: options)
        switch format {
        case .dot: return Array(text.utf8)
        case .svg: return try PictureRenderer.render(text, .svg, in: options.layoutProcess)
        case .png: return try PictureRenderer.render(text, .png, in: options.layoutProcess)
        }
    }
}
