/// The element types a tensor can hold, as PyTorch names them.
///
/// Storage keeps every element as a `Double`; a dtype decides how results are
/// rounded (float32 through `Float`), how they print, and how types promote.
public enum DType: String, Sendable, CaseIterable {
    case float32, float64, int64, bool

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// `torch.float32` and friends, as Python prints a dtype.
    public var torchName: String { "torch.\(rawValue)" }

    /// The legacy type string used in PyTorch's messages (`torch.FloatTensor`).
    public var legacyTensorName: String {
        switch self {
        case .float32: return "torch.FloatTensor"
        case .float64: return "torch.DoubleTensor"
        case .int64: return "torch.LongTensor"
        case .bool: return "torch.BoolTensor"
        }
    }

    /// Rounds a value computed in double precision to what this dtype can hold.
    @inline(__always)
    public func round(_ x: Double) -> Double {
        switch self {
        case .float64: return x
        case .float32: return Double(Float(x))
        case .int64:
            // Out of range (and NaN) converts to INT64_MIN, as x86's
            // cvttsd2si does for PyTorch; keeps every value a valid Int.
            guard x > -9.2233720368547758e18 && x < 9.2233720368547758e18 else { return -9.2233720368547758e18 }
            return x.rounded(.towardZero)
        case .bool: return x != 0 ? 1 : 0
        }
    }

    /// Promotion order inside one category: bool < int64 < float32 < float64.
    var rank: Int {
        switch self {
        case .bool: return 0
        case .int64: return 1
        case .float32: return 2
        case .float64: return 3
        }
    }

    /// PyTorch's `canCast`: an in-place result may not move to a lower
    /// category (floating → integer → bool).
    public static func canCast(_ from: DType, to: DType) -> Bool {
        if from.isFloatingPoint && !to.isFloatingPoint { return false }
        if from != .bool && to == .bool { return false }
        return true
    }

    /// `Float`, `Double`, `Long`, `Bool`, as PyTorch's messages name types.
    public var scalarTypeName: String {
        switch self {
        case .float32: return "Float"
        case .float64: return "Double"
        case .int64: return "Long"
        case .bool: return "Bool"
        }
    }

    /// `torch.promote_types` for the dtypes we support.
    public static func promote(_ a: DType, _ b: DType) -> DType { a.rank >= b.rank ? a : b }
}
