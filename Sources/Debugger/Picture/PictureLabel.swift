import ModelScript

/// The picture's label, top left: which model and moment, the call's line
/// and flags, and the notes that explain what the picture shows (a raise,
/// freed saved tensors, double backward, faded or hidden parts).
extension PictureDrawing {
    func graphLabel() -> String {
        var lines: [String] = []
        let moment: String
        switch request.moment {
        case .before(let k): moment = "just before backward #\(k)"
        case .after(let k): moment = "just after backward #\(k)"
        case .end: moment = "where the script ended"
        }
        lines.append((request.title.map { "<B>\(DOT.html($0))</B> · " } ?? "") + DOT.html(moment))
        if let call = request.call {
            var where_ = ""
            if let line = call["line"]?.doubleValue { where_ = "line \(Int(line)): " }
            var source = call["source"]?.stringValue ?? ""
            if source.count > 90 { source = String(source.prefix(89)) + "…" }
            let flags = ["retain_graph", "create_graph"].map { key in
                "\(key)=" + (call[key] == .bool(true) ? "True" : "False")
            }.joined(separator: ", ")
            lines.append("<FONT FACE=\"DejaVu Sans Mono\">\(DOT.html(where_ + source))</FONT>  " + DOT.html("(\(flags))"))
        }
        lines += notes()
        return lines.map { $0 + "<BR ALIGN=\"LEFT\"/>" }.joined()
    }

    func notes() -> [String] {
        func colour(_ c: String, _ s: String) -> String { "<FONT COLOR=\"\(c)\">\(DOT.html(s))</FONT>" }
        let secondTime = "“Trying to backward through the graph a second time”"
        var notes: [String] = []
        let raised = request.call?["raised"]?.stringValue
        if let raised {
            notes.append("<B>" + colour(Look.Colour.error, "✖ this call raised \(raised)") + "</B>")
            notes += errorNotes(request.call?["notes"], colour)
        }
        if case .end = request.moment, let error = request.error {
            var text = "✖ the script stopped at line \(error["line"]?.intValue ?? 0): \(error["type"]?.stringValue ?? "Error")"
            var message = error["message"]?.stringValue ?? ""
            if message.count > 160 { message = String(message.prefix(159)) + "…" }
            if !message.isEmpty { text += ": " + message }
            notes += Self.wrapped(text).map { "<B>" + colour(Look.Colour.error, $0) + "</B>" }
            notes += errorNotes(error["notes"], colour)
        }
        let functions = graph.nodes.indices.filter { graph.nodes[$0].function != nil }
        let onPath = functions.filter(isReached)
        func hasFreed(_ g: PictureGraph, _ i: Int) -> Bool { g.nodes[i].function?.saved.contains(where: \.freed) ?? false }
        let freedOnPath = onPath.filter { hasFreed(graph, $0) }
        switch request.moment {
        case .before:
            if !freedOnPath.isEmpty {
                notes.append(colour(Look.Colour.error, "Saved tensors on this graph were freed by an earlier backward:"))
                notes.append(colour(Look.Colour.error, "this call raises \(secondTime)."))
            }
        case .after:
            let retain = request.call?["retain_graph"] == .bool(true)
            let freedEarlier = freedOnPath.filter { i in
                previous.flatMap { p in p.index(graph.nodes[i].id).map { hasFreed(p, $0) } } ?? false
            }
            if !freedOnPath.isEmpty && freedEarlier.count < freedOnPath.count && !retain {
                notes.append(colour(Look.Colour.error, "This backward freed the saved tensors (retain_graph=False): another backward"))
                notes.append(colour(Look.Colour.error, "through this graph raises \(secondTime)."))
            } else if !freedOnPath.isEmpty {
                notes.append(colour(Look.Colour.error, "Saved tensors on this graph had been freed by an earlier backward."))
            } else if retain, onPath.contains(where: { !(graph.nodes[$0].function?.saved.isEmpty ?? true) }) {
                notes.append("retain_graph=True: the saved tensors are kept, this graph can be backpropagated again.")
            }
        case .end:
            if functions.contains(where: { hasFreed(graph, $0) }) {
                notes.append(colour(Look.Colour.error, "Dashed saved tensors were freed by a backward: another backward through"))
                notes.append(colour(Look.Colour.error, "their functions raises \(secondTime)."))
            }
        }
        if let comparison = request.comparison {
            let tolerance = "rtol \(RunDiff.number(comparison.tolerance.rtol)), atol \(RunDiff.number(comparison.tolerance.atol))"
            notes.append("<B>Compared with A</B> (\(DOT.html(tolerance))): each tensor is filled by how far its gradient is from A's (key beside the graph).")
        }
        if functions.contains(where: { selection.isDrawn($0) && graph.nodes[$0].function!.inBackward }) {
            notes.append(colour("purple4", "Purple functions were recorded by a backward with create_graph=True: a double backward can go through them."))
        }
        if reached != nil, functions.contains(where: { selection.isDrawn($0) && !isReached($0) }) {
            notes.append(colour(Look.Colour.fadedText, "Faded functions are not on this call's path: an older graph still held by a name."))
        }
        if let f = selection.focus {
            let name = graph.nodes[f].tensor?.name ?? ""
            let depth = request.options.depth ?? PictureOptions.focusDepth
            notes.append("Focus: '\(DOT.html(name))' and everything within \(depth) edge\(depth == 1 ? "" : "s") of it and its grad_fn"
                         + " (\(selection.shown) of \(selection.total) nodes); --depth K widens it.")
        }
        let modes = Set(shownModules().compactMap { graph.modules[$0].training })
        if !modes.isEmpty {
            let train = modes.contains(true) ? colour(Look.Colour.train, "pink: training mode [train]") : nil
            let eval = modes.contains(false) ? colour(Look.Colour.eval, "blue: eval mode [eval]") : nil
            notes.append("Module calls outlined " + [train, eval].compactMap { $0 }.joined(separator: ", ")
                         + " (Dropout and BatchNorm compute differently in each).")
        }
        if !selection.moduleBoxes.isEmpty, let depth = request.options.depth {
            notes.append("--depth \(depth): module calls nested deeper than \(depth) level\(depth == 1 ? "" : "s") are folded into one box each;"
                         + " --depth \(depth + 1) opens them.")
        }
        if selection.collapsed {
            notes.append("<B>Collapsed</B>: \(selection.shown) of \(selection.total) nodes drawn; each “… N more nodes” box stands for a hidden part.")
            notes.append("Draw more with --max-nodes \(selection.total), or zoom in with --focus NAME --depth K.")
        }
        return notes
    }

    /// `note:` lines of an error (where it began), one per line.
    func errorNotes(_ notes: JSON?, _ colour: (String, String) -> String) -> [String] {
        (notes?.arrayValue ?? []).compactMap(\.stringValue).flatMap { note in
            Self.wrapped("note: " + note).map { colour(Look.Colour.error, $0) }
        }
    }

    /// `text` in lines of at most `width` characters, broken at spaces
    /// (the label stays about as wide as the graph under it).
    static func wrapped(_ text: String, width: Int = 90) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = "    " + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Module calls with a cluster or a box in the picture.
    func shownModules() -> [Int] {
        var shown = [Bool](repeating: false, count: graph.modules.count)
        func show(_ m: Int?) {
            var k = m
            while let j = k, !shown[j] { shown[j] = true; k = graph.modules[j].parent }
        }
        for i in graph.nodes.indices where selection.isDrawn(i) { show(selection.homes[i]) }
        for box in selection.moduleBoxes { show(box.module) }
        return shown.indices.filter { shown[$0] }
    }
}
