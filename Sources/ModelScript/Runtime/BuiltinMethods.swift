import Autograd
import Foundation

/// The methods of builtin values: `str`, `list`, `tuple`, `dict`, `set`,
/// numbers, exceptions and iterators, with CPython's results and messages.
extension Interpreter {
    func builtinMethod(_ object: Value, _ name: String) throws -> Value? {
        func method(_ body: @escaping ([Value], [(String, Value)]) throws -> Value) -> Value {
            .function(Function("\(typeName(of: object)).\(name)", body))
        }
        switch object {
        case .string(let s): return stringMethod(s, name, method)
        case .list(let box): return listMethod(box, name, method)
        case .tuple(let items):
            switch name {
            case "count": return method { [unowned self] a, _ in .int(try items.filter { try self.identicalOrEqual($0, try Self.one(a, "count")) }.count) }
            case "index": return method { [unowned self] a, _ in
                guard !a.isEmpty else { throw Raise.type("index expected at least 1 argument, got 0") }
                let target = a[0]
                let (from, to) = try Self.searchRange(a, items.count)
                guard from < to, let i = try items[from..<to].firstIndex(where: { try self.identicalOrEqual($0, target) }) else {
                    throw Raise.value("tuple.index(x): x not in tuple")
                }
                return .int(i)
            }
            default: return nil
            }
        case .object(let d as DictObject): return dictMethod(d, name, method)
        case .object(let s as SetObject): return setMethod(s, name, method)
        case .int, .bigInt:
            let n = PythonNumbers.integer(PythonNumbers.number(object)!)!
            switch name {
            case "bit_length": return method { _, _ in .int(n.bitLength) }
            case "bit_count": return method { _, _ in .int(n.bitCount) }
            case "as_integer_ratio": return method { _, _ in .tuple([object, .int(1)]) }
            case "conjugate": return method { _, _ in object }
            case "real", "numerator": return object
            case "imag": return .int(0)
            case "denominator": return .int(1)
            default: return nil
            }
        case .float(let d):
            switch name {
            case "is_integer": return method { _, _ in .bool(d.isFinite && d.rounded() == d) }
            case "real": return .float(d)
            case "imag": return .float(0)
            case "hex": return method { _, _ in .string(Self.floatHex(d)) }
            default: return nil
            }
        case .object(let d as DequeObject):
            let box = d.box
            switch name {
            case "append": return method { a, _ in box.items.append(try Self.one(a, "append")); d.trim(fromFront: true); return .none }
            case "appendleft": return method { a, _ in box.items.insert(try Self.one(a, "appendleft"), at: 0); d.trim(fromFront: false); return .none }
            case "pop": return method { _, _ in
                guard !box.items.isEmpty else { throw Raise.index("pop from an empty deque") }
                return box.items.removeLast()
            }
            case "popleft": return method { _, _ in
                guard !box.items.isEmpty else { throw Raise.index("pop from an empty deque") }
                return box.items.removeFirst()
            }
            case "extend": return method { [unowned self] a, _ in box.items += try self.items(of: Self.one(a, "extend")); d.trim(fromFront: true); return .none }
            case "extendleft": return method { [unowned self] a, _ in
                for v in try self.items(of: Self.one(a, "extendleft")) { box.items.insert(v, at: 0) }
                d.trim(fromFront: false)
                return .none
            }
            case "rotate": return method { a, _ in
                var n = 1
                if case .int(let k)? = a.first { n = k }
                let count = box.items.count
                guard count > 0 else { return .none }
                let shift = ((n % count) + count) % count
                box.items = Array(box.items[(count - shift)...] + box.items[..<(count - shift)])
                return .none
            }
            case "count": return method { [unowned self] a, _ in
                let target = try Self.one(a, "count")
                return .int(try box.items.filter { try self.identicalOrEqual($0, target) }.count)
            }
            case "index": return method { [unowned self] a, _ in
                guard let target = a.first else { throw Raise.type("index expected at least 1 argument, got 0") }
                guard let i = try box.items.firstIndex(where: { try self.identicalOrEqual($0, target) }) else {
                    throw Raise.value("\(try self.repr(target)) is not in deque")
                }
                return .int(i)
            }
            case "remove": return method { [unowned self] a, _ in
                let target = try Self.one(a, "remove")
                guard let i = try box.items.firstIndex(where: { try self.identicalOrEqual($0, target) }) else { throw Raise.value("deque.remove(x): x not in deque") }
                box.items.remove(at: i)
                return .none
            }
            case "reverse": return method { _, _ in box.items.reverse(); return .none }
            case "copy": return method { _, _ in .object(DequeObject(box.items, maxlen: d.maxlen)) }
            case "clear": return method { _, _ in box.items.removeAll(); return .none }
            case "maxlen": return d.maxlen.map(Value.int) ?? Value.none
            default: return nil
            }
        case .object(let stream as StreamObject):
            switch name {
            case "write": return method { [unowned self] a, _ in
                guard case .string(let s) = try Self.one(a, "write") else { throw Raise.type("write() argument must be str, not \(self.typeName(of: a[0]))") }
                if stream.name == "stderr" { self.writeError(s) } else { self.write(s) }
                return .int(s.count)
            }
            case "flush": return method { _, _ in .none }
            default: return nil
            }
        case .object(let g as GeneratorObject):
            switch name {
            case "send": return method { a, _ in
                guard let v = try g.send(a.first ?? .none) else {
                    let returned = g.takeReturnValue()
                    throw Raise(type: "StopIteration", message: "", args: returned.isNone ? [] : [returned])
                }
                return v
            }
            case "close": return method { _, _ in try g.close(); return .none }
            case "__next__": return method { [unowned self] _, _ in try self.call(self.builtin(named: "next")!, [object], []) }
            case "__iter__": return method { _, _ in object }
            case "throw": return method { [unowned self] a, _ in
                guard let type = a.first else { throw Raise.type("throw expected at least 1 argument, got 0") }
                var object = try self.exceptionObject(type, at: self.frames.last?.location ?? SourceLocation(line: 1, column: 1))
                if a.count > 1, case .object(let cls as ClassObject) = type, cls.inherits(.exception) {
                    object = try self.exceptionObject(try self.call(type, [a[1]], []), at: self.frames.last?.location ?? SourceLocation(line: 1, column: 1))
                }
                let location = self.frames.last?.location ?? SourceLocation(line: 1, column: 1)
                guard let v = try g.throwIn(PyException(object, at: location, traceback: self.traceback(at: location))) else {
                    let returned = g.takeReturnValue()
                    throw Raise(type: "StopIteration", message: "", args: returned.isNone ? [] : [returned])
                }
                return v
            }
            default: return nil
            }
        case .object(let o as InstanceObject) where o.cls.inherits(.exception):
            switch name {
            case "with_traceback": return method { _, _ in object }
            case "add_note": return method { a, _ in
                var notes: [Value] = []
                if case .list(let box)? = o.attributes["__notes__"] { notes = box.items }
                o.attributes["__notes__"] = .list(ListBox(notes + a))
                return .none
            }
            default: return nil
            }
        default:
            return nil
        }
    }

