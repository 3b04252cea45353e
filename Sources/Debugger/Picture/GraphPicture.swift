import ModelScript

/// Draws a graph snapshot as DOT text: what autograd's graph looks like just
/// before a backward call, what is left of it just after, or where the
/// script ended. Pure text, no Graphviz needed; the same request always
/// gives the same bytes (node IDs are the snapshot's ids).
///
/// Arrows point the way torchviz draws them, the forward direction: from a
/// function's next function (its input) to the function, from a leaf to its
/// AccumulateGrad, from a function to the tensor it produced. Gradients flow
/// against the arrows.
public enum GraphPicture {
    public static func dot(_ request: PictureRequest) throws -> String {
        let options = request.options
        guard options.maxNodes >= 1 else {
            throw DebuggerError.invalidOption(option: "--max-nodes", value: String(options.maxNodes), expected: "at least 1")
        }
        if let depth = options.depth, depth < 0 {
            throw DebuggerError.invalidOption(option: "--depth", value: String(depth), expected: "0 or more")
        }
        let graph = try PictureGraph(request.graph)
        let previous = try request.previous.map(PictureGraph.init)
        var drawing = try PictureDrawing(request: request, graph: graph, previous: previous)
        return drawing.draw()
    }
}

/// One picture being written.
struct PictureDrawing {
    let request: PictureRequest
    let graph: PictureGraph
    let previous: PictureGraph?
    let roots: [Int]
    /// Functions on this call's path; nil at the end of a script (no call).
    let reached: [Bool]?
    let selection: Selection
    let accumulators: [Int: Int]
    /// Per tensor: the (function, entry) pairs that saved it.
    let savedBy: [[(function: Int, entry: Int)]]
    /// Tensors some detach() result came from.
    let detachSources: Set<Int>
    /// After a call: per function id, the gradients it received (per
    /// output) and passed on (per next edge), as FLOW's GRADIENT objects.
    let flow: [String: (received: [JSON], passed: [JSON])]
    /// After a call: the gradient each root started from.
    let seeds: [JSON]
    var out = DOT.Writer()
    /// Edges to or from summary boxes already drawn.
    var summaryEdges = Set<String>()
    /// References to shared nodes already drawn.
    var references = Set<String>()

    init(request: PictureRequest, graph: PictureGraph, previous: PictureGraph?) throws {
        self.request = request
        self.graph = graph
        self.previous = previous
        var roots = (request.call?["roots"]?.arrayValue ?? []).compactMap { graph.index($0.stringValue) }
        for (i, node) in graph.nodes.enumerated() where node.tensor?.root == true && !roots.contains(i) { roots.append(i) }
        self.roots = roots
        reached = request.call == nil ? nil : graph.reached(from: roots)
        selection = try Selection(graph, options: request.options, roots: roots)
        accumulators = graph.accumulators()
        var savedBy = [[(function: Int, entry: Int)]](repeating: [], count: graph.nodes.count)
        for (i, node) in graph.nodes.enumerated() {
            for (k, saved) in (node.function?.saved ?? []).enumerated() {
                if let t = graph.index(saved.tensor) { savedBy[t].append((i, k)) }
            }
        }
        self.savedBy = savedBy
        detachSources = Set(graph.nodes.compactMap { graph.index($0.tensor?.detachedFrom) })
        var flow: [String: (received: [JSON], passed: [JSON])] = [:]
        var seeds: [JSON] = []
        if case .after = request.moment, request.options.flow != .none, let recorded = request.call?["flow"] {
            for step in recorded["steps"]?.arrayValue ?? [] {
                guard let id = step["function"]?.stringValue else { continue }
                flow[id] = (step["grad_in"]?.arrayValue ?? [], step["grad_out"]?.arrayValue ?? [])
            }
            seeds = recorded["seeds"]?.arrayValue ?? []
        }
        self.flow = flow
        self.seeds = seeds
    }

    /// Gradients with at most this many elements show their values on edges.
    static let flowElements = 4

