import Autograd
import ModelScript

/// How much of each backward call `run` prints.
public enum TablePolicy: String, Sendable, CaseIterable {
    /// Full tables for the first and last call, a summary line for the others.
    case firstLast = "first-last"
    case all
    case none
}

/// Which gradients the tables show (`run --grads`).
public enum GradColumn: String, Sendable, CaseIterable {
    /// `.grad` as PyTorch stores it: None for non-leaves without retain_grad.
    case stored
    /// Also the gradient that flowed into every other tensor the call
    /// reached, marked "(flowed, not stored)".
    case all
}

/// One run of a model script with everything the debugger records: printed
/// lines, the error if any, and for each backward call the graph just before
/// and just after it. `document` is the `run --json` contract.
public final class ScriptRun: BackwardObserver {
    public let model: ModelFile
    public let tables: TablePolicy
    /// Which calls keep full graphs and values.
    public let snapshots: SnapshotPolicy
    /// False records no calls at all: a plain `run` prints tables and needs
    /// no document.
    public let recordsCalls: Bool
    /// A call recorded in full whatever the policy (`render --at after-K`).
    public let fullCall: Int?
    public let color: Bool
    /// Receives the human-readable output (script prints and tables) as it
    /// happens.
    public var onOutput: ((String) -> Void)?
    /// Receives what the script prints to `sys.stderr`.
    public var onErrorOutput: ((String) -> Void)?

    /// By call index: a backward run inside a hook finishes before the call
    /// that ran the hook, so records do not arrive in index order.
    private var records: [Int: CallRecord] = [:]
    /// The record with the highest index so far: the last call, under
    /// first-last, until a later one arrives.
    private var latest: CallRecord?
    public private(set) var error: ScriptError?
    public private(set) var interpreter: Interpreter?
    /// Wall time of the script's execution (interpretation, backward calls
    /// and their recording), measured in-process: what `run --timing` prints.
    public private(set) var executionSeconds: Double = 0
    /// "Before" snapshots of the calls under way, innermost last.
    private var pendingBefore: [GraphRecord] = []
    /// The gradient flow of each call running now, innermost last (a hook
    /// may run a backward of its own inside another).
    private var pendingFlows: [FlowRecord?] = []
    private var lastTable: GradientTable?
    private var lastTablePrinted = false
    /// Every backward call so far, for notes that name the one that freed a
    /// saved tensor.
    private var callSites: [Int: CallSite] = [:]
    /// The `note:` lines under the error that stopped the script: where an
    /// autograd error began (empty for other errors).
    public private(set) var errorNotes: [String] = []

    /// Tables list only tensors bound to names (module parameters included,
    /// as `model.0.weight`), not the unnamed ones a call reached (`--params`).
    public let namedOnly: Bool
    /// Which gradients the tables show.
    public let grads: GradColumn
    /// Whether each table is followed by why each `.grad` it shows as None
    /// is None (`run --explain`).
    public let explain: Bool
    /// `run --check`: the limits gradients are checked against, or nil.
    public let check: CheckLimits?
    /// What `--check` flagged, call by call, then for the whole run.
    public private(set) var findings: [CheckFinding] = []
    /// What each call changed in the gradients, and the history of the loss
    /// and the parameters' gradient norms.
    private let timeline = GradTimeline()
    /// `run --history`: print the loss and each parameter's gradient norm
    /// over the calls, as sparklines, at the end.
    public let history: Bool
    /// Ids of the leaves some call's graph led to (`--check`).
    private var leavesReached = Set<Int>()

    public init(model: ModelFile, tables: TablePolicy = .firstLast, snapshots: SnapshotPolicy = .all, recordsCalls: Bool = true,
                fullCall: Int? = nil, color: Bool = false, namedOnly: Bool = false, grads: GradColumn = .stored,
                explain: Bool = false, check: CheckLimits? = nil, history: Bool = false) {
        self.history = history
        self.grads = grads
        self.explain = explain
        self.check = check
        self.model = model
        self.tables = tables
        self.snapshots = snapshots
        self.recordsCalls = recordsCalls
        self.fullCall = fullCall
        self.color = color
        self.namedOnly = namedOnly
    }

