import Foundation

/// What Graphviz reported during one render, collected from its error
/// callback instead of being printed to stderr.
///
/// Graphviz hands the callback pieces: a message is `"Error"` or `"Warning"`,
/// then `": "`, then its text; a continuation of the previous message (level
/// AGPREV, e.g. the context line of an HTML-label error) is text alone.
///
/// NOTE: the callback is a C function pointer without a context argument, so
/// the collector has to be reachable from a static. It is only touched while
/// `GraphvizRenderer`'s lock is held, which is why it can be `@unchecked Sendable`.
final class Diagnostics: @unchecked Sendable {
    private var pieces: [String] = []

    func reset() { pieces.removeAll(keepingCapacity: true) }

    func receive(_ piece: String) { pieces.append(piece) }

    /// The error-level messages, one line per reported line, or nil when
    /// Graphviz reported no error (warnings alone are dropped).
    var errorText: String? {
        var lines: [String] = []
        var inError = false
        var i = 0
        while i < pieces.count {
            let isHeader = (pieces[i] == "Error" || pieces[i] == "Warning")
                && i + 1 < pieces.count && pieces[i + 1] == ": "
            if isHeader {
                inError = pieces[i] == "Error"
                i += 2
                continue
            }
            if inError { lines += Self.lines(of: pieces[i]) }
            i += 1
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    private static func lines(of text: String) -> [String] {
        text.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }
}
