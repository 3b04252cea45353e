import Foundation
import ModelScript

extension RunDiff {
    /// Numbers in tables: 3 significant digits, `0` for zero, `inf`.
    static func number(_ d: Double?) -> String {
        guard let d else { return "" }
        if d == 0 { return "0" }
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        return String(format: "%.3g", d)
    }

    /// How many rows differ, and in how many tensors.
    public var summary: String {
        let differing = rows.filter(\.differs)
        let compared = rows.count
        let calls: String
        switch scope {
        case .all:
            calls = (callsA == callsB ? "\(callsA) backward call\(callsA == 1 ? "" : "s")"
                     : "A's \(callsA) and B's \(callsB) backward calls") + " and the end"
        case .end: calls = "the end"
        case .after(let k): calls = "backward call #\(k)"
        }
        let tol = "rtol \(RunDiff.number(tolerance.rtol)), atol \(RunDiff.number(tolerance.atol))"
        if !differs {
            return "same: \(compared) comparison\(compared == 1 ? "" : "s") over \(calls), all within \(tol)"
        }
        var counts: [String] = []
        for status in DiffStatus.allCases where status != .same {
            let n = differing.filter { $0.status == status }.count
            if n > 0 { counts.append("\(n) \(status.rawValue)") }
        }
        if errorNote != nil { counts.append("errors differ") }
        let names = Set(differing.map(\.name)).count
        return "differs: \(differing.count) of \(compared) comparison\(compared == 1 ? "" : "s") in \(names) tensor\(names == 1 ? "" : "s") (\(counts.joined(separator: ", "))) over \(calls), \(tol)"
    }

    /// The first divergence as a sentence, or nil when A and B agree.
    public var firstDivergenceText: String? {
        guard let row = firstDivergence else {
            return errorNote.map { "first divergence: \($0)" }
        }
        var place = row.moment.description
        if case let .backward(ia, ib) = row.moment {
            func quote(_ s: (line: Int?, source: String)) -> String { (s.line.map { "line \($0): " } ?? "") + s.source }
            let qa = ia.flatMap { sourcesA[$0] }.map(quote), qb = ib.flatMap { sourcesB[$0] }.map(quote)
            switch (qa, qb) {
            case let (qa?, qb?) where qa == qb: place += " (\(qa))"
            case let (qa?, qb?): place += " (A \(qa); B \(qb))"
            case let (qa?, nil): place += " (A \(qa))"
            case let (nil, qb?): place += " (B \(qb))"
            case (nil, nil): break
            }
        }
        var what = row.name
        switch row.part {
        case .value: what += " value"
        case .grad where row.status == .differs: what += " grad"
        default: break
        }
        var text = "first divergence: \(place): \(what) \(row.status.rawValue)"
        if row.status == .differs, let a = row.maxAbs { text += " (max |Δ| \(RunDiff.number(a)))" }
        return text
    }

    /// How the calls were paired, when that is worth saying: they were not
    /// the same calls in the same order, or only part of the runs is compared.
    public var matchingText: String? {
        switch scope {
        case .end: return "compared at the end only (A made \(callsA) backward call\(callsA == 1 ? "" : "s"), B \(callsB))"
        case .after, .all: break
        }
        let paired = pairs.filter { $0.a != nil && $0.b != nil }
        let scopeText: String
        if case .after(let k) = scope { scopeText = "compared after backward #\(k) only; " } else { scopeText = "" }
        switch matching {
        case .indexAndSource:
            return scopeText.isEmpty ? nil : String(scopeText.dropLast(2))
        case .source:
            let described = pairs.prefix(8).map { p -> String in
                switch (p.a, p.b) {
                case let (a?, b?): return "A#\(a)↔B#\(b)"
                case let (a?, nil): return "A#\(a) unmatched"
                case let (nil, b?): return "B#\(b) unmatched"
                case (nil, nil): return ""
                }
            }.joined(separator: ", ") + (pairs.count > 8 ? ", …" : "")
            return scopeText + "calls matched by source line: \(paired.count) pair\(paired.count == 1 ? "" : "s") (\(described))"
        case .index:
            return scopeText + "calls matched by index: no backward call of A has the source of one of B's (a run that computes the same "
                + "gradients another way compares the same with --at end)"
        }
    }

