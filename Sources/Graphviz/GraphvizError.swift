import Foundation

/// What can go wrong turning DOT text into a picture. The associated text is
/// Graphviz's own message (trimmed; continuation lines such as "in label of
/// node a" kept on lines of their own), so a caller can show it unchanged.
public enum GraphvizError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The DOT text does not parse, e.g. `syntax error in line 1 near '}'`, or
    /// `syntax error in line 1 scanning a quoted string (missing endquote? ...)`.
    case syntax(String)
    /// The text holds no graph: it is empty, or only blanks and comments.
    case noGraph
    /// Layout failed or reported an error: an engine no installed plugin
    /// provides (`Layout type: "x" not recognized. Use one of: ...`), or a
    /// malformed HTML label (`mismatched tag in line 1`), which Graphviz only
    /// parses while laying out.
    case layout(String)
    /// Rendering failed: no installed plugin writes the format
    /// (`renderer for x is unavailable`), or the renderer reported an error.
    case render(String)
    /// The layout process died of this signal (a fault inside Graphviz;
    /// `GraphvizProcess`).
    case crashed(signal: Int32)
    /// The layout process took longer than this many seconds and was stopped.
    case timedOut(seconds: Double)

    public var description: String {
        switch self {
        case .syntax(let message): return "Graphviz could not read the DOT text: \(message)"
        case .noGraph: return "Graphviz found no graph in the DOT text"
        case .layout(let message): return "Graphviz could not lay out the graph: \(message)"
        case .render(let message): return "Graphviz could not render the picture: \(message)"
        case .crashed(let signal):
            return "Graphviz crashed laying out the picture (\(String(cString: strsignal(signal)))); "
                + "draw fewer nodes with --max-nodes, or part of the graph with --focus"
        case .timedOut(let seconds):
            return "Graphviz took longer than \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s to lay out the picture and was stopped; "
                + "draw fewer nodes with --max-nodes, or part of the graph with --focus"
        }
    }
}