    /// Runs the script to its end or its first error. Never throws: a
    /// script's exception is recorded in `error`.
    public func run() {
        let interpreter = Interpreter(path: model.path, seed: model.seed)
        self.interpreter = interpreter
        interpreter.observer = self
        interpreter.recordsLocalNames = recordsCalls || tables != .none
        interpreter.onPrint = { [weak self] line in self?.onOutput?(line) }
        interpreter.onPrintError = { [weak self] line in self?.onErrorOutput?(line) }
        let stopwatch = Stopwatch()
        do {
            try interpreter.run(model.code)
        } catch let e as ScriptError {
            error = e
        } catch {
            self.error = .raised(type: "RuntimeError", message: "\(error)", SourceLocation(line: 1, column: 1))
        }
        executionSeconds = stopwatch.seconds
        if check != nil {
            findings += HealthCheck.starved(interpreter.namedTensors + interpreter.localTensorNames, reached: leavesReached,
                                            calls: callSites.count)
        }
        if case .raised(_, let message, _)? = error {
            let explainer = Explainer(call: nil, raised: true, interpreter: interpreter,
                                      names: interpreter.namedTensors + interpreter.localTensorNames)
            errorNotes = notes(forErrorMessage: message, explainer)
        }
        if tables == .firstLast, let last = lastTable, !lastTablePrinted {
            onOutput?(last.render(color: color, note: "last call", explain: explain))
        }
        if history { for line in timeline.render(color: color) { onOutput?(line) } }
    }

    /// Exit status: 0 ran to its end, 1 the script raised, 2 it could not be
    /// read (syntax or unsupported constructs: nothing ran); a script that
    /// called `sys.exit(code)` gets the status Python gives it.
    public var exitStatus: Int32 {
        switch error {
        case nil: return findings.isEmpty ? 0 : 1
        case .syntax?, .unsupported?: return 2
        case .raised?:
            switch interpreter?.systemExit {
            case .status(let status)?: return status
            case .message?: return 1
            case nil: return 1
            }
        }
    }

    /// Whether the script ran at all: false when it could not be read
    /// (a syntax error, an unsupported construct), so there is nothing to
    /// draw or record.
    public var ran: Bool {
        switch error {
        case .syntax?, .unsupported?: return false
        case nil, .raised?: return true
        }
    }

    /// `sys.exit(code)`: the script chose to end, and Python prints no
    /// traceback, only a code that is not an int (the document still records
    /// the SystemExit, as PyTorch's run does).
    private var exitRequest: Interpreter.ExitRequest? {
        guard case .raised? = error else { return nil }
        return interpreter?.systemExit
    }

    /// `path:line:column: Type: message`, as the CLI prints an error.
    public var errorLine: String? {
        error.map { "\(model.path):\($0.location.line):\($0.location.column): \($0.typeName): \($0.message)" }
    }

    /// The frames of the exception that stopped the script, outermost
    /// first (the last is the error's own position); empty when it did not
    /// raise, or failed before running.
    public var traceback: [TraceFrame] {
        guard case .raised? = error else { return [] }
        return interpreter?.traceback ?? []
    }

    /// What the CLI prints for an error: a Python-style traceback when the
    /// exception came from inside a function (`path:line:column in name`
    /// per frame, innermost last), then the error line, and a note where
    /// the cause is autograd-viz's rather than the script's.
    public var errorReport: [String] {
        switch exitRequest {
        case .status?: return []
        case .message(let text)?: return [text]
        case nil: break
        }
        guard let line = errorLine else { return [] }
        var lines: [String] = []
        let frames = traceback
        if frames.count > 1 {
            lines.append("Traceback (most recent call last):")
            lines += frames.map { "  \(model.path):\($0.location.line):\($0.location.column) in \($0.name)" }
        }
        lines.append(line)
        lines += errorNotes.map { "note: " + $0 }
        if error?.typeName == "ModuleNotFoundError" {
            lines.append("note: autograd-viz runs scripts without a Python installation: besides torch, only the standard modules "
                         + "listed in docs/SCRIPT-LANGUAGE.md (math, random, sys, time, collections, itertools, functools, typing, ...) can be imported")
        }
        return lines
    }