    /// `seq.index(x, start, end)`'s range, clamped as CPython clamps it.
    static func searchRange(_ args: [Value], _ count: Int) throws -> (Int, Int) {
        func bound(_ i: Int, _ fallback: Int) throws -> Int {
            guard i < args.count else { return fallback }
            if case .bigInt(let n) = args[i] { return n.negative ? 0 : count }
            guard case .int(var v) = args[i] else { throw Raise.type("slice indices must be integers or have an __index__ method") }
            if v < 0 { v = max(0, v + count) }
            return min(v, count)
        }
        return (try bound(1, 0), try bound(2, count))
    }

    static func one(_ args: [Value], _ name: String) throws -> Value {
        guard args.count == 1 else { throw Raise.type("\(name)() takes exactly one argument (\(args.count) given)") }
        return args[0]
    }

    static func floatHex(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0x0.0p+0" : "0x0.0p+0" }
        let sign = d < 0 ? "-" : ""
        let m = abs(d)
        let exponent = m.exponent
        let significand = m.significandBitPattern
        let lead = m.isSubnormal ? "0" : "1"
        var hex = String(significand, radix: 16)
        hex = String(repeating: "0", count: 13 - hex.count) + hex
        while hex.count > 1 && hex.hasSuffix("0") { hex.removeLast() }
        let e = m.isSubnormal ? -1022 : Int(exponent)
        return "\(sign)0x\(lead).\(hex)p\(e >= 0 ? "+" : "")\(e)"
    }

    // MARK: str

