import Foundation
import ModelScript

/// `torch.allclose` tolerances: `|a - b| <= atol + rtol * |b|`, NaN equal
/// only to NaN, an infinity only to the same infinity.
public struct DiffTolerance: Equatable, Sendable {
    public var rtol: Double
    public var atol: Double
    public init(rtol: Double = 1e-5, atol: Double = 1e-8) {
        self.rtol = rtol
        self.atol = atol
    }

    /// Whether `a` (from A) is close to `b` (from B, the reference).
    public func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return abs(a - b) <= atol + rtol * abs(b)
    }
}

/// What one row of a diff found.
public enum DiffStatus: String, Sendable, CaseIterable {
    case same
    case differs
    case onlyInA = "only in A"
    case onlyInB = "only in B"
    case shapeDiffers = "shape differs"
    case gradMissingInA = "grad missing in A"
    case gradMissingInB = "grad missing in B"
}

/// Where in a run a row was compared: after a backward call of A and the
/// call of B it was matched with (either may be missing), or at the end.
public enum DiffMoment: Equatable, Comparable, Sendable, CustomStringConvertible {
    case backward(a: Int?, b: Int?)
    case end

    /// The same call index in both runs.
    public static func backward(_ k: Int) -> DiffMoment { .backward(a: k, b: k) }

    public var description: String {
        switch self {
        case let .backward(a, b) where a == b: return "backward #\(a ?? 0)"
        case let .backward(a?, b?): return "backward A#\(a)/B#\(b)"
        case let .backward(a?, nil): return "backward A#\(a)"
        case let .backward(_, b): return "backward B#\(b ?? 0)"
        case .end: return "end"
        }
    }

    /// Calls in A's order (a call only B made, by B's), then the end.
    private var order: (Int, Int, Int) {
        switch self {
        case let .backward(a, b): return (0, a ?? b ?? 0, b ?? 0)
        case .end: return (1, 0, 0)
        }
    }

    public static func < (x: DiffMoment, y: DiffMoment) -> Bool { x.order < y.order }

    var json: JSON {
        switch self {
        case let .backward(a, b) where a == b: return .integer(a ?? 0)
        case let .backward(a, b):
            return .object([("a", a.map(JSON.integer) ?? .null), ("b", b.map(JSON.integer) ?? .null)])
        case .end: return .string("end")
        }
    }
}

/// Which moments `diff` compares (`--at`).
public enum DiffScope: Equatable, Sendable {
    /// After every matched backward call, and at the end.
    case all
    /// Only the end of both scripts: two ways of computing the same
    /// gradients compare the same however many calls they took.
    case end
    /// Only after A's call K and the call of B matched with it.
    case after(Int)

    /// `all`, `end` or `after-K`.
    public init?(_ text: String) {
        switch text {
        case "all": self = .all
        case "end": self = .end
        default:
            guard text.hasPrefix("after-"), let k = Int(text.dropFirst(6)), k >= 1 else { return nil }
            self = .after(k)
        }
    }
}

/// How the backward calls of A and B were paired.
public enum CallMatching: String, Sendable {
    /// Same count, same source line text at every index.
    case indexAndSource = "index and source"
    /// The n-th call with a given source text in A with the n-th in B.
    case source
    /// By index, though the sources differ (no call's source was found in both).
    case index
}

/// One compared quantity: a tensor's value or gradient at one moment (or a
/// whole tensor, or a whole backward call, that only one run has).
public struct DiffRow: Equatable, Sendable {
    public enum Part: String, Sendable { case value, grad, tensor, call }
    public var moment: DiffMoment
    public var name: String
    public var part: Part
    /// `[2, 3]`; `A [2] / B [3]` when the shapes differ.
    public var shape: String
    public var maxAbs: Double?
    public var maxRel: Double?
    public var status: DiffStatus

    public var differs: Bool { status != .same }
}

