/// One module call the forward pass was inside of when a node was made, so
/// a picture can group the graph by the `nn.Module` that built it.
public struct ModuleScope: Equatable, Sendable {
    /// The module's place in the script: `fc1`, `model.0`, `net.head.1`.
    public let path: String
    /// A short description: `Linear(4, 8)`, `Dropout(p=0.5)`, `Sequential`.
    public let summary: String
    /// The module's mode during this call, for modules whose forward depends
    /// on it (Dropout, BatchNorm1d); nil for the others.
    public let training: Bool?
    /// Which call this is, in the runtime's order (a module called twice in
    /// one graph gives two clusters); set when the call starts.
    public internal(set) var call: Int = 0

    public init(path: String, summary: String, training: Bool? = nil) {
        self.path = path
        self.summary = summary
        self.training = training
    }

    /// `fc1: Linear(4, 8)`, `drop: Dropout(p=0.5) [train]`.
    public var label: String {
        "\(path): \(summary)" + (training.map { $0 ? " [train]" : " [eval]" } ?? "")
    }
}

extension Node {
    /// The innermost call of a module whose forward depends on its mode
    /// (Dropout, BatchNorm1d) that made this node, with that mode; nil for
    /// nodes made outside such modules.
    public var modeScope: ModuleScope? { moduleScope.last { $0.training != nil } }
}