    private func stringMethod(_ s: String, _ name: String, _ method: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) -> Value? {
        func string(_ v: Value, _ what: String) throws -> String {
            guard case .string(let t) = v else { throw Raise.type("\(what) must be str, not \(typeName(of: v))") }
            return t
        }
        switch name {
        case "join":
            return method { [unowned self] a, _ in
                let parts = try self.items(of: try Self.one(a, "join"))
                var out: [String] = []
                for (i, p) in parts.enumerated() {
                    guard case .string(let t) = p else {
                        throw Raise.type("sequence item \(i): expected str instance, \(self.typeName(of: p)) found")
                    }
                    out.append(t)
                }
                return .string(out.joined(separator: s))
            }
        case "split", "rsplit":
            return method { a, k in
                let sep = try (a.first ?? k.first { $0.0 == "sep" }?.1).flatMap { v -> String? in
                    if case .none = v { return nil }
                    return try string(v, "must be str or None")
                }
                var maxsplit = -1
                if a.count > 1, case .int(let m) = a[1] { maxsplit = m }
                if case .int(let m)? = k.first(where: { $0.0 == "maxsplit" })?.1 { maxsplit = m }
                return .list(ListBox(try PyString.split(s, sep, maxsplit: maxsplit, fromRight: name == "rsplit").map(Value.string)))
            }
        case "strip", "lstrip", "rstrip":
            return method { a, _ in
                let chars: Set<Character>? = try a.first.flatMap { v -> Set<Character>? in
                    if case .none = v { return nil }
                    return Set(try string(v, "strip arg"))
                }
                return .string(PyString.strip(s, chars, left: name != "rstrip", right: name != "lstrip"))
            }
        case "replace":
            return method { a, _ in
                guard a.count >= 2 else { throw Raise.type("replace expected at least 2 arguments, got \(a.count)") }
                let old = try string(a[0], "replace() argument 1"), new = try string(a[1], "replace() argument 2")
                var count = -1
                if a.count > 2, case .int(let c) = a[2] { count = c }
                return .string(PyString.replace(s, old, new, count: count))
            }
        case "startswith", "endswith":
            return method { a, _ in
                let prefixes: [String]
                switch try Self.one(Array(a.prefix(1)), name) {
                case .tuple(let items): prefixes = try items.map { try string($0, "tuple for \(name) must only contain str, not") }
                case .string(let p): prefixes = [p]
                case let other: throw Raise.type("\(name) first arg must be str or a tuple of str, not \(self.typeName(of: other))")
                }
                let chars = Array(s)
                let (from, to) = try Self.searchRange(a, chars.count)
                let window = from <= to ? String(chars[from..<to]) : nil
                guard let window else { return .bool(false) }
                return .bool(prefixes.contains { name == "startswith" ? window.hasPrefix($0) : window.hasSuffix($0) })
            }
        case "upper": return method { _, _ in .string(s.uppercased()) }
        case "lower": return method { _, _ in .string(s.lowercased()) }
        case "title": return method { _, _ in .string(PyString.title(s)) }
        case "capitalize": return method { _, _ in .string(s.prefix(1).uppercased() + s.dropFirst().lowercased()) }
        case "isdigit", "isnumeric", "isdecimal": return method { _, _ in .bool(!s.isEmpty && s.allSatisfy { $0.isNumber }) }
        case "isalpha": return method { _, _ in .bool(!s.isEmpty && s.allSatisfy { $0.isLetter }) }
        case "isalnum": return method { _, _ in .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber }) }
        case "isspace": return method { _, _ in .bool(!s.isEmpty && s.allSatisfy { $0.isWhitespace }) }
        case "isupper": return method { _, _ in .bool(s.contains { $0.isLetter } && s == s.uppercased()) }
        case "islower": return method { _, _ in .bool(s.contains { $0.isLetter } && s == s.lowercased()) }
        case "find", "rfind", "index", "rindex", "count":
            return method { a, _ in
                guard !a.isEmpty else { throw Raise.type("\(name)() takes at least 1 argument (0 given)") }
                guard case .string(let sub) = a[0] else { throw Raise.type("must be str, not \(self.typeName(of: a[0]))") }
                let chars = Array(s), needle = Array(sub)
                let (from, to) = try Self.searchRange(a, chars.count)
                let window = from <= to ? Array(chars[from..<to]) : []
                if name == "count" { return .int(from <= to ? PyString.count(window, needle) : 0) }
                var found = name.hasPrefix("r") ? PyString.lastIndex(window, needle) : PyString.firstIndex(window, needle)
                if from > to { found = nil }
                if found == nil && name.hasSuffix("index") { throw Raise.value("substring not found") }
                return .int(found.map { $0 + from } ?? -1)
            }
        case "istitle":
            return method { _, _ in
                var sawCased = false, previousCased = false
                for c in s {
                    if c.isUppercase {
                        if previousCased { return .bool(false) }
                        previousCased = true
                        sawCased = true
                    } else if c.isLowercase {
                        if !previousCased { return .bool(false) }
                        previousCased = true
                        sawCased = true
                    } else {
                        previousCased = false
                    }
                }
                return .bool(sawCased)
            }
        case "expandtabs":
            return method { a, kw in
                guard a.count <= 1 else { throw Raise.type("expandtabs() takes at most 1 argument (\(a.count) given)") }
                let given = a.first ?? kw.first { $0.0 == "tabsize" }?.1
                var tabsize = 8
                if let given {
                    if case .bigInt = given { throw Raise(type: "OverflowError", message: "Python int too large to convert to C int") }
                    guard case .int(let t) = given else { throw Raise.type("'\(self.typeName(of: given))' object cannot be interpreted as an integer") }
                    guard Int32(exactly: t) != nil else { throw Raise(type: "OverflowError", message: "Python int too large to convert to C int") }
                    tabsize = t
                }
                return .string(try PyString.expandTabs(s, tabsize))
            }
        case "casefold": return method { _, _ in .string(s.lowercased()) }
        case "zfill":
            return method { a, _ in
                let first = try Self.one(a, "zfill")
                let width = try self.lengthArgument(first)
                return .string(PyString.zfill(s, width))
            }
        case "center", "ljust", "rjust":
            return method { a, _ in
                guard let first = a.first else { throw Raise.type("\(name) expected at least 1 argument, got 0") }
                let width = try self.lengthArgument(first)
                var fill: Character = " "
                if a.count > 1 {
                    guard case .string(let f) = a[1], f.count == 1 else {
                        throw Raise.type("The fill character must be exactly one character long")
                    }
                    fill = f.first!
                }
                return .string(PyString.pad(s, width, fill, align: name))
            }
        case "partition", "rpartition":
            return method { a, _ in
                let sep = try string(try Self.one(a, name), "must be str, not")
                guard !sep.isEmpty else { throw Raise.value("empty separator") }
                let range = name == "partition" ? s.range(of: sep) : s.range(of: sep, options: .backwards)
                guard let range else {
                    return name == "partition" ? .tuple([.string(s), .string(""), .string("")]) : .tuple([.string(""), .string(""), .string(s)])
                }
                return .tuple([.string(String(s[..<range.lowerBound])), .string(sep), .string(String(s[range.upperBound...]))])
            }
        case "splitlines":
            return method { [unowned self] a, k in
                let keepends = try (a.first ?? k.first { $0.0 == "keepends" }?.1).map { try self.truthValue($0) } ?? false
                var lines: [Value] = [], current = ""
                for c in s {
                    // Swift reads "\r\n" as one Character.
                    if c == "\n" || c == "\r\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" || c == "\u{1C}" || c == "\u{1D}"
                        || c == "\u{1E}" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" {
                        lines.append(.string(keepends ? current + String(c) : current))
                        current = ""
                    } else {
                        current.append(c)
                    }
                }
                if !current.isEmpty { lines.append(.string(current)) }
                return .list(ListBox(lines))
            }
        case "format":
            return method { [unowned self] a, k in .string(try self.strFormat(s, a, k)) }
        case "encode":
            return method { _, _ in throw Raise.unsupported("bytes are not supported in model scripts") }
        case "removeprefix":
            return method { a, _ in
                let p = try string(try Self.one(a, name), "must be str, not")
                return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
            }
        case "removesuffix":
            return method { a, _ in
                let p = try string(try Self.one(a, name), "must be str, not")
                return .string(s.hasSuffix(p) && !p.isEmpty ? String(s.dropLast(p.count)) : s)
            }
        case "swapcase": return method { _, _ in .string(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })) }
        default: return nil
        }
    }

    // MARK: list

    private func listMethod(_ box: ListBox, _ name: String, _ method: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) -> Value? {
        switch name {
        case "append":
            return method { a, _ in
                guard a.count == 1 else { throw Raise.type("list.append() takes exactly one argument (\(a.count) given)") }
                box.items.append(a[0])
                return .none
            }
        case "extend":
            return method { [unowned self] a, _ in
                box.items += try self.items(of: try Self.one(a, "list.extend"))
                return .none
            }
        case "insert":
            return method { a, _ in
                guard a.count == 2, case .int(var i) = a[0] else { throw Raise.type("insert expected 2 arguments, got \(a.count)") }
                if i < 0 { i = max(0, i + box.items.count) }
                box.items.insert(a[1], at: min(i, box.items.count))
                return .none
            }
        case "pop":
            return method { a, _ in
                guard !box.items.isEmpty else { throw Raise.index("pop from empty list") }
                var i = box.items.count - 1
                if case .int(let j)? = a.first { i = j < 0 ? j + box.items.count : j }
                if case .bigInt? = a.first { throw Raise(type: "OverflowError", message: "Python int too large to convert to C ssize_t") }
                guard box.items.indices.contains(i) else { throw Raise.index("pop index out of range") }
                return box.items.remove(at: i)
            }
        case "remove":
            return method { [unowned self] a, _ in
                let target = try Self.one(a, "list.remove")
                guard let i = try box.items.firstIndex(where: { try self.identicalOrEqual($0, target) }) else { throw Raise.value("list.remove(x): x not in list") }
                box.items.remove(at: i)
                return .none
            }
        case "index":
            return method { [unowned self] a, _ in
                guard !a.isEmpty else { throw Raise.type("index expected at least 1 argument, got 0") }
                let target = a[0]
                let (from, to) = try Self.searchRange(a, box.items.count)
                guard from < to, let i = try box.items[from..<to].firstIndex(where: { try self.identicalOrEqual($0, target) }) else {
                    throw Raise.value("\(try self.repr(target)) is not in list")
                }
                return .int(i)
            }
        case "count":
            return method { [unowned self] a, _ in
                let target = try Self.one(a, "list.count")
                return .int(try box.items.filter { try self.identicalOrEqual($0, target) }.count)
            }
        case "sort":
            return method { [unowned self] a, k in
                guard a.isEmpty else { throw Raise.type("sort() takes no positional arguments") }
                box.items = try self.sorted(box.items, key: k.first { $0.0 == "key" }?.1,
                                            reverse: try self.truthValue(k.first { $0.0 == "reverse" }?.1 ?? .bool(false)))
                return .none
            }
        case "reverse": return method { _, _ in box.items.reverse(); return .none }
        case "copy": return method { _, _ in .list(ListBox(box.items)) }
        case "clear": return method { _, _ in box.items.removeAll(); return .none }
        default: return nil
        }
    }

    /// `sorted(items, key=, reverse=)`: stable, by Python's `<`. As in
    /// CPython's list.sort, `reverse` sorts the reversed list and reverses
    /// the result (equal items keep their order), and a short list is
    /// sorted the way timsort sorts one run: the leading run found by
    /// comparing neighbours, then binary insertion, so the comparisons (and
    /// a TypeError between mismatched items) come in CPython's order.
    func sorted(_ items: [Value], key: Value?, reverse: Bool) throws -> [Value] {
        var values = reverse ? Array(items.reversed()) : items
        var keys: [Value]
        if let key, !(key.isNone) { keys = try values.map { try call(key, [$0], []) } } else { keys = values }
        func lt(_ a: Value, _ b: Value) throws -> Bool { try less(.lt, a, b) }
        var order = Array(values.indices)
        if order.count < 64 {
            try binaryInsertionSort(&order, keys, lt)
        } else {
            order = try mergeSort(order) { i, j in try lt(keys[i], keys[j]) }
        }
        values = order.map { values[$0] }
        keys = []
        return reverse ? values.reversed() : values
    }

    /// Timsort's handling of a short list: count the leading run (reversing
    /// a strictly descending one), then binary-insert the rest.
    private func binaryInsertionSort(_ order: inout [Int], _ keys: [Value], _ lt: (Value, Value) throws -> Bool) throws {
        let n = order.count
        guard n > 1 else { return }
        var run = 2
        if try lt(keys[order[1]], keys[order[0]]) {
            while run < n, try lt(keys[order[run]], keys[order[run - 1]]) { run += 1 }
            order[0..<run].reverse()
        } else {
            while run < n, !(try lt(keys[order[run]], keys[order[run - 1]])) { run += 1 }
        }
        for start in run..<n {
            let pivot = order[start]
            var lo = 0, hi = start
            while lo < hi {
                let mid = (lo + hi) / 2
                if try lt(keys[pivot], keys[order[mid]]) { hi = mid } else { lo = mid + 1 }
            }
            order.remove(at: start)
            order.insert(pivot, at: lo)
        }
    }

    /// A stable merge sort for long lists (same result as timsort's).
    private func mergeSort(_ a: [Int], _ less: (Int, Int) throws -> Bool) throws -> [Int] {
        guard a.count > 1 else { return a }
        let mid = a.count / 2
        let left = try mergeSort(Array(a[..<mid]), less), right = try mergeSort(Array(a[mid...]), less)
        var out: [Int] = []
        out.reserveCapacity(a.count)
        var i = 0, j = 0
        while i < left.count && j < right.count {
            if try less(right[j], left[i]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
        }
        out += left[i...]
        out += right[j...]
        return out
    }

    // MARK: dict and set

    private func dictMethod(_ d: DictObject, _ name: String, _ method: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) -> Value? {
        switch name {
        case "get": return method { a, _ in
            guard let key = a.first else { throw Raise.type("get expected at least 1 argument, got 0") }
            return try d.get(key) ?? (a.count > 1 ? a[1] : .none)
        }
        case "setdefault": return method { a, _ in
            guard let key = a.first else { throw Raise.type("setdefault expected at least 1 argument, got 0") }
            if let v = try d.get(key) { return v }
            let v = a.count > 1 ? a[1] : .none
            try d.set(key, v)
            return v
        }
        case "pop": return method { a, _ in
            guard let key = a.first else { throw Raise.type("pop expected at least 1 argument, got 0") }
            if let v = try d.remove(key) { return v }
            if a.count > 1 { return a[1] }
            throw Raise.key(key)
        }
        case "popitem": return method { [unowned self] a, k in
            let last = try (a.first ?? k.first { $0.0 == "last" }?.1).map { try self.truthValue($0) } ?? true
            guard let (key, v) = last ? d.items.last : d.items.first else {
                throw Raise(type: "KeyError", message: d.typeName == "OrderedDict" ? "dictionary is empty" : "popitem(): dictionary is empty")
            }
            try d.remove(key)
            return .tuple([key, v])
        }
        case "move_to_end" where d.typeName == "OrderedDict": return method { [unowned self] a, k in
            guard let key = a.first else { throw Raise.type("move_to_end() missing required argument 'key' (pos 1)") }
            let last = try (a.count > 1 ? a[1] : k.first { $0.0 == "last" }?.1).map { try self.truthValue($0) } ?? true
            guard let v = try d.remove(key) else { throw Raise.key(key) }
            if last {
                try d.set(key, v)
            } else {
                let rest = d.items
                d.removeAll()
                try d.set(key, v)
                for (k2, v2) in rest { try d.set(k2, v2) }
            }
            return .none
        }
        case "most_common" where d.typeName == "Counter": return method { [unowned self] a, _ in
            var n = d.count
            if case .int(let k)? = a.first { n = k }
            let sorted = try self.sorted(d.items.map { .tuple([$0.0, $0.1]) }, key: .function(Function("count") { args, _ in
                guard case .tuple(let pair) = args[0] else { return .none }
                return pair[1]
            }), reverse: true)
            return .list(ListBox(Array(sorted.prefix(max(n, 0)))))
        }
        case "elements" where d.typeName == "Counter": return method { _, _ in
            var out: [Value] = []
            for (k, v) in d.items { if case .int(let c) = v, c > 0 { out += Array(repeating: k, count: c) } }
            return .object(SequenceIterator(out, typeName: "itertools.chain"))
        }
        case "update" where d.typeName == "Counter", "subtract" where d.typeName == "Counter":
            return method { [unowned self] a, k in
                var pairs: [(Value, Value)] = k.map { (.string($0.0), $0.1) }
                if let source = a.first {
                    if case .object(let other as DictObject) = source { pairs = other.items + pairs }
                    else { pairs = try self.items(of: source).map { ($0, .int(1)) } + pairs }
                }
                for (key, count) in pairs {
                    let current = try d.get(key) ?? .int(0)
                    try d.set(key, try self.binary(name == "update" ? .add : .sub, current, count))
                }
                return .none
            }
        case "total" where d.typeName == "Counter": return method { [unowned self] _, _ in
            try d.items.reduce(Value.int(0)) { try self.binary(.add, $0, $1.1) }
        }
        case "update": return method { [unowned self] a, k in
            if let other = a.first { try d.update(from: other, self) }
            for (key, v) in k { try d.set(.string(key), v) }
            return .none
        }
        case "keys": return method { _, _ in .object(DictView(d, .keys)) }
        case "values": return method { _, _ in .object(DictView(d, .values)) }
        case "items": return method { _, _ in .object(DictView(d, .items)) }
        case "copy": return method { _, _ in .object(d.copy()) }
        case "clear": return method { _, _ in d.removeAll(); return .none }
        default: return nil
        }
    }

    private func setMethod(_ s: SetObject, _ name: String, _ method: (@escaping ([Value], [(String, Value)]) throws -> Value) -> Value) -> Value? {
        func operands(_ a: [Value]) throws -> [SetObject.Table.Operand] { try a.map { try setOperand($0, of: s) } }
        func other(_ a: [Value]) throws -> SetObject { try makeSet(try Self.one(a, name), frozen: false) }
        switch name {
        case "add": return method { a, _ in try s.add(try Self.one(a, "set.add")); return .none }
        case "remove": return method { a, _ in
            let v = try Self.one(a, "set.remove")
            guard try s.remove(v) else { throw Raise.key(v) }
            return .none
        }
        case "discard": return method { a, _ in try s.remove(try Self.one(a, "set.discard")); return .none }
        case "pop": return method { _, _ in
            guard let v = s.pop() else { throw Raise(type: "KeyError", message: "pop from an empty set") }
            return v
        }
        case "union": return method { a, _ in .object(try s.union(try operands(a))) }
        case "intersection": return method { a, _ in .object(try s.intersection(try operands(a))) }
        case "difference": return method { a, _ in .object(try s.difference(try operands(a))) }
        case "symmetric_difference": return method { a, _ in .object(try s.symmetricDifference(try self.setOperand(Self.one(a, name), of: s))) }
        case "issubset": return method { a, _ in .bool(try s.isSubset(of: try other(a))) }
        case "issuperset": return method { a, _ in .bool(try other(a).isSubset(of: s)) }
        case "isdisjoint": return method { a, _ in .bool(try s.intersection(try operands(a)).count == 0) }
        case "update": return method { a, _ in try s.update(try operands(a)); return .none }
        case "intersection_update": return method { a, _ in try s.intersectionUpdate(try operands(a)); return .none }
        case "difference_update": return method { a, _ in try s.differenceUpdate(try operands(a)); return .none }
        case "symmetric_difference_update":
            return method { a, _ in try s.symmetricDifferenceUpdate(try self.setOperand(Self.one(a, name), of: s)); return .none }
        case "copy": return method { _, _ in .object(s.copy()) }
        case "clear": return method { _, _ in s.removeAll(); return .none }
        default: return nil
        }
    }
}

