/// Everything the Debugger module can refuse to do, with messages that name
/// the culprit. Script failures are not here: a script's exception is part of
/// its run (`ScriptRun.error`), not a failure of the debugger.
public enum DebuggerError: Error, Equatable, CustomStringConvertible {
    /// `--focus NAME` named no tensor of the graph being drawn. `available`
    /// lists the graph's named tensors, sorted, so the message can offer them.
    case unknownFocus(name: String, available: [String])

    /// A picture option outside its range (`--depth -1`, `--max-nodes 0`).
    /// `option` is spelled as on the command line; `expected` says what
    /// would be accepted.
    case invalidOption(option: String, value: String, expected: String)

    /// A graph snapshot that does not have the shape of docs/RUN-DOCUMENT.md
    /// (`GRAPH = {"nodes": [...]}`); `reason` points at the first problem.
    case malformedGraph(reason: String)

    /// A picture moment that the run does not have (`after-3` of a run with
    /// two backward calls); `available` lists the ones it has.
    case noSuchMoment(String, available: [String])

    /// A moment whose call kept only a summary of its graphs
    /// (`--snapshots first-last` keeps the first and the last call in full).
    case summarizedMoment(String)

    /// Graphviz could not lay out or render a picture; the text is
    /// Graphviz's own message.
    case renderFailed(String)

    /// An output file or directory could not be written; `reason` is the
    /// operating system's word for it (`Permission denied`).
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownFocus(name, available):
            let names = available.isEmpty ? "it has no named tensors" : "named tensors: " + available.joined(separator: ", ")
            return "no tensor named '\(name)' in this graph (\(names))"
        case let .invalidOption(option, value, expected):
            return "\(option) must be \(expected) (got \(value))"
        case let .malformedGraph(reason):
            return "malformed graph snapshot: \(reason)"
        case let .noSuchMoment(moment, available):
            // A training loop has thousands of moments: name the ends.
            let shown = available.count <= 7 ? available : Array(available.prefix(2)) + ["…"] + available.suffix(3)
            return "no moment '\(moment)' in this run (available: \(shown.joined(separator: ", ")))"
        case let .summarizedMoment(moment):
            return "the graph at '\(moment)' was not recorded (only a summary was kept); run --snapshots all keeps every call's graphs, render --at draws any call"
        case let .renderFailed(message):
            return "Graphviz could not draw the picture: \(message)"
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason)"
        }
    }
}