    /// The text of an edge carrying `gradient` (a FLOW GRADIENT), per
    /// `--flow`: "grad = 3", "grad = [6, 12]", "grad [20, 20] ‖g‖ = 8.61".
    func flowText(_ gradient: JSON?, prefix: String = "grad") -> String? {
        guard let gradient, case .object = gradient, let value = gradient["value"] else { return nil }
        let shape = (gradient["shape"]?.arrayValue ?? []).compactMap(\.intValue)
        var text = prefix + " "
        if request.options.flow == .values, value["summary"] == nil, Labels.flatten(value).count <= Self.flowElements {
            // Four significant digits: an edge label must stay short.
            func nested(_ j: JSON) -> String {
                if let items = j.arrayValue { return "[" + items.map(nested).joined(separator: ", ") + "]" }
                return j.doubleValue.map { Labels.number($0, digits: 4) } ?? Labels.element(j)
            }
            text += "= " + nested(value)
        } else {
            text += "\(Labels.shape(shape)) ‖g‖ = " + (gradient["norm"]?.doubleValue.map { Labels.number($0, digits: 3) } ?? "?")
        }
        let nan = gradient["nan"]?.intValue ?? 0, inf = gradient["inf"]?.intValue ?? 0
        if nan > 0 { text += " · \(nan) nan" }
        if inf > 0 { text += " · \(inf) inf" }
        return text
    }

    func isReached(_ i: Int) -> Bool { reached?[i] ?? true }

    // MARK: Document

    mutating func draw() -> String {
        out.open("digraph autograd")
        out.attributes("graph", [
            .text("rankdir", "TB"), .text("fontname", Look.font), .text("fontsize", "11"),
            .text("labelloc", "t"), .text("labeljust", "l"), .text("nodesep", "0.3"), .text("ranksep", "0.4"),
            .text("bgcolor", "white"), .html("label", graphLabel()),
        ])
        out.attributes("node", [.text("fontname", Look.font), .text("fontsize", "10"), .text("shape", "box"),
                                .text("style", "filled"), .text("height", "0.3"), .text("margin", "0.1,0.04")])
        out.attributes("edge", [.text("fontname", Look.font), .text("fontsize", "9"), .text("arrowsize", "0.7")])
        if request.options.legend { Legend.write(into: &out) }
        if request.comparison != nil { DiffPicture.writeKey(into: &out) }
        let homes = selection.homes
        for i in graph.nodes.indices where selection.isDrawn(i) && homes[i] == nil {
            if let t = graph.nodes[i].tensor { tensorNode(i, t) }
        }
        var doubleBackward: [Int] = []
        for i in graph.nodes.indices where selection.isDrawn(i) && homes[i] == nil {
            guard let f = graph.nodes[i].function else { continue }
            if f.inBackward { doubleBackward.append(i) } else { functionNode(i, f) }
        }
        moduleClusters()
        if !doubleBackward.isEmpty {
            out.open("subgraph cluster_double_backward")
            out.attributes("graph", [.text("label", "recorded by backward (create_graph=True)"), .text("style", "rounded,dashed"),
                                     .text("color", "purple"), .text("fontcolor", "purple4"), .text("fontsize", "10")])
            for i in doubleBackward { functionNode(i, graph.nodes[i].function!) }
            out.close()
        }
        for i in graph.nodes.indices where selection.isDrawn(i) && homes[i] == nil { savedEntryNodes(i) }
        for (k, summary) in selection.summaries.enumerated() { summaryNode(k, summary) }
        for (k, box) in selection.moduleBoxes.enumerated() where graph.modules[box.module].parent == nil { moduleBoxNode(k, box) }
        edges()
        out.close()
        return out.text
    }

    /// Saved entries of function `i` whose tensors are not in the snapshot.
    mutating func savedEntryNodes(_ i: Int) {
        guard let f = graph.nodes[i].function else { return }
        for (k, saved) in f.saved.enumerated() where graph.index(saved.tensor) == nil {
            out.node(DOT.id(graph.nodes[i].id, "saved", String(k)),
                     Look.savedEntry(freed: saved.freed) + [.html("label", DOT.html(saved.name) + (saved.freed ? "<BR/>freed" : ""))])
        }
    }