/// `d.keys()`, `d.values()`, `d.items()`: live views of a dict.
final class DictView: IteratorObject {
    enum Kind { case keys, values, items }
    let dict: DictObject
    let kind: Kind
    private var position = 0
    private var snapshot: [Value]?

    init(_ dict: DictObject, _ kind: Kind) {
        self.dict = dict
        self.kind = kind
        super.init(typeName: kind == .keys ? "dict_keys" : kind == .values ? "dict_values" : "dict_items")
    }

    var elements: [Value] {
        switch kind {
        case .keys: return dict.keys
        case .values: return dict.items.map(\.1)
        case .items: return dict.items.map { .tuple([$0.0, $0.1]) }
        }
    }

    override func next() throws -> Value? {
        if snapshot == nil { snapshot = elements }
        guard position < snapshot!.count else { return nil }
        position += 1
        return snapshot![position - 1]
    }
}

extension Value {
    var isNone: Bool { if case .none = self { return true } else { return false } }
}

extension Array where Element == Value {
    /// `str.splitlines()` drops the empty piece after a final newline.
    var dropLastIfEmpty: [Value] {
        if case .string("")? = last { return Array(dropLast()) }
        return self
    }
}

/// Python's string algorithms where Swift's differ.
enum PyString {
    static func split(_ s: String, _ sep: String?, maxsplit: Int, fromRight: Bool) throws -> [String] {
        guard let sep else {
            // Runs of whitespace; no empty strings.
            var words = s.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            if maxsplit >= 0 && words.count > maxsplit + 1 {
                if fromRight {
                    let keep = words.suffix(maxsplit)
                    var rest = s
                    for w in keep.reversed() {
                        rest = String(rest.trimmingCharacters(in: .whitespaces).dropLast(w.count))
                    }
                    words = [rest.trimmingCharacters(in: .whitespacesAndNewlines)] + keep
                } else {
                    var out: [String] = []
                    var rest = Substring(s.drop { $0.isWhitespace })
                    for _ in 0..<maxsplit {
                        guard let end = rest.firstIndex(where: { $0.isWhitespace }) else { break }
                        out.append(String(rest[..<end]))
                        rest = rest[end...].drop { $0.isWhitespace }
                    }
                    if !rest.isEmpty { out.append(String(rest)) }
                    words = out
                }
            }
            return words
        }
        guard !sep.isEmpty else { throw Raise.value("empty separator") }
        var parts = s.components(separatedBy: sep)
        if maxsplit >= 0 && parts.count > maxsplit + 1 {
            if fromRight {
                let tail = parts.suffix(maxsplit)
                parts = [parts.dropLast(maxsplit).joined(separator: sep)] + tail
            } else {
                parts = Array(parts.prefix(maxsplit)) + [parts.dropFirst(maxsplit).joined(separator: sep)]
            }
        }
        return parts
    }

