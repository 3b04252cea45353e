/// One item of a subscript `t[...]`, as Python hands it to `__getitem__`.
public enum IndexItem {
    case int(Int)
    /// `start:stop:step`; nil parts are Python's omitted ones.
    case slice(start: Int?, stop: Int?, step: Int?)
    /// `None`: a new dimension of size 1.
    case none
    /// `...`: as many full slices as the other items leave.
    case ellipsis
    /// An advanced index: an int64 tensor (a Python list `[0, 2]` arrives as
    /// one) or a bool mask. A 0-d int64 tensor acts as an int, a 0-d bool
    /// adds a dimension of size 1 (True) or 0 (False).
    case tensor(Tensor)
}

/// `t[items]` and `t[items] = value`, mirroring PyTorch's
/// `python_variable_indexing.cpp` / `TensorIndexing.h`: the basic items
/// become views (`select`, `slice`, `unsqueeze`; a full slice `:` records
/// nothing), then any tensor items gather a copy (IndexBackward0).
extension Tensor {
    /// `t[items]`. A one-item list is Python's `t[item]` without a tuple,
    /// which records even a full slice (`x[:]` is SliceBackward0) and makes
    /// `x[...]` an alias (AliasBackward0).
    public func index(_ items: [IndexItem]) throws -> Tensor {
        let parsed = try parseIndex(items, recordFullSlice: items.count == 1)
        guard !parsed.advanced.isEmpty else {
            return parsed.steps.isEmpty ? try aliasView() : parsed.result
        }
        let plan = try IndexPlan(shape: parsed.result.shape, indices: parsed.advanced)
        return try parsed.result.indexGather(plan.resolve())
    }

    /// `t[items] = value`. A Python number arrives as a wrapped 0-d tensor
    /// (`Tensor.wrapped`) and takes PyTorch's scalar paths (`fill_`,
    /// `masked_fill_`, `index_fill_`). Basic items write through a view, so
    /// the tensor's grad_fn becomes CopySlices around the write; on the whole
    /// tensor the write records its own node (CopyBackwards, FillBackward2,
    /// IndexPutBackward0, ...), exactly as PyTorch names them.
    public func setIndex(_ items: [IndexItem], _ value: Tensor) throws {
        let parsed = try runtime.withGradMode(false) { try parseIndex(items, recordFullSlice: false) }
        let target = parsed.result
        var update: InPlaceUpdate
        if parsed.advanced.isEmpty {
            update = try Tensor.copyTo(target.shape, value)
        } else {
            let plan = try IndexPlan(shape: target.shape, indices: parsed.advanced)
            let defined = parsed.advanced.compactMap { $0 }
            if value.isWrappedNumber {
                let scalar = try value.item()
                if defined.count == 1 && defined[0].dtype == .bool {
                    update = .fill(at: try plan.resolve(), scalar, name: "MaskedFillBackward0")
                } else if defined.count == 1 {
                    update = .fill(at: try plan.resolve(labelByDim: true), scalar, name: "IndexFillBackward0")
                } else {
                    let v = Tensor(runtime: runtime, values: [dtype.round(scalar)], shape: [], dtype: dtype)
                    update = .indexPut(try plan.resolve(), v)
                }
            } else {
                let trimmed = Tensor.dropLeadingOnes(value.shape)
                let v = trimmed == value.shape ? value : try value.view(trimmed)
                guard Shape.isExpandable(v.shape, to: plan.resultShape) else {
                    throw TorchError.runtime("shape mismatch: value tensor of shape \(Shape.list(v.shape)) cannot be broadcast to indexing result of shape \(Shape.list(plan.resultShape))")
                }
                let masked = defined.count == 1 && defined[0].dtype == .bool && v.numel == 1
                guard v.dtype == dtype || masked else {
                    throw TorchError.runtime("Index put requires the source and destination dtypes match, got \(dtype.scalarTypeName) for the destination and \(v.dtype.scalarTypeName) for the source.")
                }
                update = .indexPut(try plan.resolve(), v)
            }
        }
        if let first = parsed.advanced.compactMap({ $0 }).first {
            if update.name == "MaskedFillBackward0" { update.saved = [("mask", first)] }
            if update.name == "IndexPutBackward0" { update.saved = [("indices", first)] }
        }
        if parsed.steps.isEmpty {
            try apply(update)
        } else {
            let steps = parsed.steps
            try apply(update, through: { t in try steps.reduce(t) { try $1.apply(to: $0) } })
        }
    }

