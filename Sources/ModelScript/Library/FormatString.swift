/// `str.format`'s format strings, as CPython 3.11 reads them
/// (Objects/stringlib/unicode_format.h): literal text with `{{`/`}}` escapes,
/// and replacement fields `{name.attr[key]!conversion:spec}` whose spec may
/// hold nested fields, one level deep.
///
/// Two ways in:
/// - `renderFormatString(s, host)` formats the string, asking the host for
///   arguments, attributes, items, conversions and `format()`. It raises
///   every error exactly where CPython does: a field's syntax errors when the
///   scan reaches it, its attribute syntax only after its argument is found.
/// - `parseFormatString(s)` returns the whole structure up front, with
///   automatic numbering resolved, raising the first error of the string
///   itself. CPython finds that same error only when it gets there, so where
///   an earlier lookup fails, CPython reports the lookup instead.
public enum FormatPiece: Equatable, Sendable {
    case literal(String)
    case field(ReplacementField)
}

public struct ReplacementField: Equatable, Sendable {
    /// Which argument: `{}` fields get their automatic numbers here.
    public var argument: FieldArgument
    /// `.attr` and `[key]` after the argument, in order.
    public var accessors: [FieldAccessor]
    /// `r`, `s` or `a` after `!`; nil without one.
    public var conversion: Character?
    /// The format spec, its nested fields resolved as pieces; [] when empty.
    public var spec: [FormatPiece]
}

public enum FieldArgument: Equatable, Sendable {
    case index(Int)
    case keyword(String)
}

public enum FieldAccessor: Equatable, Sendable {
    case attribute(String)
    /// `[3]`: all decimal digits.
    case index(Int)
    /// `[key]`: anything else, as a str.
    case key(String)
}

/// What `renderFormatString` needs from the interpreter.
public protocol FormatStringHost {
    associatedtype Object
    /// How many positional arguments there are; nil for `format_map`, where
    /// a positional field is an error.
    var positionalCount: Int? { get }
    /// The positional argument `index` (always in range).
    func positional(_ index: Int) throws -> Object
    /// The keyword argument `name`; the host raises its KeyError.
    func keyword(_ name: String) throws -> Object
    /// `getattr(object, name)`.
    func attribute(_ object: Object, _ name: String) throws -> Object
    /// `object[index]` for `[3]` (an int) and `object[key]` for `[key]` (a str).
    func item(_ object: Object, _ accessor: FieldAccessor) throws -> Object
    /// `repr(object)`, `str(object)` or `ascii(object)` for `r`, `s` and `a`.
    func convert(_ object: Object, _ conversion: Character) throws -> Object
    /// `format(object, spec)`.
    func format(_ object: Object, spec: String) throws -> String
}

/// `s.format(...)`/`s.format_map(...)` with the host's arguments.
public func renderFormatString<Host: FormatStringHost>(_ s: String, _ host: Host) throws -> String {
    var scanner = FormatStringScanner(Array(s.unicodeScalars))
    return try scanner.render(0..<scanner.text.count, host, depth: 2)
}

/// The structure of a format string, or its first error.
public func parseFormatString(_ s: String) throws -> [FormatPiece] {
    var scanner = FormatStringScanner(Array(s.unicodeScalars))
    return try scanner.parse(0..<scanner.text.count, depth: 2)
}

/// The markup scanner (`MarkupIterator`, `parse_field`, `field_name_split`,
/// `FieldNameIterator`), with the automatic-numbering state of one call.
struct FormatStringScanner {
    /// One step of `MarkupIterator_next`: literal text, then maybe a field.
    struct Markup {
        var literal: Range<Int>
        var field: RawField?
    }

    struct RawField {
        var name: Range<Int>
        var conversion: Unicode.Scalar?
        var spec: Range<Int>
        var specNeedsExpanding: Bool
    }

    enum Numbering { case unset, automatic, manual }

    let text: [Unicode.Scalar]
    var numbering = Numbering.unset
    var nextAutomatic = 0

    init(_ text: [Unicode.Scalar]) { self.text = text }

