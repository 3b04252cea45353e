import Autograd
import ModelScript

/// The autograd graph at one moment: every function node reachable from the
/// roots, every tensor bound to a name, and every tensor a node saved.
/// Ids come from creation order (`t3`, `f2`), so snapshots of the same script
/// are identical run after run and `before`/`after` share ids.
struct Snapshot {
    /// Tensors with more elements than this carry a summary instead of values.
    static let valueLimit = 100

    /// `local` names tensors that functions bound (`forward.h1`), where a
    /// tensor drawn anyway has no top-level name.
    /// With an `explainer` (a snapshot after a call), every tensor whose
    /// grad is None says why, and the call that made a tensor is kept.
    static func take(roots: [Tensor], named: [(name: String, tensor: Tensor)], local: [(name: String, tensor: Tensor)] = [],
                     explainer: Explainer? = nil, script: Interpreter? = nil) -> JSON {
        var functions: [Node] = []
        var seen = Set<ObjectIdentifier>()
        var stack = roots.compactMap { $0.gradFn ?? $0.accumulatorIfAlive }
        for (_, t) in named { if let fn = t.gradFn { stack.append(fn) } }
        while let node = stack.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            functions.append(node)
            for edge in node.nextEdges { if let next = edge.function { stack.append(next) } }
        }
        functions.sort { $0.sequenceNr < $1.sequenceNr }

        var names: [ObjectIdentifier: String] = [:]
        var tensors: [Int: Tensor] = [:]
        for (name, t) in named where names[ObjectIdentifier(t)] == nil {
            names[ObjectIdentifier(t)] = name
            tensors[t.id] = t
        }
        for t in roots { tensors[t.id] = t }
        for node in functions {
            if let acc = node as? AccumulateGrad { tensors[acc.variable.id] = acc.variable }
            for saved in node.saved { if let t = saved.original { tensors[t.id] = t } }
        }
        // Tensors of functions' variables: named where already drawn (the
        // graph's outputs, saved tensors, leaves), and drawn where they are a
        // node's output.
        let reachable = Set(functions.map(ObjectIdentifier.init))
        for (name, t) in local where names[ObjectIdentifier(t)] == nil {
            if tensors[t.id] != nil || t.gradFn.map({ reachable.contains(ObjectIdentifier($0)) }) == true {
                names[ObjectIdentifier(t)] = name
                tensors[t.id] = t
            }
        }
        // The tensor a detach() result came from, so a picture can draw the
        // cut, and the base of a view (`x.t()` saved as `mat2` is a view of `x`).
        for t in Array(tensors.values) {
            if let source = t.detachedFrom { tensors[source.id] = source }
            if let base = t.base { tensors[base.id] = base }
        }

        var nodes: [JSON] = []
        for t in tensors.values.sorted(by: { $0.id < $1.id }) {
            var fields: [(String, JSON)] = [
                ("id", .string("t\(t.id)")),
                ("kind", .string("tensor")),
                ("name", names[ObjectIdentifier(t)].map(JSON.string) ?? .null),
                ("shape", .array(t.shape.map(JSON.integer))),
                ("dtype", .string(t.dtype.rawValue)),
                ("requires_grad", .bool(t.requiresGrad)),
                ("is_leaf", .bool(t.isLeaf)),
                ("retains_grad", .bool(t.retainsGrad)),
                ("grad_fn", t.gradFn.map { .string("f\($0.sequenceNr)") } ?? .null),
                ("version", .integer(t.version)),
                ("grad", t.grad.map { TensorJSON.valuesOrSummary($0, limit: valueLimit) } ?? .null),
                ("value", TensorJSON.valuesOrSummary(t, limit: valueLimit)),
            ]
            if roots.contains(where: { $0 === t }) { fields.append(("root", .bool(true))) }
            if let source = t.detachedFrom { fields.append(("detached_from", .string("t\(source.id)"))) }
            if let base = t.base { fields.append(("view_of", .string("t\(base.id)"))) }
            if t.createdUnderNoGrad { fields.append(("no_grad", .bool(true))) }
            if t.isParameter { fields.append(("parameter", .bool(true))) }
            if t.origin.line > 0 { fields.append(("line", .integer(Int(t.origin.line)))) }
            if let explainer {
                if let made = explainer.madeBy(t) { fields.append(("made_by", .string(made))) }
                if let why = explainer.why(t) { fields.append(("why", .string(why))) }
            }
            nodes.append(.object(fields))
        }
        for node in functions {
            var fields: [(String, JSON)] = [
                ("id", .string("f\(node.sequenceNr)")),
                ("kind", .string("function")),
                ("name", .string(node.name)),
                ("next_functions", .array(node.nextEdges.map { edge in
                    .array([edge.function.map { .string("f\($0.sequenceNr)") } ?? .null, .integer(edge.inputNr)])
                })),
                ("saved", .array(node.saved.map { saved in
                    var entry: [(String, JSON)] = [("name", .string(saved.name)),
                                                   ("state", .string(saved.isFreed ? "freed" : "retained"))]
                    if let t = saved.original, tensors[t.id] != nil { entry.append(("tensor", .string("t\(t.id)"))) }
                    if let stale = staleness(saved, script) { entry.append(("stale", stale)) }
                    return .object(entry)
                })),
            ]
            if let acc = node as? AccumulateGrad { fields.append(("variable", .string("t\(acc.variable.id)"))) }
            if let wrapped = node.wrapped { fields.append(("wraps", .string(wrapped.name))) }
            if node.createdInBackward { fields.append(("in_backward", .bool(true))) }
            if let scope = node.moduleScope.last { fields.append(("module", .string("m\(scope.call)"))) }
            nodes.append(.object(fields))
        }
        return .object([("nodes", .array(nodes)), ("modules", .array(moduleCalls(functions)))])
    }

    /// A kept saved tensor written in place since it was saved (the
    /// backward through it will raise): `{"saved_version": 0, "version": 1,
    /// "line": 5, "source": "s.mul_(2.0)"}`, the last two where the latest
    /// write ran.
    static func staleness(_ saved: SavedVariable, _ script: Interpreter?) -> JSON? {
        guard let now = saved.currentVersion, now != saved.versionWhenSaved else { return nil }
        var fields: [(String, JSON)] = [("saved_version", .integer(saved.versionWhenSaved)), ("version", .integer(now))]
        if let write = saved.lastWrite, write.line > 0 {
            fields.append(("line", .integer(Int(write.line))))
            if let script { fields.append(("source", .string(script.lineText(Int(write.line))))) }
        }
        return .object(fields)
    }

    /// Every module call a drawn node was made in, outermost first, with its
    /// parent call: `{"id": "m3", "path": "fc1", "label": "fc1: Linear(4, 8)",
    /// "parent": "m1" | null, "training": b | null}`.
    static func moduleCalls(_ functions: [Node]) -> [JSON] {
        var seen: [Int: JSON] = [:]
        for node in functions {
            for (depth, scope) in node.moduleScope.enumerated() where seen[scope.call] == nil {
                let parent = depth > 0 ? JSON.string("m\(node.moduleScope[depth - 1].call)") : .null
                seen[scope.call] = .object([
                    ("id", .string("m\(scope.call)")), ("path", .string(scope.path)), ("label", .string(scope.label)),
                    ("parent", parent), ("training", scope.training.map(JSON.bool) ?? .null),
                ])
            }
        }
        return seen.keys.sorted().compactMap { seen[$0] }
    }
}