    /// PyTorch's `copy_to(dst, value)` as an update of a target of `shape`:
    /// a number fills (FillBackward2), an equal shape copies, a 0-d tensor
    /// fills (FillBackward3), anything else is viewed without its leading
    /// 1s and expanded to the target before the copy.
    static func copyTo(_ shape: [Int], _ value: Tensor) throws -> InPlaceUpdate {
        if value.isWrappedNumber { return .fill(try value.item()) }
        if value.shape == shape { return .copy(value) }
        if value.rank == 0 { return .fill(value) }
        let viewed = try value.view(dropLeadingOnes(value.shape))
        return .copy(viewed.shape == shape ? viewed : try viewed.expand(shape))
    }

    /// `slicePrefix1sSize`: numpy's leniency for values like `[[1, 2]]` into a row.
    static func dropLeadingOnes(_ shape: [Int]) -> [Int] {
        Array(shape.drop(while: { $0 == 1 }))
    }

    /// `x[...]` and `x[:, :]`: a new tensor over the same data (AliasBackward0).
    private func aliasView() throws -> Tensor {
        try Tensor.record("AliasBackward0", inputs: [self], output: viewOf(shape: shape, strides: strides, offset: offset)) { _, grad in
            [grad]
        }
    }
}

// MARK: - Parsing the items

/// One basic indexing step, replayable on another tensor of the same shape
/// (the gradient, in CopySlices).
enum ViewStep {
    case select(dim: Int, index: Int)
    case slice(dim: Int, start: Int?, stop: Int?, step: Int)
    case unsqueeze(dim: Int)

    func apply(to t: Tensor) throws -> Tensor {
        switch self {
        case .select(let d, let i): return try t.select(d, i)
        case .slice(let d, let start, let stop, let step): return try t.slice(d, start: start, stop: stop, step: step)
        case .unsqueeze(let d): return try t.unsqueeze(d)
        }
    }
}

struct ParsedIndex {
    /// This tensor after the basic steps.
    var result: Tensor
    var steps: [ViewStep]
    /// The tensor items by the dimension of `result` they index (nil for
    /// the others), without trailing nils; empty for basic indexing.
    var advanced: [Tensor?]
}