/// The comparison of two run documents (docs/RUN-DOCUMENT.md): per backward
/// call (matched by index, `tensors_after`) and at the end (`tensors`), the
/// value and gradient of every tensor by name.
public struct RunDiff: Sendable {
    public let tolerance: DiffTolerance
    /// All rows: differing ones first, each group by moment, name, part.
    public let rows: [DiffRow]
    public let callsA: Int
    public let callsB: Int
    public let scope: DiffScope
    /// How calls were paired, and the pairs (1-based indices; nil: no partner).
    public let matching: CallMatching
    public let pairs: [(a: Int?, b: Int?)]
    /// Each run's backward calls by index, for messages that quote each
    /// side's own line.
    let sourcesA: [Int: (line: Int?, source: String)]
    let sourcesB: [Int: (line: Int?, source: String)]
    /// A line about the scripts' errors when they differ (not a tensor).
    public let errorNote: String?

    public var differs: Bool { rows.contains(where: \.differs) || errorNote != nil }

    /// The earliest backward call (then the end) and, within it, the first
    /// tensor by name where A and B part.
    public var firstDivergence: DiffRow? {
        rows.filter(\.differs).min { ($0.moment, $0.name, $0.part.order) < ($1.moment, $1.name, $1.part.order) }
    }

    public init(a: JSON, b: JSON, tolerance: DiffTolerance = DiffTolerance(), scope: DiffScope = .all) throws {
        self.tolerance = tolerance
        self.scope = scope
        for (doc, label) in [(a, "A"), (b, "B")] {
            guard case .object = doc else { throw DiffError.notARunDocument(label, "not a JSON object") }
            if let format = doc["format"], format.stringValue != RunDiff.format {
                throw DiffError.notARunDocument(label, "format \(format.serialized(pretty: false)), expected \"\(RunDiff.format)\"")
            }
        }
        let callsA = try RunDiff.calls(a, "A"), callsB = try RunDiff.calls(b, "B")
        self.callsA = callsA.count
        self.callsB = callsB.count
        sourcesA = RunDiff.sources(callsA)
        sourcesB = RunDiff.sources(callsB)
        (matching, pairs) = RunDiff.pair(callsA.map { $0["source"]?.stringValue ?? "" }, callsB.map { $0["source"]?.stringValue ?? "" })
        var rows: [DiffRow] = []
        for (ia, ib) in pairs {
            switch scope {
            case .all: break
            case .end: continue
            case .after(let k): guard ia == k || (ia == nil && ib == k) else { continue }
            }
            let moment = DiffMoment.backward(a: ia, b: ib)
            switch (ia, ib) {
            case let (ia?, ib?):
                rows += try RunDiff.compare(try RunDiff.tensors(callsA[ia - 1], "tensors_after", "A"),
                                            try RunDiff.tensors(callsB[ib - 1], "tensors_after", "B"), at: moment, tolerance)
            case (_?, nil):
                rows.append(DiffRow(moment: moment, name: "(backward call)", part: .call, shape: "", status: .onlyInA))
            case (nil, _?):
                rows.append(DiffRow(moment: moment, name: "(backward call)", part: .call, shape: "", status: .onlyInB))
            case (nil, nil): break
            }
        }
        if case .after(let k) = scope, !pairs.contains(where: { $0.a == k || ($0.a == nil && $0.b == k) }) {
            throw DiffError.noSuchCall(k, a: callsA.count, b: callsB.count)
        }
        if case .after = scope {} else {
            rows += try RunDiff.compare(try RunDiff.tensors(a, "tensors", "A"), try RunDiff.tensors(b, "tensors", "B"), at: .end, tolerance)
        }
        let key = { (r: DiffRow) in (r.differs ? 0 : 1, r.moment, r.name, r.part.order) }
        self.rows = rows.sorted { key($0) < key($1) }
        let ea = RunDiff.errorText(a["error"]), eb = RunDiff.errorText(b["error"])
        errorNote = ea == eb ? nil : "error: A \(ea ?? "ran to its end"); B \(eb ?? "ran to its end")"
    }

    public static let format = ModelInput.runFormat

    static func sources(_ calls: [JSON]) -> [Int: (line: Int?, source: String)] {
        var out: [Int: (line: Int?, source: String)] = [:]
        for (k, c) in calls.enumerated() { out[k + 1] = (c["line"]?.intValue, c["source"]?.stringValue ?? "") }
        return out
    }

