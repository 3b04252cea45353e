import Autograd

/// The arguments of one call, read by position or keyword with PyTorch's
/// messages for a wrong type (`mm(): argument 'mat2' (position 2) must be
/// Tensor, not int`).
struct Arguments {
    let function: String
    let positional: [Value]
    let keywords: [(String, Value)]
    /// Arguments before `positional[0]` that messages still count
    /// (`torch.maximum(t, other)` is `t.maximum(other)` with one more).
    let positionOffset: Int
    /// The keywords some reader asked for, shared with the `Arguments` a
    /// call hands on (`torch.sum(t, dim=0)` → `t.sum(dim=0)`), so a keyword
    /// nothing read can be refused instead of silently ignored. Nil for a
    /// call without keywords (most calls), which has nothing to refuse.
    private let read: ReadKeywords?

    final class ReadKeywords { var names = Set<String>() }

    init(_ function: String, _ positional: [Value], _ keywords: [(String, Value)], allowed: [String]? = nil,
         positionOffset: Int = 0, sharing other: Arguments? = nil) throws {
        self.function = function
        self.positional = positional
        self.keywords = keywords
        self.positionOffset = positionOffset
        self.read = other?.read ?? (keywords.isEmpty ? nil : ReadKeywords())
        if let allowed {
            for (name, _) in keywords where !allowed.contains(name) {
                throw Raise.type("\(function)() got an unexpected keyword argument '\(name)'")
            }
        }
    }

    /// After a call: PyTorch's TypeError for a keyword no reader asked for.
    func rejectUnreadKeywords() throws {
        guard let read else { return }
        for (name, _) in keywords where !read.names.contains(name) {
            throw Raise.type("\(function)() got an unexpected keyword argument '\(name)'")
        }
    }

    /// Marks `name` as read by code that looks at `keywords` directly.
    func markRead(_ name: String) { read?.names.insert(name) }

    /// PyTorch's TypeError for a keyword the function does not take, so a
    /// typo like `retian_graph=True` is not silently ignored.
    func allowOnly(_ names: [String]) throws {
        for (name, _) in keywords {
            guard names.contains(name) else {
                throw Raise.type("\(function)() got an unexpected keyword argument '\(name)'")
            }
            read?.names.insert(name)  // accepted, even where it changes nothing here
        }
    }

    /// `backward(inputs=...)` restricts which leaves get grads; not modelled,
    /// so it is refused rather than ignored.
    func refuseInputs() throws {
        if value(nil, "inputs") != nil {
            throw Raise.unsupported("backward(inputs=...) is not supported by autograd-viz")
        }
    }

    /// The argument at `index` or called `name`, if given (and not None).
    func value(_ index: Int?, _ name: String) -> Value? {
        read?.names.insert(name)
        if let index, index < positional.count {
            if case .none = positional[index] { return nil }
            return positional[index]
        }
        if let v = keywords.first(where: { $0.0 == name })?.1 {
            if case .none = v { return nil }
            return v
        }
        return nil
    }

    func has(_ index: Int?, _ name: String) -> Bool { value(index, name) != nil }

    private func mismatch(_ index: Int?, _ name: String, _ expected: String, _ got: Value) -> Raise {
        let position = index.map { " (position \($0 + 1 + positionOffset))" } ?? ""
        return Raise.type("\(function)(): argument '\(name)'\(position) must be \(expected), not \(got.typeName)")
    }

    private func missing(_ name: String) -> Raise {
        Raise.type("\(function)() missing required argument '\(name)'")
    }

    func tensor(_ index: Int?, _ name: String) throws -> Tensor {
        guard let v = value(index, name) else { throw missing(name) }
        guard case .tensor(let t) = v else { throw mismatch(index, name, "Tensor", v) }
        return t
    }

    func optionalTensor(_ index: Int?, _ name: String) throws -> Tensor? {
        guard let v = value(index, name) else { return nil }
        guard case .tensor(let t) = v else { throw mismatch(index, name, "Tensor", v) }
        return t
    }

    func int(_ index: Int?, _ name: String, default fallback: Int? = nil) throws -> Int {
        guard let v = value(index, name) else {
            if let fallback { return fallback }
            throw missing(name)
        }
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.numel == 1 && !t.dtype.isFloatingPoint: return Int(try t.item())
        default: throw mismatch(index, name, "int", v)
        }
    }

    func optionalInt(_ index: Int?, _ name: String) throws -> Int? {
        has(index, name) ? try int(index, name) : nil
    }

    func double(_ index: Int?, _ name: String, default fallback: Double? = nil) throws -> Double {
        guard let v = value(index, name) else {
            if let fallback { return fallback }
            throw missing(name)
        }
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.numel == 1: return try t.item()
        default: throw mismatch(index, name, "Number", v)
        }
    }

    func optionalDouble(_ index: Int?, _ name: String) throws -> Double? {
        has(index, name) ? try double(index, name) : nil
    }

    func bool(_ index: Int?, _ name: String, default fallback: Bool) throws -> Bool {
        guard let v = value(index, name) else { return fallback }
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        default: throw mismatch(index, name, "bool", v)
        }
    }

    func optionalBool(_ index: Int?, _ name: String) throws -> Bool? {
        has(index, name) ? try bool(index, name, default: false) : nil
    }

    func dtype(_ index: Int?, _ name: String) throws -> DType? {
        guard let v = value(index, name) else { return nil }
        guard case .dtype(let d) = v else { throw mismatch(index, name, "torch.dtype", v) }
        return d
    }

    /// A list of ints given as one int, a tuple/list/Size, or the rest of the
    /// positional arguments (`view(2, 3)` and `view((2, 3))` alike).
    func intList(from index: Int, _ name: String) throws -> [Int] {
        if index < positional.count {
            if positional.count - index == 1, let list = Arguments.ints(positional[index]) { return list }
            return try (index..<positional.count).map { try int($0, name) }
        }
        guard let v = value(nil, name) else { throw missing(name) }
        if let list = Arguments.ints(v) { return list }
        throw mismatch(nil, name, "tuple of ints", v)
    }

    /// `dim` that may be one int or a tuple of ints.
    func dims(_ index: Int?, _ name: String) throws -> [Int]? {
        guard let v = value(index, name) else { return nil }
        if case .int(let i) = v { return [i] }
        if let list = Arguments.ints(v) { return list }
        throw mismatch(index, name, "tuple of ints", v)
    }

    static func ints(_ v: Value) -> [Int]? {
        switch v {
        case .int(let i): return [i]
        case .size(let dims): return dims
        case .tuple(let items): return intsOnly(items)
        case .list(let box): return intsOnly(box.items)
        default: return nil
        }
    }

    private static func intsOnly(_ items: [Value]) -> [Int]? {
        var out: [Int] = []
        for item in items {
            guard case .int(let i) = item else { return nil }
            out.append(i)
        }
        return out
    }

    func tensorList(_ index: Int?, _ name: String) throws -> [Tensor] {
        guard let v = value(index, name) else { throw missing(name) }
        let items: [Value]
        switch v {
        case .list(let box): items = box.items
        case .tuple(let t): items = t
        case .tensor(let t): return [t]
        case .object(let g as IteratorObject): items = try g.drain()
        default: throw mismatch(index, name, "tuple of Tensors", v)
        }
        return try items.map { item in
            guard case .tensor(let t) = item else { throw mismatch(index, name, "tuple of Tensors", item) }
            return t
        }
    }
}
