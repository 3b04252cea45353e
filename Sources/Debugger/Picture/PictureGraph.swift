import ModelScript

/// A GRAPH snapshot (docs/RUN-DOCUMENT.md) read into typed nodes, in snapshot
/// order (tensors by id, then functions by id). Every later step works on
/// node positions in `nodes`, so the output follows the snapshot's order and
/// never a hash table's.
struct PictureGraph {
    struct Tensor {
        var name: String?
        var shape: [Int]?
        var dtype: String
        var requiresGrad: Bool
        var isLeaf: Bool
        var retainsGrad: Bool
        var gradFn: String?
        var version: Int
        var grad: JSON?
        var value: JSON?
        var root: Bool
        var detachedFrom: String?
        /// The tensor this one is a view of (shares its storage).
        var viewOf: String?
        var noGrad: Bool
        /// An nn.Parameter (frozen when it does not require grad).
        var parameter: Bool
        /// The script line that made it, and the call when one did
        /// (`torch.randn(3, …) @ line 2`).
        var line: Int?
        var madeBy: String?
        /// Why its grad is None (snapshots after a call).
        var why: String?
    }

    struct Saved {
        var name: String
        var freed: Bool
        /// Written in place since it was saved: "saved at version 0, now 1
        /// (line 5: s.mul_(2.0))".
        var stale: String?
        /// The saved tensor's id, while it is still in the snapshot.
        var tensor: String?
    }

    struct Function {
        var name: String
        /// `next_functions` in PyTorch's order; nil for an input that does
        /// not require grad.
        var next: [String?]
        var saved: [Saved]
        /// AccumulateGrad only: the leaf it accumulates into.
        var variable: String?
        var inBackward: Bool
        /// The innermost module call that created it.
        var module: String?
    }

    /// One nn.Module call that made nodes of the graph (a GRAPH's `modules`).
    struct Module {
        var id: String
        /// `model.0: Linear(4, 8)`, ending in ` [train]`/` [eval]` when
        /// `training` is set.
        var label: String
        /// The enclosing call's position in `modules`.
        var parent: Int?
        /// Set for calls whose behaviour depends on the mode (Dropout, BatchNorm).
        var training: Bool?
        /// 1 for an outermost call, 2 for a call inside it, …
        var level: Int
    }

    enum Kind {
        case tensor(Tensor)
        case function(Function)
    }

    struct Node {
        var id: String
        var kind: Kind

        var tensor: Tensor? { if case .tensor(let t) = kind { return t } else { return nil } }
        var function: Function? { if case .function(let f) = kind { return f } else { return nil } }
    }

    private(set) var nodes: [Node] = []
    private var positions: [String: Int] = [:]
    /// Module calls, outermost first (snapshot order).
    private(set) var modules: [Module] = []

    /// The position of the node with this id.
    func index(_ id: String?) -> Int? { id.flatMap { positions[$0] } }

    init(_ json: JSON) throws {
        guard case .object = json, let list = json["nodes"] else {
            throw DebuggerError.malformedGraph(reason: "expected an object with a \"nodes\" array")
        }
        guard let items = list.arrayValue else {
            throw DebuggerError.malformedGraph(reason: "\"nodes\" is not an array")
        }
        for (k, item) in items.enumerated() {
            guard case .object = item, let id = item["id"]?.stringValue else {
                throw DebuggerError.malformedGraph(reason: "node \(k + 1) has no string \"id\"")
            }
            let node: Node
            switch item["kind"]?.stringValue {
            case "tensor"?: node = Node(id: id, kind: .tensor(Self.tensor(item)))
            case "function"?: node = Node(id: id, kind: .function(Self.function(item)))
            default:
                throw DebuggerError.malformedGraph(reason: "node '\(id)' has no \"kind\" \"tensor\" or \"function\"")
            }
            guard positions[id] == nil else {
                throw DebuggerError.malformedGraph(reason: "two nodes have the id '\(id)'")
            }
            positions[id] = nodes.count
            nodes.append(node)
        }
        modules = Self.modules(json["modules"]?.arrayValue ?? [])
    }

    /// Module calls with parents resolved; a call whose parent is unknown
    /// (or part of a cycle) counts as outermost.
    private static func modules(_ items: [JSON]) -> [Module] {
        var position: [String: Int] = [:]
        var out: [Module] = []
        for item in items {
            guard let id = item["id"]?.stringValue, position[id] == nil else { continue }
            position[id] = out.count
            out.append(Module(id: id, label: item["label"]?.stringValue ?? item["path"]?.stringValue ?? id,
                              parent: nil, training: item["training"]?.boolValue, level: 1))
        }
        for item in items {
            guard let id = item["id"]?.stringValue, let k = position[id],
                  let p = item["parent"]?.stringValue.flatMap({ position[$0] }), p != k else { continue }
            out[k].parent = p
        }
        for k in out.indices {
            var level = 1, p = out[k].parent
            while let q = p, level <= out.count {
                level += 1
                p = out[q].parent
            }
            if level > out.count { out[k].parent = nil; level = 1 }
            out[k].level = level
        }
        return out
    }

    /// The module call each node is drawn in: a function's own, and a leaf's
    /// AccumulateGrad's (a module's parameters sit with it). Nil elsewhere.
    func homes() -> [Int?] {
        guard !modules.isEmpty else { return [Int?](repeating: nil, count: nodes.count) }
        var position: [String: Int] = [:]
        for (k, m) in modules.enumerated() { position[m.id] = k }
        // Functions of a create_graph=True backward stay in their own cluster.
        var home = nodes.map { node in node.function.flatMap { $0.inBackward ? nil : $0.module.flatMap { position[$0] } } }
        for (i, node) in nodes.enumerated() {
            if let m = home[i], let v = index(node.function?.variable), nodes[v].tensor?.isLeaf == true, home[v] == nil {
                home[v] = m
            }
        }
        return home
    }

