/// DOT text: quoting, escaping and statements. Whatever a script names its
/// tensors (quotes, `<`, `&`, backslashes, newlines, any language), the
/// output stays valid DOT.
enum DOT {
    /// One attribute of a node, edge or graph.
    enum Attribute {
        /// An escString value, written quoted.
        case text(String, String)
        /// An HTML-like label (already built from `html(_:)` pieces).
        case html(String, String)

        var written: String {
            switch self {
            case let .text(key, value): return "\(key)=\(DOT.quoted(value))"
            case let .html(key, value): return "\(key)=<\(value)>"
            }
        }
    }

    /// A node ID made of snapshot ids and fixed suffixes: ASCII letters and
    /// digits stand for themselves, `_` is doubled and anything else becomes
    /// `_xHEX_`, so different ids stay different and nothing needs quoting
    /// rules beyond the quotes themselves. Parts are joined with `.`, which
    /// an encoded id never contains.
    static func id(_ parts: String...) -> String {
        var out = "\""
        for (k, part) in parts.enumerated() {
            if k > 0 { out += "." }
            for c in part.unicodeScalars {
                switch c {
                case "a"..."z", "A"..."Z", "0"..."9": out.unicodeScalars.append(c)
                case "_": out += "__"
                default: out += "_x" + String(c.value, radix: 16) + "_"
                }
            }
        }
        return out + "\""
    }

    /// A quoted escString: backslashes and quotes escaped, a newline as the
    /// centred line break `\n`, other control characters as U+FFFD.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += " "
            default: out.unicodeScalars.append(c.value < 0x20 || c.value == 0x7F ? "\u{FFFD}" : c)
            }
        }
        return out + "\""
    }

    /// Text inside an HTML-like label: `& < > "` as entities, and control
    /// characters (which Graphviz's XML parser rejects) shown as `\n`, `\t`
    /// or U+FFFD, so a name with a newline still reads as one label line.
    static func html(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c.value < 0x20 || c.value == 0x7F ? "\u{FFFD}" : c)
            }
        }
        return out
    }

    /// Builds a DOT document line by line.
    struct Writer {
        private(set) var text = ""
        private var depth = 0

        mutating func line(_ s: String) {
            text += String(repeating: "  ", count: depth) + s + "\n"
        }

        mutating func open(_ header: String) {
            line(header + " {")
            depth += 1
        }

        mutating func close() {
            depth -= 1
            line("}")
        }

        mutating func attributes(_ kind: String, _ attributes: [Attribute]) {
            line("\(kind) [" + attributes.map(\.written).joined(separator: ", ") + "];")
        }

        mutating func node(_ id: String, _ attributes: [Attribute]) {
            line(attributes.isEmpty ? "\(id);" : "\(id) [" + attributes.map(\.written).joined(separator: ", ") + "];")
        }

        mutating func edge(_ tail: String, _ head: String, _ attributes: [Attribute] = []) {
            line(attributes.isEmpty ? "\(tail) -> \(head);"
                 : "\(tail) -> \(head) [" + attributes.map(\.written).joined(separator: ", ") + "];")
        }
    }
}