    /// Pairs the calls of A and B (their source texts, in order): by index
    /// when both made the same calls; else the n-th call of a source text in
    /// A with the n-th of the same text in B, in order (a call left over
    /// has no partner); by index when no text is in both.
    static func pair(_ a: [String], _ b: [String]) -> (CallMatching, [(a: Int?, b: Int?)]) {
        if a == b { return (.indexAndSource, a.indices.map { ($0 + 1, $0 + 1) }) }
        var pairs: [(a: Int?, b: Int?)] = []
        var nextB = 0
        var matched = 0
        for (i, source) in a.enumerated() {
            // The next call of B with the same text, keeping both orders.
            if let j = b[nextB...].firstIndex(of: source) {
                for skipped in nextB..<j { pairs.append((nil, skipped + 1)) }
                pairs.append((i + 1, j + 1))
                nextB = j + 1
                matched += 1
            } else {
                pairs.append((i + 1, nil))
            }
        }
        for rest in nextB..<b.count { pairs.append((nil, rest + 1)) }
        if matched == 0 {
            return (.index, (0..<max(a.count, b.count)).map { k in (k < a.count ? k + 1 : nil, k < b.count ? k + 1 : nil) })
        }
        return (.source, pairs)
    }

    static func calls(_ doc: JSON, _ label: String) throws -> [JSON] {
        switch doc["backward"] {
        case nil, .null?: return []
        case .array(let calls)?: return calls
        default: throw DiffError.notARunDocument(label, "\"backward\" is not an array")
        }
    }

    static func tensors(_ doc: JSON, _ field: String, _ label: String) throws -> [(String, JSON)] {
        switch doc[field] {
        case nil, .null?: return []
        case .object(let members)?: return members
        default: throw DiffError.notARunDocument(label, "\"\(field)\" is not an object")
        }
    }

    static func errorText(_ e: JSON?) -> String? {
        guard let e, case .object = e else { return nil }
        let type = e["type"]?.stringValue ?? "error"
        let line = e["line"].map { $0.serialized(pretty: false) } ?? "?"
        return "raised \(type) at line \(line): \(e["message"]?.stringValue ?? "")"
    }

    static func compare(_ a: [(String, JSON)], _ b: [(String, JSON)], at moment: DiffMoment, _ tol: DiffTolerance) throws -> [DiffRow] {
        let da = Dictionary(a, uniquingKeysWith: { x, _ in x }), db = Dictionary(b, uniquingKeysWith: { x, _ in x })
        var rows: [DiffRow] = []
        for name in Set(da.keys).union(db.keys).sorted() {
            switch (da[name], db[name]) {
            case let (ta?, nil):
                rows.append(DiffRow(moment: moment, name: name, part: .tensor, shape: shapeText(ta["shape"]), status: .onlyInA))
            case let (nil, tb?):
                rows.append(DiffRow(moment: moment, name: name, part: .tensor, shape: shapeText(tb["shape"]), status: .onlyInB))
            case let (ta?, tb?):
                let sa = shapeText(ta["shape"]), sb = shapeText(tb["shape"])
                if sa != sb {
                    rows.append(DiffRow(moment: moment, name: name, part: .tensor, shape: "A \(sa) / B \(sb)", status: .shapeDiffers))
                    continue
                }
                // float32 elements compare as float32: a document may write
                // 0.1 (ours) or its float64 expansion (PyTorch's tolist()).
                let float32 = ta["dtype"]?.stringValue == "float32" && tb["dtype"]?.stringValue == "float32"
                rows.append(compareValues(ta["value"], tb["value"], name: name, part: .value, shape: sa, moment: moment, tol,
                                          float32: float32))
                let ga = ta["grad"] ?? .null, gb = tb["grad"] ?? .null
                switch (ga, gb) {
                case (.null, .null): break
                case (.null, _): rows.append(DiffRow(moment: moment, name: name, part: .grad, shape: sa, status: .gradMissingInA))
                case (_, .null): rows.append(DiffRow(moment: moment, name: name, part: .grad, shape: sa, status: .gradMissingInB))
                default: rows.append(compareValues(ga, gb, name: name, part: .grad, shape: sa, moment: moment, tol, float32: float32))
                }
            case (nil, nil): break
            }
        }
        return rows
    }

    static func shapeText(_ shape: JSON?) -> String {
        guard let dims = shape?.arrayValue else { return "?" }
        return "[" + dims.map { $0.serialized(pretty: false) }.joined(separator: ", ") + "]"
    }

