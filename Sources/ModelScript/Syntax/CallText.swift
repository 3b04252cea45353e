/// The source text of the call that starts at a position of a line, as the
/// debugger names a tensor by the expression that made it
/// (`torch.randn(3, requires_grad=True)`, `x.detach()`).
///
/// A call's position is where its primary starts; the text runs from there
/// through the names, calls and subscripts chained onto it
/// (`torch.ones(3).requires_grad_()`), and stops before an operator, so
/// `torch.randn(3) * 0.1` gives `torch.randn(3)`. Brackets are matched
/// with string literals skipped; a call that goes on past its line ends in
/// `…`.
public enum CallText {
    /// Nil when no call starts at `column` (1-based, in Unicode scalars).
    public static func expression(in line: Substring, column: Int) -> String? {
        let s = Array(line.unicodeScalars)
        var i = column - 1
        guard i >= 0, i < s.count else { return nil }
        let start = i
        var sawCall = false
        if isNameStart(s[i]) {
            while i < s.count, isNamePart(s[i]) { i += 1 }
        } else if s[i] == "(" || s[i] == "[" {
            guard let end = closing(s, from: i) else { return text(s, start, s.count) + "…" }
            i = end
        } else {
            return nil
        }
        while i < s.count {
            if s[i] == ".", i + 1 < s.count, isNameStart(s[i + 1]) {
                i += 1
                while i < s.count, isNamePart(s[i]) { i += 1 }
            } else if s[i] == "(" || s[i] == "[" {
                if s[i] == "(" { sawCall = true }
                guard let end = closing(s, from: i) else { return text(s, start, s.count) + "…" }
                i = end
            } else {
                break
            }
        }
        return sawCall ? text(s, start, i) : nil
    }

    /// The position after the bracket that closes the one at `open`, or nil
    /// when the line ends first.
    private static func closing(_ s: [Unicode.Scalar], from open: Int) -> Int? {
        var depth = 0
        var i = open
        while i < s.count {
            switch s[i] {
            case "(", "[", "{": depth += 1
            case ")", "]", "}":
                depth -= 1
                if depth == 0 { return i + 1 }
            case "\"", "'":
                let quote = s[i]
                i += 1
                while i < s.count, s[i] != quote {
                    if s[i] == "\\" { i += 1 }
                    i += 1
                }
            case "#": return nil
            default: break
            }
            i += 1
        }
        return nil
    }

    private static func text(_ s: [Unicode.Scalar], _ from: Int, _ to: Int) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[from..<min(to, s.count)])
        return String(out).trimmingTrailingSpaces
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isXIDStart }
    private static func isNamePart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isXIDContinue }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