extension Tensor {
    /// `applySlicing`: applies the basic items in order and collects the
    /// tensor items by the dimension they index.
    func parseIndex(_ items: [IndexItem], recordFullSlice: Bool) throws -> ParsedIndex {
        // A lone int, slice, None or ... is Python's non-tuple fast path,
        // which skips the count below (so `s[0]` on a 0-d tensor says why).
        let single: Bool
        if items.count == 1, case .tensor = items[0] { single = false } else { single = items.count == 1 }
        let specified = items.reduce(0) { count, item in
            switch item {
            case .int, .slice: return count + 1
            case .none, .ellipsis: return count
            case .tensor(let t): return count + (t.dtype == .bool ? t.rank : 1)
            }
        }
        if !single && specified > rank {
            throw TorchError.index("too many indices for tensor of dimension \(rank)")
        }
        var parsed = ParsedIndex(result: self, steps: [], advanced: [])
        var dim = 0
        func step(_ s: ViewStep) throws {
            parsed.steps.append(s)
            parsed.result = try s.apply(to: parsed.result)
        }
        func skip(_ n: Int) {
            dim += n
            if !parsed.advanced.isEmpty { parsed.advanced += [Tensor?](repeating: nil, count: n) }
        }
        func record(_ t: Tensor) {
            if parsed.advanced.isEmpty { parsed.advanced = [Tensor?](repeating: nil, count: dim) }
            parsed.advanced.append(t)
            dim += t.dtype == .bool ? t.rank : 1
        }
        func select(_ index: Int, itemNumber: Int) throws {
            let shape = parsed.result.shape
            guard dim < shape.count else {
                if index == 0 && dim == 0 {
                    throw TorchError.index("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
                }
                throw TorchError.index("index \(index) is out of bounds for dimension \(itemNumber) with size 0")
            }
            guard index >= -shape[dim] && index < shape[dim] else {
                throw TorchError.index("index \(index) is out of bounds for dimension \(itemNumber) with size \(shape[dim])")
            }
            try step(.select(dim: dim, index: index < 0 ? index + shape[dim] : index))
        }
        for (itemNumber, item) in items.enumerated() {
            switch item {
            case .int(let i):
                try select(i, itemNumber: itemNumber)
            case .slice(let start, let stop, let stepSize):
                let by = stepSize ?? 1
                guard by != 0 else { throw TorchError.value("slice step cannot be zero") }
                guard by > 0 else { throw TorchError.value("step must be greater than zero") }
                guard dim < parsed.result.rank else { throw TorchError.index("slice() cannot be applied to a 0-dim tensor.") }
                let full = (start ?? 0) == 0 && (stop ?? Int.max) >= parsed.result.shape[dim] && by == 1
                if !full || recordFullSlice { try step(.slice(dim: dim, start: start, stop: stop, step: by)) }
                skip(1)
            case .none:
                try step(.unsqueeze(dim: dim))
                skip(1)
            case .ellipsis:
                skip(rank - specified)
            case .tensor(let t) where t.rank == 0 && t.dtype == .int64:
                try select(Int(try t.item()), itemNumber: itemNumber)
            case .tensor(let t) where t.rank == 0 && t.dtype == .bool:
                // True indexes a new dimension of size 1 as `0:`, False as empty.
                try step(.unsqueeze(dim: dim))
                let hit = try t.item() != 0
                record(Tensor(runtime: runtime, values: hit ? [0] : [], shape: [hit ? 1 : 0], dtype: .int64))
            case .tensor(let t):
                record(t)
            }
        }
        while let last = parsed.advanced.last, last == nil { parsed.advanced.removeLast() }
        return parsed
    }
}

// MARK: - Advanced indexing

/// The tensor items of an index checked against the shape they index:
/// masks expanded to their nonzero coordinates, the int64 indices broadcast
/// together, and the result's shape (PyTorch's `make_info`).
struct IndexPlan {
    let sourceShape: [Int]
    let resultShape: [Int]
    /// The tensor items as given (masks unexpanded): what IndexBackward0 saves.
    let given: [Tensor]
    /// The indexed dimensions of the source, in order.
    private let dims: [Int]
    /// Each indexed dimension's index values, broadcast to `indexShape`.
    private let columns: [[Double]]
    private let indexShape: [Int]
    /// Whether the indexed dimensions are adjacent: their result dimensions
    /// then stand in their place, otherwise they go first.
    private let adjacent: Bool

