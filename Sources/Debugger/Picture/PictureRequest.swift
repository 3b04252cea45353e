import Graphviz
import ModelScript

/// How a picture is drawn: the command-line options every picture command
/// shares.
public struct PictureOptions: Sendable, Equatable {
    /// `--legend`: add a cluster with one example of each style.
    public var legend: Bool
    /// `--max-nodes`: graphs with more nodes than this are collapsed, so
    /// Graphviz's `dot` layout stays within seconds (it takes ~0.2 s for
    /// 1,000 nodes and ~8 s for 5,000).
    public var maxNodes: Int
    /// `--focus NAME`: only the neighbourhood of the tensor bound to NAME.
    public var focus: String?
    /// `--flow`: what the edges of a picture after a backward call say about
    /// the gradient that flowed along them.
    public var flow: FlowLabels
    /// `--depth K`. With `focus`: how many edges (in either direction) away
    /// from the tensor and its grad_fn to keep (nil: `focusDepth`). Without
    /// it: how many levels of module calls are drawn as clusters; a module
    /// call nested deeper becomes one box (nil: every level is drawn).
    public var depth: Int?
    /// Where SVG and PNG are laid out: in this child process (the CLI's
    /// choice: a Graphviz fault or an endless layout ends only the child),
    /// or, when nil, in this process.
    public var layoutProcess: GraphvizProcess?

    /// `--focus` without `--depth`.
    public static let focusDepth = 2

    public init(legend: Bool = false, maxNodes: Int = 400, focus: String? = nil, depth: Int? = nil,
                flow: FlowLabels = .values) {
        self.legend = legend
        self.flow = flow
        self.maxNodes = maxNodes
        self.focus = focus
        self.depth = depth
    }
}

/// What a picture's edges say about the gradient that flowed along them
/// (`--flow`), read from the call's `flow` in the run document.
public enum FlowLabels: String, Sendable, CaseIterable {
    /// Nothing.
    case none
    /// The gradient's L2 norm.
    case norm
    /// The values of a gradient of up to four elements, else its shape and norm.
    case values
}

/// Which moment of a run a graph shows.
public enum Moment: Sendable, Equatable {
    /// Just before the `index`-th backward call (1-based).
    case before(index: Int)
    /// Just after the `index`-th backward call, whether or not it raised.
    case after(index: Int)
    /// Where the script ended (or stopped on its error).
    case end

    /// Parses the command line's spelling: `before-K`, `after-K` or `end`.
    public init?(_ text: String) {
        if text == "end" {
            self = .end
            return
        }
        let parts = text.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let k = Int(parts[1]), k >= 1 else { return nil }
        switch parts[0] {
        case "before": self = .before(index: k)
        case "after": self = .after(index: k)
        default: return nil
        }
    }

    /// The backward call the moment is around (nil for `end`).
    public var callIndex: Int? {
        switch self {
        case .before(let k), .after(let k): return k
        case .end: return nil
        }
    }
}

/// A picture of B's graph compared with A's (`diff -o`): per tensor id of
/// the graph, its band and the note its label gets.
public struct PictureComparison: Sendable {
    public struct Mark: Sendable {
        public var band: DiffPicture.Band
        public var note: String
    }
    public var marks: [String: Mark]
    public var tolerance: DiffTolerance
}

/// Everything one picture is drawn from.
public struct PictureRequest: Sendable {
    /// A GRAPH snapshot (`{"nodes": [...]}`, docs/RUN-DOCUMENT.md).
    public var graph: JSON
    /// The backward CALL entry of the run document, for `.before`/`.after`;
    /// nil for `.end`.
    public var call: JSON?
    /// For `.after`: the call's `before` GRAPH, to tell new gradients from
    /// accumulated and untouched ones.
    public var previous: JSON?
    public var moment: Moment
    /// Shown first in the picture's label (the model's name).
    public var title: String?
    public var options: PictureOptions
    /// For `.end`: the run document's `error` when the script raised (its
    /// message and `notes` are shown in the label).
    public var error: JSON?
    /// `diff -o`: how far each tensor's gradient is from the other run's
    /// (tensors filled by band instead of by role, the bands in the label).
    public var comparison: PictureComparison?

    public init(graph: JSON, call: JSON? = nil, previous: JSON? = nil, moment: Moment,
                title: String? = nil, options: PictureOptions = PictureOptions(), error: JSON? = nil) {
        self.error = error
        self.graph = graph
        self.call = call
        self.previous = previous
        self.moment = moment
        self.title = title
        self.options = options
    }
}
