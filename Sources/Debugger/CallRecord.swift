import Autograd
import ModelScript

/// How much of each backward call a run keeps for its document and pictures
/// (`run --snapshots`).
public enum SnapshotPolicy: String, Sendable, CaseIterable {
    /// Full graphs and values for the first and the last call, summaries for
    /// the calls between (the default: a training loop stays fast and small).
    case firstLast = "first-last"
    /// Full graphs and values for every call.
    case all
    /// No graphs; `tensors_after` as summaries.
    case none
}

/// What a run keeps of one backward call. A call is recorded in full (both
/// graphs as snapshot JSON, `tensors_after` as copies of every value) and may
/// later be reduced to a summary (`summarize()`), once the policy says it will
/// not be shown in full: only the summary's few numbers stay in memory.
final class CallRecord {
    let call: BackwardCall
    let raised: String?
    /// Where the call's error began (`note:` lines), when it raised one of
    /// autograd's errors.
    let notes: [String]
    private(set) var before: GraphRecord
    private(set) var after: GraphRecord
    private(set) var tensorsAfter: [CapturedTensor]
    /// The gradients the call handed along (nil when not recorded).
    let flow: FlowRecord?

    init(call: BackwardCall, raised: String?, notes: [String] = [], before: GraphRecord, after: GraphRecord,
         tensorsAfter: [CapturedTensor], flow: FlowRecord? = nil) {
        self.call = call
        self.raised = raised
        self.notes = notes
        self.before = before
        self.after = after
        self.tensorsAfter = tensorsAfter
        self.flow = flow
    }

    var isFull: Bool {
        if case .full = after { return true }
        return false
    }

    /// Keeps only counts of the graphs and statistics of the values.
    func summarize() {
        before = before.summarized
        after = after.summarized
        tensorsAfter = tensorsAfter.map { $0.summarized }
        flow?.summarize()
    }

    /// The CALL object of the run document.
    var json: JSON {
        .object([
            ("index", .integer(call.index)),
            ("line", .integer(call.location.line)),
            ("source", .string(call.source)),
            ("kind", .string(call.kind)),
            ("retain_graph", .bool(call.retainGraph)),
            ("create_graph", .bool(call.createGraph)),
            ("roots", .array(call.roots.map { .string("t\($0.id)") })),
            ("raised", raised.map(JSON.string) ?? .null),
            ("notes", .array(notes.map(JSON.string))),
            ("before", before.json),
            ("after", after.json),
            ("tensors_after", .object(tensorsAfter.map { ($0.name, $0.json) })),
            ("flow", flow?.json ?? .null),
        ])
    }
}

/// One graph snapshot, in full or as counts.
enum GraphRecord {
    case full(JSON)
    /// `{"summary": true, "functions": N, "tensors": N, "saved_retained": N, "saved_freed": N}`
    case summary(functions: Int, tensors: Int, savedRetained: Int, savedFreed: Int)
    case omitted

    var summarized: GraphRecord {
        guard case .full(let graph) = self else { return self }
        var functions = 0, tensors = 0, retained = 0, freed = 0
        for node in graph["nodes"]?.arrayValue ?? [] {
            if node["kind"]?.stringValue == "tensor" {
                tensors += 1
                continue
            }
            functions += 1
            for saved in node["saved"]?.arrayValue ?? [] {
                if saved["state"]?.stringValue == "freed" { freed += 1 } else { retained += 1 }
            }
        }
        return .summary(functions: functions, tensors: tensors, savedRetained: retained, savedFreed: freed)
    }

    var json: JSON {
        switch self {
        case .full(let graph): return graph
        case let .summary(functions, tensors, retained, freed):
            return .object([("summary", .bool(true)), ("functions", .integer(functions)), ("tensors", .integer(tensors)),
                            ("saved_retained", .integer(retained)), ("saved_freed", .integer(freed))])
        case .omitted: return .null
        }
    }
}

/// A named tensor as it was right after a backward call: its metadata and a
/// copy of its elements (and its grad's), or only their statistics.
struct CapturedTensor {
    let name: String
    let shape: [Int]
    let dtype: DType
    let requiresGrad: Bool
    let isLeaf: Bool
    let gradFn: String?
    let value: CapturedValues
    let grad: CapturedValues?
    /// Why `grad` is None (`Explainer.why`).
    let why: String?

    /// Elements are copied for tensors of up to `limit` elements, else
    /// summarised.
    init(name: String, tensor t: Tensor, limit: Int = .max, why: String? = nil) {
        self.why = why
        self.name = name
        shape = t.shape
        dtype = t.dtype
        requiresGrad = t.requiresGrad
        isLeaf = t.isLeaf
        gradFn = t.gradFn?.name
        value = CapturedValues(t, limit: limit)
        grad = t.grad.map { CapturedValues($0, limit: limit) }
    }

    private init(_ t: CapturedTensor, value: CapturedValues, grad: CapturedValues?) {
        name = t.name
        shape = t.shape
        dtype = t.dtype
        requiresGrad = t.requiresGrad
        isLeaf = t.isLeaf
        gradFn = t.gradFn
        self.value = value
        self.grad = grad
        why = t.why
    }

    var summarized: CapturedTensor {
        CapturedTensor(self, value: value.summarized, grad: grad?.summarized)
    }

    /// The TENSOR object of a run document (`tensors`, `tensors_after`).
    var json: JSON {
        .object([
            ("shape", .array(shape.map(JSON.integer))),
            ("dtype", .string(dtype.rawValue)),
            ("requires_grad", .bool(requiresGrad)),
            ("is_leaf", .bool(isLeaf)),
            ("grad_fn", gradFn.map(JSON.string) ?? .null),
            ("value", value.json(shape: shape, dtype: dtype)),
            ("grad", grad.map { $0.json(shape: shape, dtype: dtype) } ?? .null),
            ("why", why.map(JSON.string) ?? .null),
        ])
    }
}

/// Elements in row-major order, or the statistics a summary keeps. A
/// one-element tensor always keeps its value: a loss stays readable in every
/// call of a training loop.
enum CapturedValues {
    case elements([Double])
    case statistics(Statistics)

    init(_ t: Tensor, limit: Int) {
        self = t.numel <= max(limit, 1) ? .elements(t.values) : .statistics(t.withValues { Statistics($0) })
    }

    var summarized: CapturedValues {
        guard case .elements(let values) = self, values.count > 1 else { return self }
        return .statistics(Statistics(values))
    }

    func json(shape: [Int], dtype: DType) -> JSON {
        switch self {
        case .elements(let values): return TensorJSON.values(values, shape: shape, dtype: dtype)
        case .statistics(let s): return TensorJSON.summary(s)
        }
    }
}