    // MARK: Module calls

    /// One cluster per module call with something drawn in it, nested as the
    /// calls were; a folded call's box sits in its parent's cluster.
    mutating func moduleClusters() {
        let modules = graph.modules
        guard !modules.isEmpty else { return }
        var needed = [Bool](repeating: false, count: modules.count)
        func need(_ m: Int) {
            var k: Int? = m
            while let j = k, !needed[j] { needed[j] = true; k = modules[j].parent }
        }
        for i in graph.nodes.indices where selection.isDrawn(i) { selection.homes[i].map(need) }
        for box in selection.moduleBoxes { modules[box.module].parent.map(need) }
        for (m, module) in modules.enumerated() where module.parent == nil && needed[m] { moduleCluster(m, needed) }
    }

    mutating func moduleCluster(_ m: Int, _ needed: [Bool]) {
        let module = graph.modules[m]
        out.open("subgraph " + DOT.id("cluster", "module", module.id))
        out.attributes("graph", Look.module(label: module.label, training: module.training))
        let members = graph.nodes.indices.filter { selection.isDrawn($0) && selection.homes[$0] == m }
        for i in members { if let t = graph.nodes[i].tensor { tensorNode(i, t) } }
        for i in members { if let f = graph.nodes[i].function { functionNode(i, f) } }
        for i in members { savedEntryNodes(i) }
        for (k, box) in selection.moduleBoxes.enumerated() where graph.modules[box.module].parent == m { moduleBoxNode(k, box) }
        for (c, child) in graph.modules.enumerated() where child.parent == m && needed[c] { moduleCluster(c, needed) }
        out.close()
    }

    mutating func moduleBoxNode(_ k: Int, _ box: Selection.ModuleBox) {
        let module = graph.modules[box.module]
        let n = box.members.count
        let first = graph.nodes[box.members.first!].id, last = graph.nodes[box.members.last!].id
        out.node(moduleBoxID(k), Look.moduleBox(training: module.training) + [
            .html("label", "<B>\(DOT.html(module.label))</B><BR/>" + Labels.small("\(n) node\(n == 1 ? "" : "s")", italic: true)),
            .text("tooltip", "module call \(module.id), folded: \(first) … \(last)"),
        ])
    }

    func moduleBoxID(_ k: Int) -> String { DOT.id("module", graph.modules[selection.moduleBoxes[k].module].id) }

    // MARK: Nodes

    func nodeID(_ i: Int) -> String { DOT.id(graph.nodes[i].id) }

    func role(_ i: Int, _ t: PictureGraph.Tensor) -> Look.TensorRole {
        if t.root || roots.contains(i) { return .root }
        if t.isLeaf && t.requiresGrad { return .weight }
        if t.parameter && !t.requiresGrad { return .frozen }
        if t.noGrad { return .noGrad }
        if t.name == nil, !savedBy[i].isEmpty, t.detachedFrom == nil, !detachSources.contains(i) {
            let freed = savedBy[i].allSatisfy { graph.nodes[$0.function].function!.saved[$0.entry].freed }
            return .saved(freed: freed)
        }
        return t.isLeaf ? .input : .intermediate
    }

    /// Parameters and their views (`weight.t()` saved as `mat2`) share a
    /// version counter that starts at 1.
    func isParameterOrItsView(_ t: PictureGraph.Tensor) -> Bool {
        if t.parameter { return true }
        guard let base = graph.index(t.viewOf) else { return false }
        return graph.nodes[base].tensor?.parameter ?? false
    }

