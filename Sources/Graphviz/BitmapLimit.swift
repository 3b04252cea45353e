internal import CGraphviz
import Foundation

/// Cairo draws bitmaps of at most 32,767 pixels a side. For a bigger picture
/// Graphviz's PNG plugin scales it down and says so with an `fprintf(stderr)`
/// of its own, past the error callback; with a dpi that is zero or negative
/// the size overflows and it does the same. Asking Graphviz to fit the
/// drawing in a slightly smaller square first (the graph's `size`, in
/// inches, which only ever shrinks a drawing) gives the same picture quietly.
extension GraphvizRenderer {
    /// The longest side a PNG gets, in pixels. Cairo's own limit is 32,767,
    /// but a picture that big takes seconds and most of a gigabyte to draw
    /// (a 100-step RNN came out 16,501 × 11,989): big graphs are scaled down
    /// to this, and SVG is the format for reading them in full.
    static let bitmapSideLimit = 8_000.0

    /// Sets the graph's `size` (and, if unusable, `dpi`) so its bitmap fits
    /// cairo's limit; a smaller `size` of the DOT's own is kept. Must precede
    /// the layout, which reads both attributes.
    func fitBitmapLimit(_ graph: UnsafeMutablePointer<Agraph_t>) {
        func attribute(_ name: String) -> String? {
            let value = Self.withMutableCString(name) { agget(graph, $0) }.map { String(cString: $0) }
            return value?.isEmpty == false ? value : nil
        }
        func set(_ name: String, _ value: String) {
            _ = Self.withMutableCString(name) { name in
                Self.withMutableCString(value) { value in
                    Self.withMutableCString("") { agsafeset(graph, name, value, $0) }
                }
            }
        }
        var dpi = 96.0
        if let text = attribute("dpi") ?? attribute("resolution") {
            // Graphviz reads the dpi with atof and uses whatever it gets.
            let value = atof(text)
            if value.isFinite && value > 0 { dpi = value } else { set("dpi", "96") }
        }
        let limit = Self.bitmapSideLimit / dpi
        let requested = attribute("size").flatMap(Self.parseSize)
        let (width, height, fill) = requested ?? (limit, limit, false)
        guard requested == nil || width > limit || height > limit else { return }
        set("size", "\(min(width, limit)),\(min(height, limit))\(fill ? "!" : "")")
    }

    /// Graphviz's `size`: "w,h" or "w" in inches, positive, "!" to scale up too.
    static func parseSize(_ text: String) -> (Double, Double, Bool)? {
        var text = Substring(text.trimmingCharacters(in: .whitespaces))
        let fill = text.hasSuffix("!")
        if fill { text = text.dropLast() }
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        switch numbers.count {
        case 1: if let w = numbers[0], w > 0 { return (w, w, fill) }
        case 2: if let w = numbers[0], let h = numbers[1], w > 0, h > 0 { return (w, h, fill) }
        default: break
        }
        return nil
    }

    /// cgraph takes attribute names and values as `char *` though it only reads them.
    static func withMutableCString<Result>(_ string: String, _ body: (UnsafeMutablePointer<CChar>) -> Result) -> Result {
        var bytes = Array(string.utf8CString)
        return bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