    public var document: JSON {
        let named = interpreter?.namedTensors ?? []
        var errorJSON: JSON = .null
        if let error {
            var fields: [(String, JSON)] = [("type", .string(error.typeName)), ("message", .string(error.message)),
                                            ("line", .integer(error.location.line)), ("column", .integer(error.location.column))]
            if !traceback.isEmpty {
                fields.append(("traceback", .array(traceback.map { frame in
                    .object([("name", .string(frame.name)), ("line", .integer(frame.location.line)),
                             ("column", .integer(frame.location.column))])
                })))
            }
            if !errorNotes.isEmpty { fields.append(("notes", .array(errorNotes.map(JSON.string)))) }
            errorJSON = .object(fields)
        }
        return .object([
            ("format", .string(ModelInput.runFormat)),
            ("producer", .string("autograd-viz")),
            ("name", .string(model.name)),
            ("tensors", .object(named.map { ($0.name, TensorJSON.entry($0.tensor)) })),
            ("stdout", .array((interpreter?.stdout ?? []).map(JSON.string))),
            ("error", errorJSON),
            ("backward", .array(records.keys.sorted().map { records[$0]!.json })),
            ("warnings", .array(uniqueWarnings.map { .string($0.message) })),
            ("check", check == nil ? .null : .array(findings.map(\.json))),
            ("history", recordsCalls ? timeline.json : .null),
        ])
    }

    /// What the terminal prints for `--check`: a heading and one line per
    /// finding, or that nothing was found.
    public var checkReport: [String] {
        guard check != nil else { return [] }
        guard !findings.isEmpty else {
            return ["── check: nothing flagged in \(callSites.count) backward call\(callSites.count == 1 ? "" : "s") (NaN/Inf, exploding, vanishing, dead ReLU, parameters without a gradient)"]
        }
        return ["── check: \(findings.count) problem\(findings.count == 1 ? "" : "s")"] + findings.map { "\($0.kind.rawValue): \($0.message)" }
    }

    /// Each distinct warning once, in first-seen order (as Python's default
    /// filter shows them), with where it was first raised.
    public var uniqueWarnings: [(message: String, location: SourceLocation)] {
        var seen = Set<String>()
        return (interpreter?.warnings ?? []).filter { seen.insert($0.message).inserted }
    }

    /// The warnings as the terminal shows them: once per line that raised
    /// them, without the "(Triggered internally at …)" note naming PyTorch's
    /// own C++ source, which says nothing about the script (the document
    /// keeps PyTorch's exact text).
    public var terminalWarnings: [(message: String, location: SourceLocation)] {
        (interpreter?.warnings ?? []).map { (ScriptRun.withoutSourceNote($0.message), $0.location) }
    }

    static func withoutSourceNote(_ message: String) -> String {
        guard message.hasSuffix(")"), let range = message.range(of: " (Triggered internally at ", options: .backwards) else {
            return message
        }
        return String(message[..<range.lowerBound])
    }

    // MARK: BackwardObserver

    /// How many backward calls the run recorded.
    public var callCount: Int { records.count }

    /// The CALL object of the run document for call `k` (1-based).
    public func call(_ k: Int) -> JSON { records[k]?.json ?? .null }

    /// Whether call `k` kept its graphs (else they are summaries or absent).
    public func isRecordedInFull(_ k: Int) -> Bool { records[k]?.isFull ?? false }

    /// Whether call `k` may be kept in full: under first-last every call is,
    /// until a later one arrives (any call may turn out to be the last).
    private func mayKeepInFull(_ k: Int) -> Bool {
        switch snapshots {
        case .all, .firstLast: return true
        case .none: return k == fullCall
        }
    }

