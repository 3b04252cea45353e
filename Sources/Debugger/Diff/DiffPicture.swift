import Graphviz
import ModelScript

/// `diff -o FILE`: the graph of B after its last backward call, each tensor
/// coloured by how much its gradient differs from the same tensor's in A
/// (after A's last backward call), with a key of the scale. The picture is
/// an ordinary `GraphPicture` with a `PictureComparison`: one visual
/// language for every picture.
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

    /// The picture of B's graph after its last backward call, compared with
    /// A's after its last: drawn by `GraphPicture` like every other picture
    /// (module clusters, `--focus`, `--max-nodes`, the flow on its edges),
    /// each tensor filled by its band. Throws when B has no backward call, or
    /// kept no graph of its last one.
    public static func request(a: JSON, b: JSON, tolerance: DiffTolerance = DiffTolerance(), title: String? = nil,
                               options: PictureOptions = PictureOptions()) throws -> PictureRequest {
        guard let calls = b["backward"]?.arrayValue, let callB = calls.last else { throw DiffError.nothingToDraw }
        guard let graph = callB["after"], let nodes = graph["nodes"]?.arrayValue else { throw DiffError.lastGraphNotKept }
        let nodesA = a["backward"]?.arrayValue?.last?["after"]?["nodes"]?.arrayValue ?? []
        var byName: [String: JSON] = [:], byId: [String: JSON] = [:]
        for n in nodesA where n["kind"]?.stringValue == "tensor" {
            if let name = n["name"]?.stringValue { byName[name] = n }
            if let id = n["id"]?.stringValue { byId[id] = n }
        }
        var marks: [String: PictureComparison.Mark] = [:]
        for n in nodes where n["kind"]?.stringValue == "tensor" {
            guard let id = n["id"]?.stringValue else { continue }
            var match: JSON?
            if let name = n["name"]?.stringValue { match = byName[name] } else if let m = byId[id], m["name"] == nil || m["name"] == .null,
                                                                              m["shape"] == n["shape"] { match = m }
            let (band, note) = compare(match, n, tolerance)
            marks[id] = PictureComparison.Mark(band: band, note: note)
        }
        var request = PictureRequest(graph: graph, call: callB, previous: callB["before"].flatMap { $0 == .null ? nil : $0 },
                                     moment: .after(index: calls.count), title: title, options: options)
        request.comparison = PictureComparison(marks: marks, tolerance: tolerance)
        return request
    }

    /// DOT text of `request(a:b:...)`.
    public static func dot(a: JSON, b: JSON, tolerance: DiffTolerance = DiffTolerance(), title: String? = nil,
                           options: PictureOptions = PictureOptions()) throws -> String {
        try GraphPicture.dot(request(a: a, b: b, tolerance: tolerance, title: title, options: options))
    }

    /// The key of the bands, beside the graph.
    static func writeKey(into out: inout DOT.Writer) {
        var rows = "<TR><TD COLSPAN=\"2\"><B>gradient of B vs A</B></TD></TR>"
        for band in Band.allCases {
            rows += "<TR><TD BGCOLOR=\"\(band.color)\" WIDTH=\"16\"> </TD><TD ALIGN=\"LEFT\">\(DOT.html(band.legend))</TD></TR>"
        }
        out.node("diff_key", [.text("shape", "plaintext"), .text("style", ""),
                              .html("label", "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\">\(rows)</TABLE>")])
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
        try PictureRenderer.bytes(request(a: a, b: b, tolerance: tolerance, title: title, options: options), format: format)
    }
}