    init(shape: [Int], indices: [Tensor?]) throws {
        sourceShape = shape
        given = indices.compactMap { $0 }
        var expanded: [(values: [Double], shape: [Int])?] = []
        for index in indices {
            guard let t = index else { expanded.append(nil); continue }
            guard t.dtype == .int64 || t.dtype == .bool else {
                throw TorchError.index("tensors used as indices must be long, int, byte or bool tensors")
            }
            guard t.dtype == .bool else { expanded.append((t.values, t.shape)); continue }
            let at = expanded.count
            for j in 0..<t.rank where at + j >= shape.count || t.shape[j] != shape[at + j] {
                guard at + j < shape.count else {
                    throw TorchError.index("too many indices for tensor of dimension \(shape.count)")
                }
                throw TorchError.index("The shape of the mask \(Shape.list(t.shape)) at index \(j) does not match the shape of the indexed tensor \(Shape.list(shape)) at index \(at + j)")
            }
            for column in IndexPlan.nonzero(t) { expanded.append((column, [column.count])) }
        }
        guard expanded.count <= shape.count else {
            throw TorchError.index("too many indices for tensor of dimension \(shape.count) (got \(expanded.count))")
        }
        let definedDims = expanded.indices.filter { expanded[$0] != nil }
        let shapes = definedDims.map { expanded[$0]!.shape }
        var broadcast: [Int] = []
        do {
            for s in shapes { broadcast = try Shape.broadcast(broadcast, s) }
        } catch {
            throw TorchError.index("shape mismatch: indexing tensors could not be broadcast together with shapes \(shapes.map(Shape.list).joined(separator: ", "))")
        }
        dims = definedDims
        indexShape = broadcast
        columns = definedDims.map { IndexPlan.broadcastValues(expanded[$0]!.values, expanded[$0]!.shape, to: broadcast) }
        adjacent = definedDims.isEmpty || definedDims.last! - definedDims.first! + 1 == definedDims.count
        let rest = shape.indices.filter { !definedDims.contains($0) }
        if adjacent, let first = definedDims.first {
            resultShape = Array(shape[..<first]) + broadcast + Array(shape[(definedDims.last! + 1)...])
        } else {
            resultShape = broadcast + rest.map { shape[$0] }
        }
    }

    /// The flat source position of every result element, row-major, after
    /// checking each index against its dimension. PyTorch's message names
    /// the index's place among the tensor items (`labelByDim` names the
    /// source dimension instead, as `index_fill_` does).
    func resolve(labelByDim: Bool = false) throws -> ResolvedIndex {
        let strides = Shape.contiguousStrides(sourceShape)
        let rest = sourceShape.indices.filter { !dims.contains($0) }
        let lead = adjacent ? (dims.first ?? 0) : 0
        let indexCount = Shape.numel(indexShape)
        let indexStrides = Shape.contiguousStrides(indexShape)
        var positions: [Int] = []
        positions.reserveCapacity(Shape.numel(resultShape))
        var coord = [Int](repeating: 0, count: resultShape.count)
        for _ in 0..<Shape.numel(resultShape) {
            // Split the result coordinate into the index part and the rest.
            var flat = 0
            for k in 0..<indexShape.count { flat += coord[lead + k] * indexStrides[k] }
            var p = 0
            for (ordinal, d) in dims.enumerated() where indexCount > 0 {
                let size = sourceShape[d]
                let i = Int(columns[ordinal][flat])
                guard i >= -size && i < size else {
                    throw TorchError.index("index \(i) is out of bounds for dimension \(labelByDim ? d : ordinal) with size \(size)")
                }
                p += (i < 0 ? i + size : i) * strides[d]
            }
            var r = 0
            for k in coord.indices where k < lead || k >= lead + indexShape.count {
                p += coord[k] * strides[rest[r]]
                r += 1
            }
            positions.append(p)
            Shape.increment(&coord, within: resultShape)
        }
        return ResolvedIndex(sourceShape: sourceShape, resultShape: resultShape, positions: positions, given: given)
    }

    /// `nonzero()` of a mask as one coordinate column per dimension.
    private static func nonzero(_ mask: Tensor) -> [[Double]] {
        var columns = [[Double]](repeating: [], count: mask.rank)
        var coord = [Int](repeating: 0, count: mask.rank)
        for v in mask.values {
            if v != 0 { for k in coord.indices { columns[k].append(Double(coord[k])) } }
            var k = coord.count - 1
            while k >= 0 {
                coord[k] += 1
                if coord[k] < mask.shape[k] { break }
                coord[k] = 0
                k -= 1
            }
        }
        return columns
    }