    static func strip(_ s: String, _ chars: Set<Character>?, left: Bool, right: Bool) -> String {
        let drop: (Character) -> Bool = { c in chars.map { $0.contains(c) } ?? c.isWhitespace }
        var sub = Substring(s)
        if left { sub = sub.drop(while: drop) }
        if right { while let last = sub.last, drop(last) { sub = sub.dropLast() } }
        return String(sub)
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        if count < 0 {
            if old.isEmpty { return new + s.map { String($0) + new }.joined() }
            return s.replacingOccurrences(of: old, with: new)
        }
        var out = "", rest = Substring(s), n = 0
        while n < count, !old.isEmpty, let r = rest.range(of: old) {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            n += 1
        }
        return out + rest
    }

    static func title(_ s: String) -> String {
        var out = "", previousCased = false
        for c in s {
            out += previousCased ? c.lowercased() : c.uppercased()
            previousCased = c.isLetter
        }
        return out
    }

    static func count(_ s: [Character], _ needle: [Character]) -> Int {
        if needle.isEmpty { return s.count + 1 }
        var n = 0, i = 0
        while i + needle.count <= s.count {
            if Array(s[i..<(i + needle.count)]) == needle { n += 1; i += needle.count } else { i += 1 }
        }
        return n
    }

    static func firstIndex(_ s: [Character], _ needle: [Character]) -> Int? {
        guard needle.count <= s.count else { return nil }
        for i in 0...(s.count - needle.count) where Array(s[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    static func lastIndex(_ s: [Character], _ needle: [Character]) -> Int? {
        guard needle.count <= s.count else { return nil }
        for i in (0...(s.count - needle.count)).reversed() where Array(s[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    /// `str.expandtabs`: each tab up to the next multiple of `tabsize`
    /// columns, the column restarting after `\n` and `\r`.
    static func expandTabs(_ s: String, _ tabsize: Int) throws -> String {
        var out = "", column = 0
        for c in s {
            switch c {
            case "\t":
                guard tabsize > 0 else { continue }
                let spaces = tabsize - column % tabsize
                try PythonError.checkLength(out.unicodeScalars.count + spaces)
                out += String(repeating: " ", count: spaces)
                column += spaces
            case "\n", "\r", "\r\n":
                out.append(c)
                column = 0
            default:
                out.append(c)
                column += c.unicodeScalars.count
            }
        }
        return out
    }

    static func zfill(_ s: String, _ width: Int) -> String {
        guard s.count < width else { return s }
        let zeros = String(repeating: "0", count: width - s.count)
        if let first = s.first, first == "-" || first == "+" { return String(first) + zeros + s.dropFirst() }
        return zeros + s
    }

    static func pad(_ s: String, _ width: Int, _ fill: Character, align: String) -> String {
        let missing = width - s.count
        guard missing > 0 else { return s }
        let f = String(fill)
        switch align {
        case "ljust": return s + String(repeating: f, count: missing)
        case "rjust": return String(repeating: f, count: missing) + s
        default:
            // CPython's center puts the extra character on the left when the width is odd.
            let left = missing / 2 + (missing & width & 1)
            return String(repeating: f, count: left) + s + String(repeating: f, count: missing - left)
        }
    }
}

extension Interpreter {
    /// A width argument (`str.center`, `zfill`, ...): an int, with CPython's
    /// errors, and within the interpreter's size limit.
    func lengthArgument(_ v: Value) throws -> Int {
        switch v {
        case .int(let i):
            try PythonError.checkLength(i)
            return i
        case .bool(let b): return b ? 1 : 0
        case .bigInt: throw Raise(type: "OverflowError", message: "Python int too large to convert to C ssize_t")
        default: throw Raise.type("'\(typeName(of: v))' object cannot be interpreted as an integer")
        }
    }
}