    private static func tensor(_ j: JSON) -> Tensor {
        Tensor(name: j["name"]?.stringValue,
               shape: j["shape"]?.arrayValue?.compactMap(\.intValue),
               dtype: j["dtype"]?.stringValue ?? "?",
               requiresGrad: j["requires_grad"]?.boolValue ?? false,
               isLeaf: j["is_leaf"]?.boolValue ?? true,
               retainsGrad: j["retains_grad"]?.boolValue ?? false,
               gradFn: j["grad_fn"]?.stringValue,
               version: j["version"]?.intValue ?? 0,
               grad: j["grad"].flatMap { $0 == .null ? nil : $0 },
               value: j["value"].flatMap { $0 == .null ? nil : $0 },
               root: j["root"]?.boolValue ?? false,
               detachedFrom: j["detached_from"]?.stringValue,
               viewOf: j["view_of"]?.stringValue,
               noGrad: j["no_grad"]?.boolValue ?? false,
               parameter: j["parameter"]?.boolValue ?? false,
               line: j["line"]?.intValue,
               madeBy: j["made_by"]?.stringValue,
               why: j["why"]?.stringValue)
    }

    /// "saved at version 0, now 1 (line 5: s.mul_(2.0))" from a saved
    /// entry's `stale`.
    static func staleText(_ j: JSON) -> String? {
        guard let saved = j["saved_version"]?.intValue, let now = j["version"]?.intValue else { return nil }
        var text = "saved at version \(saved), now \(now)"
        if let line = j["line"]?.intValue {
            var source = j["source"]?.stringValue ?? ""
            if source.count > 40 { source = String(source.prefix(39)) + "…" }
            text += " (line \(line)" + (source.isEmpty ? ")" : ": \(source))")
        }
        return text
    }

    private static func function(_ j: JSON) -> Function {
        Function(name: j["name"]?.stringValue ?? "?",
                 next: (j["next_functions"]?.arrayValue ?? []).map { $0.arrayValue?.first?.stringValue },
                 saved: (j["saved"]?.arrayValue ?? []).map {
                     Saved(name: $0["name"]?.stringValue ?? "?",
                           freed: $0["state"]?.stringValue == "freed",
                           stale: $0["stale"].flatMap(staleText),
                           tensor: $0["tensor"]?.stringValue)
                 },
                 variable: j["variable"]?.stringValue,
                 inBackward: j["in_backward"]?.boolValue ?? false,
                 module: j["module"]?.stringValue)
    }

    // MARK: Structure

    /// The AccumulateGrad node of each leaf, by the leaf's position.
    func accumulators() -> [Int: Int] {
        var out: [Int: Int] = [:]
        for (i, node) in nodes.enumerated() {
            if let v = index(node.function?.variable) { out[v] = i }
        }
        return out
    }

    /// Function nodes a backward from `roots` runs through: their grad_fn
    /// (or a root leaf's AccumulateGrad) and everything along next_functions.
    func reached(from roots: [Int]) -> [Bool] {
        var seen = [Bool](repeating: false, count: nodes.count)
        let accumulators = accumulators()
        var stack = roots.compactMap { r in index(nodes[r].tensor?.gradFn) ?? accumulators[r] }
        while let i = stack.popLast() {
            guard !seen[i] else { continue }
            seen[i] = true
            for next in nodes[i].function?.next ?? [] {
                if let n = index(next) { stack.append(n) }
            }
        }
        return seen
    }

    /// Every connection a picture may draw, both ways, in a fixed order:
    /// next_functions, AccumulateGrad's leaf, saved tensors, a tensor's
    /// grad_fn and the tensor a detach() came from.
    func neighbours() -> [[Int]] {
        var adjacent = [[Int]](repeating: [], count: nodes.count)
        func link(_ a: Int, _ b: Int?) {
            guard let b, a != b else { return }
            adjacent[a].append(b)
            adjacent[b].append(a)
        }
        for (i, node) in nodes.enumerated() {
            switch node.kind {
            case .function(let f):
                link(i, index(f.variable))
                for next in f.next { link(i, index(next)) }
                for saved in f.saved { link(i, index(saved.tensor)) }
            case .tensor(let t):
                link(i, index(t.gradFn))
                link(i, index(t.detachedFrom))
                link(i, index(t.viewOf))
            }
        }
        return adjacent
    }

    /// The distinct functions each node feeds, in snapshot order: a
    /// function's uses as someone's next function, a tensor's as someone's
    /// saved tensor.
    func uses() -> [[Int]] {
        var uses = [[Int]](repeating: [], count: nodes.count)
        for (i, node) in nodes.enumerated() {
            guard let f = node.function else { continue }
            var tails = f.next.compactMap { index($0) } + f.saved.compactMap { index($0.tensor) }
            var seen = Set<Int>()
            tails = tails.filter { seen.insert($0).inserted }
            for t in tails where t != i { uses[t].append(i) }
        }
        return uses
    }

    /// Saved entries drawn as a node of their own: their tensor is not in
    /// the snapshot (freed and released, or never given).
    func ownSavedNodes(_ f: Function) -> Int {
        f.saved.filter { index($0.tensor) == nil }.count
    }
}

extension JSON {
    fileprivate var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .number, .float:
            guard let d = doubleValue, d == d.rounded(), Swift.abs(d) < 1e15 else { return nil }
            return Int(d)
        default: return nil
        }
    }

    fileprivate var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}
