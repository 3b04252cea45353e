internal import CGraphviz
import Foundation

/// Lays out DOT text and renders it to SVG or PNG inside this process, with
/// the Graphviz libraries (libgvc, libcgraph). The only type that calls them.
///
/// Graphviz is not reentrant ("The library is not thread safe", cgraph(3)):
/// its parser, error state and layout engines keep globals, and two threads
/// rendering at once crash even with separate contexts. So there is one
/// renderer per process, `shared`, and every call takes its lock; callers on
/// many threads simply queue. Nothing else in the process may call Graphviz.
public final class GraphvizRenderer: @unchecked Sendable {
    /// The renderer of this process.
    public static let shared = GraphvizRenderer()

    /// Output formats. Each needs its plugin: SVG is in Graphviz's core
    /// plugin, PNG in the cairo (pango) plugin; both ship with libgvc6.
    public enum Format: String, CaseIterable, Sendable {
        case svg, png
    }

    /// Layout engines: `dot` draws ranked layers (autograd graphs read top to
    /// bottom), but its time grows steeply with size, and more steeply still
    /// with edges that span many ranks (a weight every step of an RNN uses);
    /// `sfdp` is force-directed and stays fast on far bigger graphs. Timings
    /// are in docs/GRAPHVIZ.md.
    public enum Layout: String, CaseIterable, Sendable {
        case dot, sfdp
    }

    /// Guards every Graphviz call, and `diagnostics`.
    private let lock = NSLock()
    /// One context for the whole process: it holds the loaded plugins, and
    /// reusing it keeps memory flat over thousands of renders.
    private let context: OpaquePointer
    fileprivate static let diagnostics = Diagnostics()

    private init() {
        // Every message, warnings too, goes to the callback as it is reported,
        // never to stderr. (agseterr(AGMAX) would keep them in a temporary file
        // instead, where aglasterr() returns only the latest, error or not.)
        agseterrf(collectDiagnostic)
        agseterr(AGWARN)
        // gvContext reads the plugin list (config6a) and fails only when it
        // cannot allocate its own structure.
        guard let context = gvContext() else { fatalError("Graphviz: gvContext() could not allocate a context") }
        self.context = context
    }

    deinit {
        gvFreeContext(context)
    }

    /// Lays out `dot` with `layout` and renders it as `format`. The bytes are
    /// copied out of Graphviz's buffer before it is freed.
    ///
    /// Safe to call from any thread: calls run one at a time. Only the first
    /// graph of `dot` is drawn. Throws `GraphvizError` with Graphviz's own
    /// message; nothing is printed. Name the graph (`digraph autograd {`):
    /// an anonymous one is titled "%N" from a counter that runs per process,
    /// so its SVG would differ from render to render.
    public func render(dot: String, format: Format, layout: Layout = .dot) throws -> [UInt8] {
        try render(dot: dot, formatName: format.rawValue, layoutName: layout.rawValue)
    }

    /// The same by Graphviz's own names ("plain", "neato", ...), for the tests
    /// of names no plugin provides and for the benchmark's layout-only timing.
    @_spi(GraphvizNames)
    public func render(dot: String, formatName: String, layoutName: String) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        let diagnostics = Self.diagnostics
        diagnostics.reset()
        agreseterrors()
        // A fresh scanner: no text left over from the previous input, no
        // unterminated comment or string carried into this one, line numbers
        // from 1 and no file name from an earlier `#line` directive.
        aaglex_destroy()
        agsetfile(nil)

        guard let graph = agmemread(dot) else {
            if let message = diagnostics.errorText { throw GraphvizError.syntax(message) }
            throw GraphvizError.noGraph
        }
        defer { agclose(graph) }
        if agerrors() > 0 {
            throw GraphvizError.syntax(diagnostics.errorText ?? "agmemread reported an error")
        }

        if formatName == Format.png.rawValue { fitBitmapLimit(graph) }
        let laidOut = gvLayout(context, graph, layoutName)
        // Also after a failed layout: it frees whatever was built before the failure.
        defer { gvFreeLayout(context, graph) }
        // A malformed HTML label is only an error counted by agerrors(): gvLayout
        // still returns 0 and falls back to the label's raw text.
        if laidOut != 0 || agerrors() > 0 {
            throw GraphvizError.layout(diagnostics.errorText ?? "gvLayout returned \(laidOut)")
        }

        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        let rendered = gvRenderData(context, graph, formatName, &data, &length)
        defer { if let data { gvFreeRenderData(data) } }
        guard rendered == 0, agerrors() == 0, let data else {
            throw GraphvizError.render(diagnostics.errorText ?? "gvRenderData returned \(rendered)")
        }
        // Graphviz reports success with no bytes when a bitmap side rounds to 0
        // pixels (a `size` far smaller than the drawing in one direction).
        guard length > 0 else {
            throw GraphvizError.render("Graphviz rendered an empty \(formatName) picture (a side shorter than one pixel?)")
        }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }
}

/// Graphviz's error callback (there is one per process, like its error state).
private func collectDiagnostic(_ piece: UnsafeMutablePointer<CChar>?) -> Int32 {
    if let piece { GraphvizRenderer.diagnostics.receive(String(cString: piece)) }
    return 0
}