    func string(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(text[r])) }

    // MARK: - Rendering

    mutating func render<Host: FormatStringHost>(_ range: Range<Int>, _ host: Host, depth: Int) throws -> String {
        if depth <= 0 { throw PythonError.value("Max string recursion exceeded") }
        var out = ""
        var position = range.lowerBound
        while let markup = try nextMarkup(&position, end: range.upperBound) {
            out += string(markup.literal)
            guard let field = markup.field else { continue }
            var (object, accessors) = try fieldObject(field.name, host)
            while let accessor = try accessors.next(self) {
                if case .attribute(let name) = accessor {
                    object = try host.attribute(object, name)
                } else {
                    object = try host.item(object, accessor)
                }
            }
            if let c = field.conversion { object = try host.convert(object, try Self.conversion(c)) }
            let spec = field.specNeedsExpanding ? try render(field.spec, host, depth: depth - 1) : string(field.spec)
            out += try host.format(object, spec: spec)
        }
        return out
    }

    /// `get_field_object` up to the argument: its accessors are still unread.
    private mutating func fieldObject<Host: FormatStringHost>(_ name: Range<Int>, _ host: Host) throws
        -> (Host.Object, AccessorScanner) {
        let (argument, accessors) = try splitFieldName(name)
        switch argument {
        case .keyword(let key):
            return (try host.keyword(key), accessors)
        case .index(let i):
            guard let count = host.positionalCount else {
                throw PythonError.value("Format string contains positional fields")
            }
            guard i < count else {
                throw PythonError.index("Replacement index \(i) out of range for positional args tuple")
            }
            return (try host.positional(i), accessors)
        }
    }

    static func conversion(_ c: Unicode.Scalar) throws -> Character {
        switch c {
        case "r", "s", "a": return Character(c)
        default:
            let shown = c.value > 32 && c.value < 127 ? String(Character(c)) : "\\x" + String(c.value, radix: 16)
            throw PythonError.value("Unknown conversion specifier \(shown)")
        }
    }

    // MARK: - Parsing up front

    mutating func parse(_ range: Range<Int>, depth: Int) throws -> [FormatPiece] {
        if depth <= 0 { throw PythonError.value("Max string recursion exceeded") }
        var pieces: [FormatPiece] = []
        func appendLiteral(_ s: String) {
            if s.isEmpty { return }
            if case .literal(let previous)? = pieces.last {
                pieces[pieces.count - 1] = .literal(previous + s)
            } else {
                pieces.append(.literal(s))
            }
        }
        var position = range.lowerBound
        while let markup = try nextMarkup(&position, end: range.upperBound) {
            appendLiteral(string(markup.literal))
            guard let raw = markup.field else { continue }
            var (argument, scanner) = try splitFieldName(raw.name)
            var accessors: [FieldAccessor] = []
            while let accessor = try scanner.next(self) { accessors.append(accessor) }
            let conversion = try raw.conversion.map(Self.conversion)
            var spec: [FormatPiece] = []
            if raw.specNeedsExpanding {
                spec = try parse(raw.spec, depth: depth - 1)
            } else if !raw.spec.isEmpty {
                spec = [.literal(string(raw.spec))]
            }
            pieces.append(.field(ReplacementField(argument: argument, accessors: accessors, conversion: conversion, spec: spec)))
        }
        return pieces
    }

    // MARK: - The markup

    /// `MarkupIterator_next`: nil at the end of `end`.
    func nextMarkup(_ position: inout Int, end: Int) throws -> Markup? {
        if position >= end { return nil }
        let start = position
        var c: Unicode.Scalar = "\0"
        var markupFollows = false
        while position < end {
            c = text[position]
            position += 1
            if c == "{" || c == "}" {
                markupFollows = true
                break
            }
        }
        let atEnd = position >= end
        var length = position - start
        if c == "}" && (atEnd || c != text[position]) {
            throw PythonError.value("Single '}' encountered in format string")
        }
        if atEnd && c == "{" { throw PythonError.value("Single '{' encountered in format string") }
        if !atEnd {
            if c == text[position] {
                // An escaped brace: literal text, no field.
                position += 1
                markupFollows = false
            } else {
                length -= 1
            }
        }
        let literal = start..<(start + length)
        if !markupFollows { return Markup(literal: literal, field: nil) }
        return Markup(literal: literal, field: try parseField(&position, end: end))
    }

    /// `parse_field`: the name, the conversion and the spec of a field whose
    /// `{` was just read.
    func parseField(_ position: inout Int, end: Int) throws -> RawField {
        let nameStart = position
        var c: Unicode.Scalar = "\0"
        scan: while position < end {
            c = text[position]
            position += 1
            switch c {
            case "{":
                throw PythonError.value("unexpected '{' in field name")
            case "[":
                while position < end && text[position] != "]" { position += 1 }
            case "}", ":", "!":
                break scan
            default:
                break
            }
        }
        var field = RawField(name: nameStart..<(position - 1), conversion: nil, spec: position..<position,
                             specNeedsExpanding: false)
        if c == "!" || c == ":" {
            if c == "!" {
                if position >= end {
                    throw PythonError.value("end of string while looking for conversion specifier")
                }
                field.conversion = text[position]
                position += 1
                if position < end {
                    let next = text[position]
                    position += 1
                    if next == "}" { return field }
                    if next != ":" { throw PythonError.value("expected ':' after conversion specifier") }
                }
            }
            let specStart = position
            var depth = 1
            while position < end {
                let d = text[position]
                position += 1
                if d == "{" {
                    field.specNeedsExpanding = true
                    depth += 1
                } else if d == "}" {
                    depth -= 1
                    if depth == 0 {
                        field.spec = specStart..<(position - 1)
                        return field
                    }
                }
            }
            throw PythonError.value("unmatched '{' in format spec")
        }
        if c != "}" { throw PythonError.value("expected '}' before end of string") }
        return field
    }

    // MARK: - Field names

    /// `field_name_split`: the argument (numbering `{}`) and the unread accessors.
    mutating func splitFieldName(_ name: Range<Int>) throws -> (FieldArgument, AccessorScanner) {
        var i = name.lowerBound
        while i < name.upperBound && text[i] != "." && text[i] != "[" { i += 1 }
        let first = name.lowerBound..<i
        let index = try integer(first)
        let empty = first.isEmpty
        let argument: FieldArgument
        if empty || index != nil {
            if numbering == .unset { numbering = empty ? .automatic : .manual }
            if numbering == .manual && empty {
                throw PythonError.value("cannot switch from manual field specification to automatic field numbering")
            }
            if numbering == .automatic && !empty {
                throw PythonError.value("cannot switch from automatic field numbering to manual field specification")
            }
            if empty {
                argument = .index(nextAutomatic)
                nextAutomatic += 1
            } else {
                argument = .index(index!)
            }
        } else {
            argument = .keyword(string(first))
        }
        return (argument, AccessorScanner(position: i, end: name.upperBound))
    }

    /// `get_integer`: the value of all-decimal-digit text, nil otherwise.
    func integer(_ r: Range<Int>) throws -> Int? {
        if r.isEmpty { return nil }
        var value = 0
        for i in r {
            guard let digit = FormatSpec.decimalValue(text[i]) else { return nil }
            if value > (Int.max - digit) / 10 { throw PythonError.value("Too many decimal digits in format string") }
            value = value * 10 + digit
        }
        return value
    }

    /// `FieldNameIterator`: `.attr` and `[key]` parts, read one at a time.
    struct AccessorScanner {
        var position: Int
        let end: Int

        mutating func next(_ scanner: FormatStringScanner) throws -> FieldAccessor? {
            if position >= end { return nil }
            let text = scanner.text
            let c = text[position]
            position += 1
            let accessor: FieldAccessor
            let start = position
            switch c {
            case ".":
                while position < end && text[position] != "." && text[position] != "[" { position += 1 }
                if start == position { throw PythonError.value("Empty attribute in format string") }
                accessor = .attribute(scanner.string(start..<position))
            case "[":
                var closed = false
                while position < end {
                    let d = text[position]
                    position += 1
                    if d == "]" { closed = true; break }
                }
                if !closed { throw PythonError.value("Missing ']' in format string") }
                let key = start..<(position - 1)
                if key.isEmpty { throw PythonError.value("Empty attribute in format string") }
                if let i = try scanner.integer(key) {
                    accessor = .index(i)
                } else {
                    accessor = .key(scanner.string(key))
                }
            default:
                throw PythonError.value("Only '.' or '[' may follow ']' in format field specifier")
            }
            return accessor
        }
    }
}
