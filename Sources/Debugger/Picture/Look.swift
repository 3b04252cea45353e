/// The visual language of pictures, in one place: the pictures and their
/// legend draw from here, and docs/VISUAL-LEGEND.md describes it.
/// torchviz's colours where torchviz has a convention (weights light blue,
/// backward functions grey, saved tensors orange, outputs green).
enum Look {
    static let font = "DejaVu Sans"

    /// What a tensor is in this graph; one fill each.
    enum TensorRole {
        /// A root of this backward call (the loss).
        case root
        /// A leaf that requires grad: a weight.
        case weight
        /// A module parameter with requires_grad=False: a frozen weight.
        case frozen
        /// An unnamed tensor drawn only because a function saved it.
        case saved(freed: Bool)
        /// Computed under no_grad from tensors that require grad.
        case noGrad
        /// A leaf that does not require grad: an input, a constant, a detach() result.
        case input
        /// Any other non-leaf tensor (an intermediate result bound to a name).
        case intermediate
    }

    enum FunctionRole {
        /// Recorded by the forward pass.
        case forward
        /// Recorded by a backward with create_graph=True.
        case doubleBackward
        /// In the snapshot but not on this backward's path (an older graph
        /// still held by a name).
        case unreached
    }

    enum Colour {
        static let weight = "lightblue"
        static let frozen = "aliceblue"
        static let root = "darkolivegreen1"
        static let saved = "orange"
        static let function = "lightgrey"
        static let doubleBackward = "thistle"
        static let retainGrad = "goldenrod"
        static let faded = "grey55"
        static let fadedText = "grey40"
        static let summary = "lightyellow"
        static let error = "red3"
        static let newGrad = "#0b6623"
        /// The gradient that flowed along an edge during the call.
        static let flow = "#1f4e9c"
        static let accumulatedGrad = "#8a3b00"
        static let oldGrad = "grey35"
        /// Border of a module call in training mode (Dropout, BatchNorm).
        static let train = "deeppink3"
        /// Border of a module call in eval mode.
        static let eval = "dodgerblue3"
    }

    static func tensor(_ role: TensorRole, retainsGrad: Bool) -> [DOT.Attribute] {
        var style = ["rounded", "filled"]
        var attributes: [DOT.Attribute] = []
        switch role {
        case .root: attributes.append(.text("fillcolor", Colour.root))
        case .weight: attributes.append(.text("fillcolor", Colour.weight))
        case .frozen:
            // A weight's colour, washed out and dashed: it keeps no grad.
            style.append("dashed")
            attributes += [.text("fillcolor", Colour.frozen), .text("color", "steelblue4")]
        case .saved(let freed):
            if freed {
                style.append("dashed")
                attributes += [.text("fillcolor", "white"), .text("color", Colour.faded), .text("fontcolor", Colour.fadedText)]
            } else {
                attributes.append(.text("fillcolor", Colour.saved))
            }
        case .noGrad:
            style.append("dotted")
            attributes += [.text("fillcolor", "grey90"), .text("penwidth", "1.6")]
        case .input:
            style.append("dashed")
            attributes += [.text("fillcolor", "white"), .text("color", "grey35")]
        case .intermediate: attributes.append(.text("fillcolor", "white"))
        }
        if retainsGrad { attributes += [.text("color", Colour.retainGrad), .text("penwidth", "3")] }
        return [.text("style", style.joined(separator: ","))] + attributes
    }

    static func function(_ role: FunctionRole) -> [DOT.Attribute] {
        switch role {
        case .forward: return [.text("fillcolor", Colour.function)]
        case .doubleBackward: return [.text("fillcolor", Colour.doubleBackward)]
        case .unreached:
            return [.text("fillcolor", "grey97"), .text("color", Colour.faded), .text("fontcolor", Colour.fadedText)]
        }
    }

    /// A saved entry whose tensor is not otherwise drawn.
    /// `attributes` with another fill (`diff -o` colours by band).
    static func filled(_ attributes: [DOT.Attribute], _ colour: String) -> [DOT.Attribute] {
        var out = attributes.filter { if case .text("fillcolor", _) = $0 { return false } else { return true } }
        if !out.contains(where: { if case .text("style", _) = $0 { return true } else { return false } }) {
            out.append(.text("style", "filled"))
        }
        out.append(.text("fillcolor", colour))
        return out
    }

    static func savedEntry(freed: Bool) -> [DOT.Attribute] {
        freed
            ? [.text("shape", "box"), .text("style", "rounded,dashed"), .text("color", Colour.faded),
               .text("fontcolor", Colour.fadedText), .text("fontsize", "8"), .text("height", "0.2")]
            : [.text("shape", "box"), .text("style", "rounded,filled"), .text("fillcolor", Colour.saved),
               .text("fontsize", "8"), .text("height", "0.2")]
    }

    /// A stand-in for a shared node beside one of its users: its fill,
    /// a dashed outline, small.
    static func reference(tensor role: TensorRole) -> [DOT.Attribute] {
        let fill = tensor(role, retainsGrad: false).compactMap { a -> String? in
            if case .text("fillcolor", let c) = a { return c } else { return nil }
        }.first ?? "white"
        return [.text("style", "rounded,filled,dashed"), .text("fillcolor", fill), .text("fontsize", "8"), .text("height", "0.2")]
    }