    private static func broadcastValues(_ values: [Double], _ shape: [Int], to target: [Int]) -> [Double] {
        let own = Shape.contiguousStrides(shape), lead = target.count - shape.count
        let strides = target.indices.map { i in i < lead || shape[i - lead] == 1 ? 0 : own[i - lead] }
        return StridedOffsets(shape: target, strides: strides, offset: 0).map { values[$0] }
    }
}

/// An advanced index ready to apply: for each result element, its flat
/// position in the (row-major) source.
struct ResolvedIndex {
    let sourceShape: [Int]
    let resultShape: [Int]
    let positions: [Int]
    let given: [Tensor]
}

extension Tensor {
    /// `index(indices)` (IndexBackward0, saves `indices`): a gathered copy.
    /// Its gradient is `index_put` with accumulation into zeros, so
    /// repeated indices add up.
    func indexGather(_ index: ResolvedIndex) throws -> Tensor {
        let input = values
        let out = make(index.positions.map { input[$0] }, index.resultShape, dtype)
        return try Tensor.record("IndexBackward0", inputs: [self], output: out, save: { node in
            for t in index.given { node.save("indices", t) }
        }) { node, grad in
            for variable in node.saved where variable.name == "indices" { _ = try variable.unpack(owner: node) }
            return [try Tensor.indexAccumulate(into: index, grad)]
        }
    }

    /// `zeros._index_put_impl_(indices, values, accumulate=True)`
    /// (IndexPutImplBackward0, saves `indices`): only `values` is
    /// differentiable.
    static func indexAccumulate(into index: ResolvedIndex, _ values: Tensor) throws -> Tensor {
        let v = values.values(broadcastTo: index.resultShape)
        var out = [Double](repeating: 0, count: Shape.numel(index.sourceShape))
        for (i, p) in index.positions.enumerated() { out[p] += v[i] }
        let result = values.make(out.map(values.dtype.round), index.sourceShape, values.dtype)
        return try record("IndexPutImplBackward0", inputs: [nil, values], output: result, save: { node in
            for t in index.given { node.save("indices", t) }
        }) { node, grad in
            for variable in node.saved where variable.name == "indices" { _ = try variable.unpack(owner: node) }
            return [nil, try grad.indexGather(index)]
        }
    }

    /// `index_put(indices, values)` out of place (IndexPutBackward0).
    func indexPut(_ index: ResolvedIndex, _ values: Tensor) throws -> Tensor {
        let update = InPlaceUpdate.indexPut(index, values)
        let out = make(try update.forward(self), shape, dtype)
        return try Tensor.record(update.name, inputs: [self] + update.inputs, output: out, backward: update.backward)
    }

    /// The elements at `positions` set to `value` out of place, recorded as
    /// `name` (MaskedFillBackward0 / IndexFillBackward0); only self is differentiable.
    func filled(at index: ResolvedIndex, _ value: Double, name: String) throws -> Tensor {
        let update = InPlaceUpdate.fill(at: index, value, name: name)
        let out = make(try update.forward(self), shape, dtype)
        return try Tensor.record(name, inputs: [self], output: out, backward: update.backward)
    }
}

extension InPlaceUpdate {
    /// `index_put_(indices, values)` (IndexPutBackward0): the written
    /// elements' old values get no gradient; `values` gets the gradient
    /// gathered at the indices (summed back if it was broadcast).
    static func indexPut(_ index: ResolvedIndex, _ values: Tensor) -> InPlaceUpdate {
        InPlaceUpdate(name: "IndexPutBackward0", inputs: [values], forward: { t in
            var out = t.values
            let v = values.values(broadcastTo: index.resultShape)
            for (i, p) in index.positions.enumerated() { out[p] = t.dtype.round(v[i]) }
            return out
        }, backward: { node, grad in
            let zero = Tensor.zeros(grad.runtime, shape: [], dtype: grad.dtype)
            return [node.needsInputGrad(0) ? try grad.indexPut(index, zero) : nil,
                    node.needsInputGrad(1) ? try grad.indexGather(index) : nil]
        })
    }

    /// `masked_fill_(mask, number)` / `index_fill_(dim, index, number)`.
    static func fill(at index: ResolvedIndex, _ value: Double, name: String) -> InPlaceUpdate {
        InPlaceUpdate(name: name, inputs: [], forward: { t in
            var out = t.values
            for p in index.positions { out[p] = t.dtype.round(value) }
            return out
        }, backward: { _, grad in
            [try grad.filled(at: index, 0, name: name)]
        })
    }
}