    static func compareValues(_ a: JSON?, _ b: JSON?, name: String, part: DiffRow.Part, shape: String,
                              moment: DiffMoment, _ tol: DiffTolerance, float32: Bool = false) -> DiffRow {
        var row = DiffRow(moment: moment, name: name, part: part, shape: shape, status: .same)
        var ea: [Double] = [], eb: [Double] = []
        guard flatten(a ?? .null, into: &ea), flatten(b ?? .null, into: &eb) else {
            row.status = .shapeDiffers
            return row
        }
        if float32 && !isSummary(a) && !isSummary(b) {
            ea = ea.map { Double(Float($0)) }
            eb = eb.map { Double(Float($0)) }
        }
        // A summary (a call `--snapshots first-last` did not keep in full)
        // is compared by its statistics, the other side summarised alike.
        let summaryA = isSummary(a), summaryB = isSummary(b)
        if summaryA != summaryB {
            if summaryA { eb = Statistics(eb).elements } else { ea = Statistics(ea).elements }
        }
        guard ea.count == eb.count else {
            row.status = .shapeDiffers
            return row
        }
        var maxAbs = 0.0, maxRel = 0.0
        for (x, y) in zip(ea, eb) {
            if tol.close(x, y) {
                if x.isFinite && y.isFinite {
                    let d = abs(x - y)
                    maxAbs = max(maxAbs, d)
                    maxRel = max(maxRel, d == 0 ? 0 : (y == 0 ? .infinity : d / abs(y)))
                }
            } else {
                row.status = .differs
                let d = abs(x - y)
                maxAbs = max(maxAbs, d.isNaN ? .infinity : d)
                maxRel = max(maxRel, d.isNaN || y == 0 ? .infinity : d / abs(y))
            }
        }
        row.maxAbs = maxAbs
        row.maxRel = maxRel
        return row
    }

    static func isSummary(_ v: JSON?) -> Bool { v?["summary"] == .bool(true) }

    /// Row-major elements (a summary's statistics: min, max, mean, norm);
    /// false for something that is not a VALUE.
    static func flatten(_ v: JSON, into out: inout [Double]) -> Bool {
        if isSummary(v) {
            let stats = ["min", "max", "mean", "norm"].compactMap { v[$0]?.doubleValue }
            out += stats
            return stats.count == 4
        }
        switch v {
        case .array(let items):
            for item in items { guard flatten(item, into: &out) else { return false } }
            return true
        case .bool(let b): out.append(b ? 1 : 0); return true
        default:
            guard let d = v.doubleValue else { return false }
            out.append(d)
            return true
        }
    }
}

extension DiffRow.Part {
    var order: Int {
        switch self {
        case .call: return 0
        case .tensor: return 1
        case .value: return 2
        case .grad: return 3
        }
    }
}

/// Why `diff` could not compare (exit status 2).
public enum DiffError: Error, Equatable, CustomStringConvertible {
    /// `label` is "A" or "B" (or a path); `reason` says what is wrong.
    case notARunDocument(String, String)
    /// A file that cannot be read or parsed: `path[:line:column]: error: message`.
    case unreadable(path: String, line: Int?, column: Int?, message: String)
    /// `diff -o`: B made no backward call, so it has no graph to colour.
    case nothingToDraw
    /// `diff -o`: B's last backward call kept no graph (`--snapshots none`).
    case lastGraphNotKept
    /// `--at after-K` with no call K in A (nor in B).
    case noSuchCall(Int, a: Int, b: Int)

    public var description: String {
        switch self {
        case let .notARunDocument(label, reason):
            return "\(label) is not a run document (\(RunDiff.format)): \(reason)"
        case let .unreadable(path, line, column, message):
            var position = path
            if let line { position += ":\(line)" }
            if let column { position += ":\(column)" }
            return "\(position): error: \(message)"
        case .nothingToDraw:
            return "cannot draw the picture: B made no backward call, so it has no graph after one"
        case let .noSuchCall(k, a, b):
            return "--at after-\(k): A made \(a) backward call\(a == 1 ? "" : "s") and B \(b)"
        case .lastGraphNotKept:
            return "cannot draw the picture: B's document kept no graph of its last backward call (written with --snapshots none); write it with --snapshots first-last or all"
        }
    }
}
