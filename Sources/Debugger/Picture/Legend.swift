/// The `--legend` cluster: one example of every style of `Look`, connected
/// the way a real picture connects them.
enum Legend {
    static func write(into out: inout DOT.Writer) {
        func id(_ name: String) -> String { DOT.id("legend", name) }
        func label(_ title: String, _ note: String, extra: [String] = []) -> DOT.Attribute {
            .html("label", (["<B>\(DOT.html(title))</B>", Labels.small(note, italic: true)] + extra).joined(separator: "<BR/>"))
        }
        out.open("subgraph cluster_legend")
        out.attributes("graph", [.text("label", "Legend"), .text("style", "rounded"), .text("color", "grey60"),
                                 .text("fontsize", "10"), .text("labeljust", "l")])
        let newGrad = Labels.grad(.integer(3), shape: [], state: .new)
        let accumulated = Labels.grad(.integer(8), shape: [], state: .accumulated(was: .integer(4)))
        out.node(id("weight"), Look.tensor(.weight, retainsGrad: false) + [label("w", "weight: leaf, requires_grad", extra: newGrad)])
        out.node(id("input"), Look.tensor(.input, retainsGrad: false) + [label("x", "input: leaf, no grad")])
        out.node(id("frozen"), Look.tensor(.frozen, retainsGrad: false) + [label("fc1.weight", "frozen parameter: requires_grad=False")])
        out.node(id("saved"), Look.tensor(.saved(freed: false), retainsGrad: false) + [label("t5", "saved, not named")])
        out.node(id("accumulate"), Look.function(.forward) + [.html("label", "AccumulateGrad")])
        out.node(id("freed"), Look.savedEntry(freed: true) + [.html("label", "other<BR/>freed")])
        out.node(id("function"), Look.function(.forward) + [label("MulBackward0", "backward function (grad_fn)")])
        out.node(id("root"), Look.tensor(.root, retainsGrad: false) + [label("loss", "root of this backward")])
        out.node(id("retain"), Look.tensor(.intermediate, retainsGrad: true)
                 + [label("h", "non-leaf with retain_grad()", extra: accumulated)])
        out.node(id("detached"), Look.tensor(.input, retainsGrad: false) + [label("y", "result of w.detach()")])
        out.node(id("nograd"), Look.tensor(.noGrad, retainsGrad: false) + [label("b", "computed under no_grad")])
        out.node(id("double"), Look.function(.doubleBackward) + [label("MulBackward1", "recorded by create_graph=True")])
        out.node(id("unreached"), Look.function(.unreached) + [label("PowBackward0", "not on this call's path")])
        out.node(id("summary"), Look.summary + [label("… 180 more nodes", "a collapsed region")])
        out.node(id("reference"), Look.reference(tensor: .weight) + [label("W_h", "a shared node, drawn again beside each user")])
        out.node(id("module"), Look.moduleBox(training: nil)
                 + [.html("label", "<B>fc1: Linear(4, 8)</B><BR/>" + Labels.small("a module call folded by --depth K: 6 nodes", italic: true))])
        for (name, title, training) in [("train", "drop: Dropout(p=0.5) [train]", true), ("eval", "bn: BatchNorm1d(3) [eval]", false)] {
            out.open("subgraph " + DOT.id("cluster", "legend", name))
            out.attributes("graph", Look.module(label: title, training: training))
            out.node(id(name), Look.function(.forward) + [label(training ? "MulBackward0" : "NativeBatchNormBackward0",
                                                                  training ? "module call in training mode" : "module call in eval mode")])
            out.close()
        }
        out.node(id("grads"), [.text("shape", "plaintext"), .text("style", ""), .html("label", [
            Labels.grad(.integer(3), shape: [], state: .new)[0] + Labels.small(" new in this call"),
            Labels.grad(.integer(8), shape: [], state: .accumulated(was: .integer(4)))[0] + Labels.small(" added onto an earlier grad"),
            Labels.grad(.integer(4), shape: [], state: .untouched)[0] + Labels.small(" not touched by this call"),
        ].joined(separator: "<BR/>"))])
        out.node(id("arrows"), [.text("shape", "plaintext"), .text("style", ""), .html("label",
            Labels.small("Arrows point forward (as torchviz): from an input") + "<BR/>"
            + Labels.small("to the function that used it. Gradients flow") + "<BR/>"
            + Labels.small("against them, from the root to AccumulateGrad."))])
        out.edge(id("weight"), id("accumulate"), Look.withFlow(Look.nextEdge, "grad = 3 (flowed)"))
        out.edge(id("accumulate"), id("function"), Look.nextEdge)
        out.edge(id("saved"), id("function"), Look.savedEdge("self", freed: false, constrained: true))
        out.edge(id("freed"), id("function"), Look.savedEdge(nil, freed: true, constrained: true))
        out.edge(id("input"), id("saved"), [.text("style", "invis")])
        out.edge(id("function"), id("root"), Look.outputEdge)
        out.edge(id("weight"), id("detached"), Look.detachEdge)
        // Invisible edges stack the unconnected examples in a second column.
        for (a, b) in [("detached", "retain"), ("retain", "nograd"), ("root", "arrows"),
                       ("nograd", "double"), ("double", "unreached"), ("unreached", "summary"), ("summary", "reference"),
                       ("reference", "module"), ("module", "train"), ("train", "eval"),
                       ("arrows", "grads")] {
            out.edge(id(a), id(b), [.text("style", "invis")])
        }
        out.close()
    }
}