    mutating func tensorNode(_ i: Int, _ t: PictureGraph.Tensor) {
        var notes: [String] = []
        if t.retainsGrad { notes.append("retain_grad") }
        if t.noGrad { notes.append("no_grad") }
        if t.parameter && !t.requiresGrad { notes.append("frozen: requires_grad=False") }
        // Parameters start at version 1 (their initialisation writes in
        // place, as in PyTorch); only later writes are worth a note.
        if t.version > (isParameterOrItsView(t) ? 1 : 0) { notes.append("modified in place (version \(t.version))") }
        let grad = t.grad.map { Labels.grad($0, shape: t.shape, state: gradState(i, t)) } ?? []
        let id = graph.nodes[i].id
        var look = Look.tensor(role(i, t), retainsGrad: t.retainsGrad)
        if let mark = request.comparison?.marks[id] {
            look = Look.filled(look, mark.band.color)
            if !mark.note.isEmpty { notes.insert(mark.note, at: 0) }
        }
        out.node(nodeID(i), look + [
            .html("label", Labels.tensor(id: id, t, notes: notes, grad: grad)),
            .text("tooltip", Labels.tensorTooltip(id: id, t)),
        ])
    }

    func gradState(_ i: Int, _ t: PictureGraph.Tensor) -> Labels.GradState {
        switch request.moment {
        case .end: return .present
        case .before:
            let accumulates = accumulators[i].map(isReached) ?? false
            let retains = t.retainsGrad && (graph.index(t.gradFn).map(isReached) ?? false)
            return accumulates || retains ? .willAccumulate : .untouched
        case .after:
            guard let previous, let grad = t.grad else { return .present }
            guard let was = previous.index(graph.nodes[i].id).flatMap({ previous.nodes[$0].tensor?.grad }) else { return .new }
            return was == grad ? .unchanged : .accumulated(was: was)
        }
    }

    func functionRole(_ i: Int, _ f: PictureGraph.Function) -> Look.FunctionRole {
        !isReached(i) ? .unreached : f.inBackward ? .doubleBackward : .forward
    }

    mutating func functionNode(_ i: Int, _ f: PictureGraph.Function) {
        var look = Look.function(functionRole(i, f))
        // `diff -o`: a leaf's AccumulateGrad takes the leaf's band.
        if let v = f.variable, let mark = request.comparison?.marks[v] { look = Look.filled(look, mark.band.color) }
        out.node(nodeID(i), look + [.html("label", DOT.html(f.name)),
                                                   .text("tooltip", "\(graph.nodes[i].id) \(f.name)")])
    }

    mutating func summaryNode(_ k: Int, _ summary: Selection.Summary) {
        var functions: [String] = []
        var tensors = 0, saved = 0
        for m in summary.members {
            switch graph.nodes[m].kind {
            case .tensor: tensors += 1
            case .function(let f):
                functions.append(f.name)
                saved += graph.ownSavedNodes(f)
            }
        }
        let first = graph.nodes[summary.members.first!].id, last = graph.nodes[summary.members.last!].id
        // `diff -o`: a hidden region takes its worst band, so hiding never hides a difference.
        let worst = request.comparison.flatMap { c in summary.members.compactMap { c.marks[graph.nodes[$0].id]?.band }.min() }
        out.node(summaryID(k), (worst.map { Look.filled(Look.summary, $0.color) } ?? Look.summary) + [
            .html("label", Labels.summary(functions: functions, tensors: tensors, savedEntries: saved)),
            .text("tooltip", "hidden: \(first) … \(last)"),
        ])
    }

    func summaryID(_ k: Int) -> String { DOT.id("summary", String(k + 1)) }

    // MARK: Edges

