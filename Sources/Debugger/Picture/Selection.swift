/// Which nodes of a graph a picture draws: all of them, the neighbourhood of
/// a focus tensor (`--focus NAME --depth K`), and — when that is still more
/// than `--max-nodes` — the part nearest the roots and named tensors, with
/// every hidden region replaced by one summary node. Without a focus,
/// `--depth K` folds each module call nested deeper than K levels into one
/// box.
struct Selection {
    /// A region of hidden nodes drawn as one box.
    struct Summary {
        var members: [Int]
    }

    /// A module call folded into one box by `--depth K`.
    struct ModuleBox {
        /// Its position in the graph's `modules`.
        var module: Int
        var members: [Int]
    }

    enum Place: Equatable {
        case drawn
        case summarized(Int)
        /// Inside a module call folded by `--depth K`: drawn as `moduleBoxes[k]`.
        case folded(Int)
        /// Outside the focus: not drawn at all.
        case dropped
    }

    /// A node feeding more functions than this is *shared* (a weight used at
    /// every step of an unrolled loop, its AccumulateGrad): it is drawn once,
    /// and each use gets a small reference node beside the function using
    /// it. Edges from one node to a hundred places across a deep graph would
    /// cross everything, and make Graphviz's layout take minutes.
    static let sharedUses = 8

    /// Nodes with more neighbours than this are explored last when
    /// collapsing, so a hub does not pull every place it touches into view.
    static let hubDegree = 16

    private(set) var places: [Place]
    private(set) var summaries: [Summary] = []
    private(set) var moduleBoxes: [ModuleBox] = []
    /// Per node: the module call it is drawn in (`PictureGraph.homes`).
    let homes: [Int?]
    /// Per node: shared, so drawn through references.
    let shared: [Bool]
    /// Per node: how many functions it feeds.
    let useCount: [Int]
    /// Nodes the whole picture would have: each saved entry without a tensor
    /// of its own, and each reference to a shared node, counts as one.
    let total: Int
    /// Nodes drawn, summary boxes included.
    private(set) var shown = 0
    /// The focus tensor's position, with `--focus`.
    private(set) var focus: Int?

    var collapsed: Bool { !summaries.isEmpty }

    func isDrawn(_ i: Int) -> Bool { places[i] == .drawn }

    init(_ graph: PictureGraph, options: PictureOptions, roots: [Int]) throws {
        let count = graph.nodes.count
        let neighbours = graph.neighbours()
        let uses = graph.uses()
        let shared = uses.map { $0.count > Self.sharedUses }
        self.shared = shared
        useCount = uses.map(\.count)
        /// Shared nodes each function uses: one reference node each.
        var references = [[Int]](repeating: [], count: count)
        for (i, consumers) in uses.enumerated() where shared[i] {
            for c in consumers { references[c].append(i) }
        }
        let own = graph.nodes.map { 1 + ($0.function.map(graph.ownSavedNodes) ?? 0) }
        let cost = (0..<count).map { own[$0] + references[$0].count }
        total = cost.reduce(0, +)
        places = [Place](repeating: .drawn, count: count)

        let accumulators = graph.accumulators()
        /// A tensor never appears without its grad_fn or AccumulateGrad,
        /// nor an AccumulateGrad without its leaf.
        func partner(_ i: Int) -> Int? {
            switch graph.nodes[i].kind {
            case .tensor(let t): return graph.index(t.gradFn) ?? accumulators[i]
            case .function(let f): return graph.index(f.variable)
            }
        }

        homes = graph.homes()
        var candidate = [Bool](repeating: true, count: count)
        var folded = [Int?](repeating: nil, count: count)
        if options.focus == nil, let depth = options.depth {
            moduleBoxes = Self.fold(graph, homes: homes, depth: depth, roots: roots)
            for (k, box) in moduleBoxes.enumerated() {
                for m in box.members {
                    folded[m] = k
                    candidate[m] = false
                }
            }
        }
        // Room for the module boxes is set aside first.
        let maxNodes = max(1, options.maxNodes - moduleBoxes.count)
        var anchors = roots
        if let name = options.focus {
            guard let f = graph.nodes.firstIndex(where: { $0.tensor?.name == name }) else {
                let names = Set(graph.nodes.compactMap { $0.tensor?.name }).sorted()
                throw DebuggerError.unknownFocus(name: name, available: names)
            }
            focus = f
            let start = [f] + (partner(f).map { [$0] } ?? [])
            let distance = Self.distances(from: start, neighbours)
            let depth = options.depth ?? PictureOptions.focusDepth
            candidate = distance.map { $0 <= depth }
            anchors = start + roots
        }
        for (i, node) in graph.nodes.enumerated() where node.tensor?.name != nil { anchors.append(i) }

        var kept = candidate
        let wanted = (0..<count).filter { candidate[$0] }.reduce(0) { $0 + cost[$1] }
        if wanted > maxNodes {
            // Room for the summary boxes is set aside first, so the picture
            // never has more than maxNodes nodes.
            let reserve = max(1, min(50, maxNodes / 20))
            let budget = max(1, maxNodes - reserve)
            kept = [Bool](repeating: false, count: count)
            var used = 0
            let hub = (0..<count).map { shared[$0] || neighbours[$0].count > Self.hubDegree }
            for i in Self.order(anchors: anchors.filter { candidate[$0] }, neighbours, candidate, hub: hub) where !kept[i] {
                let group = [i] + (partner(i).map { candidate[$0] && !kept[$0] ? [$0] : [] } ?? [])
                let groupCost = group.reduce(0) { $0 + cost[$1] }
                // The first node is kept whatever it costs: a picture of nothing helps no one.
                guard used + groupCost <= budget || used == 0 else { break }
                for g in group { kept[g] = true }
                used += groupCost
            }
            let regions = Self.regions(hidden: (0..<count).map { candidate[$0] && !kept[$0] }, neighbours, limit: reserve)
            // Boxes the reserve did not need go to small regions: drawing a
            // region of n nodes instead of its box costs n - 1 more.
            var spare = maxNodes - used - regions.count
            let extra = regions.map { $0.members.reduce(0) { $0 + cost[$1] } - 1 }
            let smallFirst = regions.indices.filter { k in !regions[k].members.contains { shared[$0] } }
                .sorted { extra[$0] != extra[$1] ? extra[$0] < extra[$1] : $0 < $1 }
            var reopened = Set<Int>()
            for k in smallFirst where extra[k] <= spare {
                for m in regions[k].members { kept[m] = true }
                spare -= extra[k]
                reopened.insert(k)
            }
            summaries = regions.indices.filter { !reopened.contains($0) }.map { regions[$0] }
        }
        for i in 0..<count where !kept[i] { places[i] = folded[i].map(Place.folded) ?? .dropped }
        for (k, summary) in summaries.enumerated() {
            for m in summary.members { places[m] = .summarized(k) }
        }
        shown = (0..<count).filter { kept[$0] }.reduce(0) { sum, i in
            sum + own[i] + references[i].filter { kept[$0] }.count
        } + summaries.count + moduleBoxes.count
    }

