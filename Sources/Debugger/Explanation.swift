import Autograd
import ModelScript

/// What the debugger tells about the tensors of one backward call: the
/// expression that made an unnamed one (`torch.randn(3, …) @ line 2`), and
/// why a `.grad` is None after the call, in the terms PyTorch's rules use
/// (docs/EXPLANATIONS.md lists every reason).
final class Explainer {
    /// The call whose results are explained; nil for an error outside one.
    let call: BackwardCall?
    /// Whether the call raised (then a reached leaf may have no grad yet).
    let raised: Bool
    let interpreter: Interpreter
    private let names: [ObjectIdentifier: String]
    /// Leaves the call's graph accumulates into and the tensors that retain
    /// their grad, found when first needed.
    private lazy var reached = Set(ScriptRun.reachedTensors(call?.roots ?? []).map(ObjectIdentifier.init))

    /// Graph nodes a "its gradient went on to" search visits at most.
    static let searchLimit = 10_000
    /// Leaves that sentence names at most.
    static let leavesNamed = 3
    /// Calls longer than this are shortened to their first argument.
    static let callLength = 24

    init(call: BackwardCall?, raised: Bool, interpreter: Interpreter, names: [(name: String, tensor: Tensor)]) {
        self.call = call
        self.raised = raised
        self.interpreter = interpreter
        var byID: [ObjectIdentifier: String] = [:]
        for (name, t) in names where byID[ObjectIdentifier(t)] == nil { byID[ObjectIdentifier(t)] = name }
        self.names = byID
    }

    /// `torch.randn(3, requires_grad=True) @ line 2`: the call that made the
    /// tensor, or nil when an operator made it (or no script did).
    func madeBy(_ t: Tensor) -> String? {
        guard t.origin.line > 0, let text = interpreter.callText(at: t.origin) else { return nil }
        return "\(Explainer.shortened(text)) @ line \(t.origin.line)"
    }

    /// How tables and sentences call a tensor: its name, else the call that
    /// made it, else its id.
    func label(_ t: Tensor) -> String {
        names[ObjectIdentifier(t)] ?? madeBy(t) ?? "t\(t.id)"
    }

    /// ` at line 5 (`s.mul_(2.0)`)`, or nothing for a position outside the script.
    func at(_ origin: SourceOrigin) -> String {
        let line = Int(origin.line)
        return line > 0 ? " at line \(line) (`\(interpreter.lineText(line))`)" : ""
    }

    /// Why a tensor does not require grad; nil when it does.
    func whyNoGrad(_ t: Tensor) -> String? {
        guard !t.requiresGrad else { return nil }
        let at = at(t.origin)
        if let source = t.detachedFrom {
            return "does not require grad: detached from \(label(source))\(at); a detach() result is cut from the graph"
        }
        if t.createdUnderNoGrad { return "does not require grad: made under no_grad\(at)" }
        if !t.dtype.isFloatingPoint {
            return "does not require grad: its dtype \(t.dtype.rawValue) cannot (only floating-point tensors can require gradients)"
        }
        if t.isParameter { return "does not require grad: a frozen parameter (requires_grad=False)" }
        return "does not require grad: made\(at) from nothing that requires grad; "
            + "pass requires_grad=True or call .requires_grad_() to track it"
    }

    /// Why `t.grad` is None after this call; nil when it is not.
    func why(_ t: Tensor) -> String? {
        guard t.grad == nil else { return nil }
        if let reason = whyNoGrad(t) { return reason }
        let at = at(t.origin)
        if !t.isLeaf && !t.retainsGrad {
            var text = "non-leaf, made by \(t.gradFn?.name ?? "?")\(at): PyTorch keeps .grad only on leaves"
            let leaves = leavesBelow(t)
            if !leaves.isEmpty { text += "; its gradient flowed on to " + leaves }
            let name = names[ObjectIdentifier(t)]
            return text + "; call \(name.map { "\($0).retain_grad()" } ?? ".retain_grad() on it") before backward() to keep it"
        }
        guard let call else { return nil }
        if call.kind == "autograd.grad" {
            return "not stored: torch.autograd.grad returns its gradients instead of writing .grad"
        }
        if !reached.contains(ObjectIdentifier(t)) {
            let root = call.roots.first.map { " (\(label($0)))" } ?? ""
            return "not reached by this backward: it is not on the path from the root\(root) to the leaves"
        }
        if raised { return "this backward raised before a gradient reached it" }
        return "no gradient arrived: every path to it carried None"
    }

    /// The leaves a non-leaf's gradient reaches (`w1, <torch.randn(3) @ line 2>`
    /// and how many more), searching at most `searchLimit` nodes.
    private func leavesBelow(_ t: Tensor) -> String {
        guard let start = t.gradFn else { return "" }
        var leaves: [Tensor] = []
        var seen = Set<ObjectIdentifier>()
        var stack = [start]
        while let node = stack.popLast(), seen.count < Explainer.searchLimit {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            if let acc = node as? AccumulateGrad { leaves.append(acc.variable) }
            for edge in node.nextEdges.reversed() { if let next = edge.function { stack.append(next) } }
        }
        leaves.sort { $0.id < $1.id }
        let shown = leaves.prefix(Explainer.leavesNamed).map(label)
        let more = leaves.count - shown.count
        return shown.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
    }

    /// A long call shortened to its first argument: `nn.Linear(784, …)`.
    static func shortened(_ text: String) -> String {
        guard text.count > callLength, let open = text.firstIndex(of: "(") else { return text }
        let callee = text[..<open]
        var depth = 0
        var firstArgument = ""
        var more = false
        for c in text[text.index(after: open)...] {
            if depth == 0 && (c == "," || c == ")") {
                more = c == ","
                break
            }
            if "([{".contains(c) { depth += 1 }
            if ")]}".contains(c) { depth -= 1 }
            firstArgument.append(c)
        }
        let short = "\(callee)(\(firstArgument), …)"
        return more && short.count <= callLength + 8 ? short : "\(callee)(…)"
    }
}