    /// How many elements a tensor of `tensors_after` may have and still be
    /// written out: every one under `all`, as many as a graph snapshot shows
    /// under first-last, one (a loss) in a summary.
    private func valueLimit(_ k: Int) -> Int {
        switch snapshots {
        case .all: return .max
        case .firstLast: return Snapshot.valueLimit
        case .none: return k == fullCall ? Snapshot.valueLimit : 1
        }
    }

    public func willRunBackward(_ call: BackwardCall, in interpreter: Interpreter) {
        callSites[call.index] = CallSite(index: call.index, line: call.location.line, source: call.source)
        if tables != .none {
            timeline.willRun(tableTensors(interpreter.namedTensors, interpreter.localTensorNames,
                                          namedOnly ? [] : ScriptRun.reachedTensors(call.roots)))
        }
        let full = recordsCalls && mayKeepInFull(call.index)
        if recordsCalls {
            pendingBefore.append(full
                ? .full(Snapshot.take(roots: call.roots, named: interpreter.namedTensors, local: interpreter.localTensorNames,
                                      script: interpreter)) : .omitted)
        }
        // The gradients are recorded for the calls whose graphs may be kept,
        // and for the tables that show them.
        let flow = full ? FlowRecord(limit: valueLimit(call.index), countsZeros: check != nil)
            : grads == .all && tables != .none ? FlowRecord(limit: GradientTable.shownElements, countsZeros: check != nil)
            : check != nil ? FlowRecord(limit: 1, countsZeros: true) : nil
        pendingFlows.append(flow)
        interpreter.runtime.gradientFlow = flow
    }

    public func didRunBackward(_ call: BackwardCall, in interpreter: Interpreter, error: Error?) {
        let named = interpreter.namedTensors
        let local = interpreter.localTensorNames
        let flow = pendingFlows.popLast() ?? nil
        interpreter.runtime.gradientFlow = pendingFlows.last ?? nil
        let explainer = Explainer(call: call, raised: error != nil, interpreter: interpreter, names: named + local)
        // The leaves and retain_grad tensors the call's graph reaches, found
        // once for the check and the table.
        let reached = check != nil || tables != .none ? ScriptRun.reachedTensors(call.roots) : []
        if let check, let flow {
            var tensors: [Int: Tensor] = [:]
            for t in reached {
                tensors[t.id] = t
                leavesReached.insert(t.id)
            }
            for (_, t) in named + local { tensors[t.id] = t }
            findings += HealthCheck.inspect(call, flow: flow, error: error, limits: check, explainer: explainer, tensors: tensors)
        }
        let tableReached = namedOnly ? [] : reached
        let changes = tables != .none ? timeline.didRun(tableTensors(named, local, tableReached)) : [:]
        if recordsCalls || history { timeline.record(call, named: named) }
        let callNotes = error.map { self.notes(forErrorMessage: ($0 as? TorchError)?.message ?? "\($0)", explainer) } ?? []
        if recordsCalls {
            record(call, named: named, local: local, flow: mayKeepInFull(call.index) ? flow : nil, explainer: explainer,
                   error: error, notes: callNotes)
        }
        report(call, named: named, local: local, reached: tableReached, flow: grads == .all ? flow : nil, explainer: explainer,
               error: error, notes: callNotes, changes: changes)
    }

    /// The tensors a table of this call may show: named ones and those the
    /// call's graph reaches.
    private func tableTensors(_ named: [(name: String, tensor: Tensor)], _ local: [(name: String, tensor: Tensor)],
                              _ reached: [Tensor]) -> [Tensor] {
        named.map(\.tensor) + local.map(\.tensor) + reached
    }

    /// The notes for an error with this message, when the engine raised it
    /// last (`Runtime.lastProvenance`).
    private func notes(forErrorMessage message: String, _ explainer: Explainer) -> [String] {
        guard let (raised, provenance) = explainer.interpreter.runtime.lastProvenance, raised == message else { return [] }
        return explainer.notes(provenance, calls: callSites)
    }