    /// The module calls `--depth K` folds: each call K + 1 levels deep, with
    /// every node drawn in it or in a call inside it, and the unnamed
    /// tensors only it makes and uses (saved results). Calls without nodes
    /// are left out; boxes in the order of the graph's `modules`.
    static func fold(_ graph: PictureGraph, homes: [Int?], depth: Int, roots: [Int]) -> [ModuleBox] {
        let modules = graph.modules
        /// The call at level depth + 1 that contains call m, if m is that deep.
        func folding(_ m: Int) -> Int? {
            guard modules[m].level > depth else { return nil }
            var k = m
            while modules[k].level > depth + 1, let p = modules[k].parent { k = p }
            return k
        }
        var box = homes.map { $0.flatMap(folding) }
        var users = [[Int]](repeating: [], count: graph.nodes.count)
        for (i, node) in graph.nodes.enumerated() {
            for saved in node.function?.saved ?? [] {
                if let t = graph.index(saved.tensor) { users[t].append(i) }
            }
        }
        for (i, node) in graph.nodes.enumerated() {
            guard let t = node.tensor, box[i] == nil, t.name == nil, !t.root, !roots.contains(i),
                  t.detachedFrom == nil,
                  let b = graph.index(t.gradFn).flatMap({ box[$0] }),
                  graph.index(t.viewOf).map({ box[$0] == b }) ?? true,
                  users[i].allSatisfy({ box[$0] == b }) else { continue }
            box[i] = b
        }
        var members: [Int: [Int]] = [:]
        for (i, b) in box.enumerated() { if let b { members[b, default: []].append(i) } }
        return members.keys.sorted().map { ModuleBox(module: $0, members: members[$0]!) }
    }

    /// Undirected edge counts from `start` (every node of `start` at 0).
    static func distances(from start: [Int], _ neighbours: [[Int]]) -> [Int] {
        var distance = [Int](repeating: .max, count: neighbours.count)
        var queue = start
        for s in start { distance[s] = 0 }
        var head = 0
        while head < queue.count {
            let i = queue[head]
            head += 1
            for n in neighbours[i] where distance[n] == .max {
                distance[n] = distance[i] + 1
                queue.append(n)
            }
        }
        return distance
    }

    /// Candidates in the order a collapsed picture keeps them: breadth-first
    /// from the anchors (roots first, then named tensors), hubs' neighbours
    /// after everything else reachable, then whatever is left in snapshot
    /// order.
    static func order(anchors: [Int], _ neighbours: [[Int]], _ candidate: [Bool], hub: [Bool]) -> [Int] {
        var visited = candidate.map { !$0 }
        var order: [Int] = []
        var queue: [Int] = []
        var deferred: [Int] = []
        func visit(_ i: Int) {
            guard !visited[i] else { return }
            visited[i] = true
            queue.append(i)
        }
        var nextSeed = 0
        anchors.forEach(visit)
        while true {
            var head = 0
            while head < queue.count {
                let i = queue[head]
                head += 1
                order.append(i)
                if hub[i] {
                    deferred += neighbours[i]
                } else {
                    neighbours[i].forEach(visit)
                }
            }
            queue.removeAll()
            if !deferred.isEmpty {
                deferred.forEach(visit)
                deferred.removeAll()
                continue
            }
            while nextSeed < visited.count, visited[nextSeed] { nextSeed += 1 }
            guard nextSeed < visited.count else { break }
            visit(nextSeed)
        }
        return order
    }

    /// Connected regions of hidden nodes, in snapshot order of their first
    /// node; beyond `limit` regions, the rest share the last box.
    static func regions(hidden: [Bool], _ neighbours: [[Int]], limit: Int) -> [Summary] {
        var region = [Int](repeating: -1, count: hidden.count)
        var summaries: [Summary] = []
        for start in hidden.indices where hidden[start] && region[start] < 0 {
            let k = min(summaries.count, limit - 1)
            if k == summaries.count { summaries.append(Summary(members: [])) }
            var stack = [start]
            region[start] = k
            while let i = stack.popLast() {
                summaries[k].members.append(i)
                for n in neighbours[i] where hidden[n] && region[n] < 0 {
                    region[n] = k
                    stack.append(n)
                }
            }
        }
        return summaries.map { Summary(members: $0.members.sorted()) }
    }
}