    /// The table, the summary line and the first divergence. With
    /// `onlyDifferences`, rows that are the same are left out (and counted).
    public func render(onlyDifferences: Bool = false) -> String {
        let header = ["at", "tensor", "of", "shape", "max |Δ|", "max rel Δ", "status"]
        let shown = onlyDifferences ? rows.filter(\.differs) : rows
        let cells = shown.map { r -> [String] in
            [r.moment.description, r.name, r.part == .call || r.part == .tensor ? "" : r.part.rawValue, r.shape,
             RunDiff.number(r.maxAbs), RunDiff.number(r.maxRel), r.status.rawValue]
        }
        var widths = header.map(\.count)
        for row in cells { for (k, c) in row.enumerated() { widths[k] = max(widths[k], c.count) } }
        func line(_ row: [String]) -> String {
            var out = ""
            for (k, c) in row.enumerated() {
                if k == row.count - 1 { out += c } else { out += c.padding(toLength: widths[k] + 2, withPad: " ", startingAt: 0) }
            }
            return out
        }
        var lines = [line(header)] + cells.map(line)
        let hidden = rows.count - shown.count
        if hidden > 0 { lines.append("(\(hidden) same row\(hidden == 1 ? "" : "s") not shown; --no-only-differences shows every row)") }
        if let matchingText { lines.append(matchingText) }
        if let errorNote { lines.append(errorNote) }
        lines.append(summary)
        if let first = firstDivergenceText { lines.append(first) }
        return lines.joined(separator: "\n")
    }

    /// The `diff --json` document.
    public var document: JSON {
        func num(_ d: Double?) -> JSON { d.map(JSON.number) ?? .null }
        func rowJSON(_ r: DiffRow) -> JSON {
            .object([("at", r.moment.json), ("name", .string(r.name)), ("of", .string(r.part.rawValue)),
                     ("shape", .string(r.shape)), ("max_abs", num(r.maxAbs)), ("max_rel", num(r.maxRel)),
                     ("status", .string(r.status.rawValue))])
        }
        return .object([
            ("format", .string("autograd-viz/diff-1")),
            ("status", .string(differs ? "differs" : "same")),
            ("rtol", .number(tolerance.rtol)),
            ("atol", .number(tolerance.atol)),
            ("backward_calls", .object([("a", .integer(callsA)), ("b", .integer(callsB))])),
            ("at", .string({ switch scope { case .all: return "all"; case .end: return "end"; case .after(let k): return "after-\(k)" } }())),
            ("matching", .string(matching.rawValue)),
            ("pairs", .array(pairs.map { .array([$0.a.map(JSON.integer) ?? .null, $0.b.map(JSON.integer) ?? .null]) })),
            ("summary", .string(summary)),
            ("error", errorNote.map(JSON.string) ?? .null),
            ("first_divergence", firstDivergence.map(rowJSON) ?? .null),
            ("rows", .array(rows.map(rowJSON))),
        ])
    }
}

/// What `diff` compares: a run document, or a model script run first.
public enum DiffInput {
    /// Reads `path` as every command does (`ModelInput`): a `.json` with `"format": "autograd-viz/run-1"` is a run
    /// document; a `.json` with `"code"` or a `.py` is a script, run here.
    /// A script that cannot be read or parsed throws; one that raises is
    /// compared as it ran (its document records the error).
    public static func document(path: String) throws -> JSON {
        let model: ModelFile
        do {
            switch try ModelInput.load(path: path) {
            case .runDocument(let document): return document
            case .model(let m): model = m
            }
        } catch let error as ModelFileError {
            throw DiffError.unreadable(path: path, line: error.line, column: error.column, message: error.message)
        }
        let run = ScriptRun(model: model, tables: .none)
        run.run()
        if run.exitStatus == 2 {
            let e = run.error!
            throw DiffError.unreadable(path: path, line: e.location.line, column: e.location.column, message: "\(e.typeName): \(e.message)")
        }
        return run.document
    }
}