    static func reference(function role: FunctionRole) -> [DOT.Attribute] {
        function(role) + [.text("style", "filled,dashed"), .text("fontsize", "8"), .text("height", "0.2")]
    }

    static let summary: [DOT.Attribute] = [.text("shape", "box3d"), .text("fillcolor", Colour.summary)]

    /// The border and title colour of a module call: pink in training mode,
    /// blue in eval mode, grey when its behaviour does not depend on it.
    static func moduleColours(training: Bool?) -> (border: String, text: String) {
        switch training {
        case true?: return (Colour.train, Colour.train)
        case false?: return (Colour.eval, Colour.eval)
        case nil: return ("grey60", "grey25")
        }
    }

    /// The cluster of one module call, labelled with the call.
    static func module(label: String, training: Bool?) -> [DOT.Attribute] {
        let colours = moduleColours(training: training)
        return [.text("label", label), .text("style", "rounded"), .text("color", colours.border), .text("fontcolor", colours.text),
                .text("fontsize", "10"), .text("penwidth", training == nil ? "1" : "2.5")]
    }

    /// A module call folded by `--depth K` into one box.
    static func moduleBox(training: Bool?) -> [DOT.Attribute] {
        let colours = moduleColours(training: training)
        return [.text("shape", "tab"), .text("style", "filled"), .text("fillcolor", "white"), .text("color", colours.border),
                .text("penwidth", training == nil ? "1.2" : "2.5")]
    }

    // MARK: Edges (forward direction, as torchviz: from an input toward the
    // function that used it; gradients flow against the arrows)

    static let nextEdge: [DOT.Attribute] = []
    /// Into a function this call does not reach.
    static let fadedEdge: [DOT.Attribute] = [.text("color", Colour.faded)]
    static let outputEdge: [DOT.Attribute] = [.text("color", "grey40"), .text("arrowsize", "0.5"), .text("penwidth", "0.8")]

    /// An edge labelled with the gradient that flowed along it (against the
    /// arrow) during the call.
    static func withFlow(_ attributes: [DOT.Attribute], _ text: String?) -> [DOT.Attribute] {
        guard let text else { return attributes }
        return attributes + [.text("xlabel", text), .text("fontcolor", Colour.flow)]
    }

    // Edge texts are `xlabel`s, placed after layout: a `label` on any edge
    // makes dot double every rank of the graph (a 5,000-node chain took 20 s
    // to lay out instead of 2.8 s).

    /// From a saved tensor to the function that saved it, labelled with the
    /// saved name (nil: the entry's own node carries it).
    /// A kept saved tensor written in place since: red, labelled with the
    /// versions and the write (the backward through it raises).
    static func staleSavedEdge(_ name: String?, _ stale: String, constrained: Bool) -> [DOT.Attribute] {
        var attributes: [DOT.Attribute] = [.text("dir", "none"), .text("color", Colour.error), .text("penwidth", "1.6"),
                                           .text("fontcolor", Colour.error),
                                           .text("xlabel", (name.map { $0 + ": " } ?? "") + stale)]
        if !constrained { attributes.append(.text("constraint", "false")) }
        return attributes
    }

    static func savedEdge(_ name: String?, freed: Bool, constrained: Bool) -> [DOT.Attribute] {
        var attributes: [DOT.Attribute] = freed
            ? [.text("dir", "none"), .text("style", "dashed"), .text("color", Colour.faded)]
            : [.text("dir", "none"), .text("color", "darkorange")]
        if let name {
            attributes += freed ? [.text("xlabel", name + " (freed)"), .text("fontcolor", Colour.fadedText)]
                : [.text("xlabel", name), .text("fontcolor", "darkorange3")]
        }
        if !constrained { attributes.append(.text("constraint", "false")) }
        return attributes
    }

    static let detachEdge: [DOT.Attribute] = [.text("style", "dashed"), .text("color", "grey30"), .text("arrowhead", "tee"),
                                              .text("xlabel", "detach()"), .text("fontcolor", "grey30")]
    /// Base → view: the same storage seen through other strides.
    static let viewEdge: [DOT.Attribute] = [.text("style", "dotted"), .text("color", "grey40"), .text("arrowhead", "none"),
                                            .text("xlabel", "view"), .text("fontcolor", "grey40")]
    static let summaryEdge: [DOT.Attribute] = [.text("style", "dashed"), .text("color", "grey50")]
    /// To or from a folded module call: the edges of the nodes inside, once.
    static let moduleBoxEdge: [DOT.Attribute] = [.text("color", "grey30")]
    /// A saved-tensor edge into a folded module call: as it was, without
    /// the name (the box hides which function saved it).
    static func moduleBoxSavedEdge(_ saved: [DOT.Attribute]) -> [DOT.Attribute] {
        saved.filter {
            switch $0 {
            case .text("xlabel", _), .text("fontcolor", _): return false
            default: return true
            }
        }
    }
}