    private func record(_ call: BackwardCall, named: [(name: String, tensor: Tensor)], local: [(name: String, tensor: Tensor)],
                        flow: FlowRecord?, explainer: Explainer, error: Error?, notes: [String]) {
        let full = mayKeepInFull(call.index)
        let after: GraphRecord = full
            ? .full(Snapshot.take(roots: call.roots, named: named, local: local, explainer: explainer, script: interpreter)) : .omitted
        let limit = valueLimit(call.index)
        let tensors = named.map { CapturedTensor(name: $0.name, tensor: $0.tensor, limit: limit, why: explainer.why($0.tensor)) }
        let record = CallRecord(call: call, raised: error.map(pythonExceptionName(of:)), notes: notes,
                                before: pendingBefore.popLast() ?? .omitted, after: after, tensorsAfter: tensors, flow: flow)
        records[call.index] = record
        // Under first-last, a call that is not the latest keeps a summary
        // unless it is the first (or the one asked for): the latest so far
        // may have just been overtaken, or this call may have finished after
        // a later one that ran inside it.
        let previous = latest
        if latest.map({ $0.call.index < call.index }) ?? true { latest = record }
        if snapshots == .firstLast {
            for candidate in [previous, record].compactMap({ $0 }) where candidate !== latest {
                if candidate.call.index != 1 && candidate.call.index != fullCall && candidate.isFull { candidate.summarize() }
            }
        }
    }

    private func report(_ call: BackwardCall, named: [(name: String, tensor: Tensor)], local: [(name: String, tensor: Tensor)],
                        reached: [Tensor], flow: FlowRecord?, explainer: Explainer, error: Error?, notes: [String],
                        changes: [Int: GradChange]) {
        guard tables != .none else { return }
        // A reached tensor a function named gets that name instead of `<leaf t3>`.
        let globallyNamed = Set(named.map { ObjectIdentifier($0.tensor) })
        let reachedIDs = Set(reached.map(ObjectIdentifier.init))
        let localNamed = local.filter { reachedIDs.contains(ObjectIdentifier($0.tensor)) && !globallyNamed.contains(ObjectIdentifier($0.tensor)) }
        let table = GradientTable(call: call, named: named + localNamed, reached: reached, flow: flow, explainer: explainer,
                                  error: error, notes: notes, changes: changes)
        if tables == .all || call.index == 1 || error != nil {
            onOutput?(table.render(color: color, explain: explain))
            lastTablePrinted = true
        } else {
            onOutput?(summaryLine(call, table, named: named))
            lastTablePrinted = false
        }
        lastTable = table
    }

    private func summaryLine(_ call: BackwardCall, _ table: GradientTable, named: [(name: String, tensor: Tensor)]) -> String {
        let withGrad = table.rows.filter { $0.grad != "None" }.count
        let hint = call.index == 2 ? " (tables for the first and last call only; --tables all shows every one)" : ""
        let root = call.roots.count == 1 ? call.roots[0] : nil
        let loss = GradientTable.loss(call, name: root.flatMap { r in named.first { $0.tensor === r }?.name })
        let added = table.rows.filter { if case .accumulated? = $0.change { return true } else { return false } }.count
        let accumulated = added > 0 ? " (\(added) +=)" : ""
        return "── backward #\(call.index) at line \(call.location.line): \(call.source)\(loss) · \(withGrad) tensor\(withGrad == 1 ? "" : "s") with a grad\(accumulated)\(hint)"
    }

    /// Leaves the roots' graph accumulates into, and retain_grad tensors.
    static func reachedTensors(_ roots: [Tensor]) -> [Tensor] {
        var out: [Tensor] = []
        var seen = Set<ObjectIdentifier>()
        var stack = roots.compactMap { $0.gradFn ?? $0.accumulatorIfAlive }
        while let node = stack.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            if let acc = node as? AccumulateGrad { out.append(acc.variable) }
            out += node.retainingTensors
            for edge in node.nextEdges { if let next = edge.function { stack.append(next) } }
        }
        return out.sorted { $0.id < $1.id }
    }
}