    mutating func edges() {
        for (i, node) in graph.nodes.enumerated() {
            guard let f = node.function else { continue }
            let edge = isReached(i) ? Look.nextEdge : Look.fadedEdge
            let flowed = flow[node.id]
            if let v = graph.index(f.variable) { connect(v, i, Look.withFlow(edge, flowText(flowed?.received.first))) }
            for (k, next) in f.next.enumerated() {
                let passed = flowed.flatMap { k < $0.passed.count ? $0.passed[k] : nil }
                if let n = graph.index(next) { connect(n, i, Look.withFlow(edge, flowText(passed)), use: true) }
            }
            for (k, saved) in f.saved.enumerated() {
                if let t = graph.index(saved.tensor) {
                    // A function's own result ranks below it: an edge that
                    // ranked it above would fold the layout back on itself.
                    let own = graph.nodes[t].tensor?.gradFn == node.id
                    connect(t, i, saved.stale.map { Look.staleSavedEdge(saved.name, $0, constrained: !own) }
                        ?? Look.savedEdge(saved.name, freed: saved.freed, constrained: !own), use: true)
                } else if selection.isDrawn(i) {
                    out.edge(DOT.id(node.id, "saved", String(k)), nodeID(i),
                             saved.stale.map { Look.staleSavedEdge(nil, $0, constrained: true) }
                                ?? Look.savedEdge(nil, freed: saved.freed, constrained: true))
                }
            }
        }
        for (i, node) in graph.nodes.enumerated() {
            guard let t = node.tensor else { continue }
            // A root's edge carries the gradient the call started from.
            let seed = roots.firstIndex(of: i).flatMap { $0 < seeds.count ? flowText(seeds[$0], prefix: "seed") : nil }
            if let fn = graph.index(t.gradFn) { connect(fn, i, Look.withFlow(Look.outputEdge, seed)) }
            if let source = graph.index(t.detachedFrom) { connect(source, i, Look.detachEdge) }
            if let base = graph.index(t.viewOf) { connect(base, i, Look.viewEdge) }
        }
    }

    func endpoint(_ i: Int) -> String? {
        switch selection.places[i] {
        case .drawn: return nodeID(i)
        case .summarized(let k): return summaryID(k)
        case .folded(let k): return moduleBoxID(k)
        case .dropped: return nil
        }
    }

    /// An edge between two drawn nodes as it is, or from a reference to a
    /// shared tail (`use`: the tail feeds the head); one touching a hidden
    /// node goes to its summary box, once.
    mutating func connect(_ tail: Int, _ head: Int, _ attributes: [DOT.Attribute], use: Bool = false) {
        guard let a = endpoint(tail), let b = endpoint(head) else { return }
        if selection.isDrawn(tail) && selection.isDrawn(head) {
            guard use && selection.shared[tail] else { return out.edge(a, b, attributes) }
            let reference = DOT.id(graph.nodes[tail].id, "use", graph.nodes[head].id)
            if references.insert(reference).inserted { out.node(reference, referenceNode(tail)) }
            out.edge(reference, b, attributes)
        } else if [tail, head].contains(where: { if case .folded = selection.places[$0] { return true } else { return false } }) {
            // Into a folded module call: the edge keeps its kind (a saved
            // tensor's stays orange and never ranks the box), once per kind.
            let saved = attributes.contains { if case .text("dir", "none") = $0 { return true } else { return false } }
            let style = saved ? Look.moduleBoxSavedEdge(attributes) : Look.moduleBoxEdge
            if a != b, summaryEdges.insert(a + " -> " + b + (saved ? " saved" : "")).inserted { out.edge(a, b, style) }
        } else if a != b, summaryEdges.insert(a + " -> " + b).inserted {
            out.edge(a, b, Look.summaryEdge)
        }
    }

    /// A small stand-in for a shared node, beside one function using it.
    func referenceNode(_ i: Int) -> [DOT.Attribute] {
        let node = graph.nodes[i]
        switch node.kind {
        case .tensor(let t):
            return Look.reference(tensor: role(i, t)) + [.html("label", "<B>\(DOT.html(t.name ?? node.id))</B><BR/>"
                + Labels.small("shared: used by \(selection.useCount[i])", italic: true)),
                .text("tooltip", "\(node.id) (drawn once, referenced here)")]
        case .function(let f):
            let note = graph.index(f.variable).map { "of " + (graph.nodes[$0].tensor?.name ?? graph.nodes[$0].id) } ?? node.id
            return Look.reference(function: functionRole(i, f)) + [.html("label", DOT.html(f.name) + "<BR/>"
                + Labels.small("\(note) · shared: used by \(selection.useCount[i])", italic: true)),
                .text("tooltip", "\(node.id) (drawn once, referenced here)")]
        }
    }
}
