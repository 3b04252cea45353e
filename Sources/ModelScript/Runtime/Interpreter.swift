import Autograd
import Foundation

/// A `backward()` or `torch.autograd.grad` call the script is about to make,
/// as the debugger reports it.
public struct BackwardCall {
    /// 1-based, in call order.
    public let index: Int
    /// `"backward"` or `"autograd.grad"`.
    public let kind: String
    public let location: SourceLocation
    /// The statement's source text, e.g. `loss.backward()`.
    public let source: String
    public let roots: [Tensor]
    public let retainGraph: Bool
    public let createGraph: Bool
}

/// Told about every backward call, to take snapshots around it.
public protocol BackwardObserver: AnyObject {
    func willRunBackward(_ call: BackwardCall, in interpreter: Interpreter)
    func didRunBackward(_ call: BackwardCall, in interpreter: Interpreter, error: Error?)
}

/// One frame of a traceback: the function (`<module>` for the script's top
/// level) and the position running in it, innermost last.
public struct TraceFrame: Equatable, Sendable {
    public let name: String
    public let location: SourceLocation
    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

/// Thrown at each statement once `Interpreter.statementBudget` is spent.
public struct StatementBudgetExhausted: Error, CustomStringConvertible {
    public var description: String { "the statement budget is exhausted" }
}

/// Runs a parsed model script on the engine, statement by statement.
public final class Interpreter {
    public let runtime: Runtime
    public let path: String
    /// The module's variables by slot (names in `globalNames`), as the
    /// resolver numbered them. (Read and written for nearly every expression
    /// and statement, never during another access to it: no runtime
    /// exclusivity check, as for the engine's hot state.)
    @exclusivity(unchecked) var globalValues: [Value?] = []
    private(set) var globalNames: [String] = []
    private var globalIndex: [String: Int] = [:]
    /// Top-level names in the order they were first bound.
    public internal(set) var bindingOrder: [String] = []
    /// Every line the script printed.
    public private(set) var stdout: [String] = []
    /// Lines printed to `sys.stderr`.
    public private(set) var stderr: [String] = []
    /// Warnings (`UserWarning: ...`) with where they were raised.
    public private(set) var warnings: [(message: String, location: SourceLocation)] = []
    /// The frames of the exception that stopped the script, outermost first.
    public internal(set) var traceback: [TraceFrame] = []
    /// Set when the script ended by an uncaught SystemExit (`sys.exit(...)`).
    public internal(set) var systemExit: ExitRequest?
    public weak var observer: BackwardObserver?
    /// Called with each printed line as it is printed.
    public var onPrint: ((String) -> Void)?
    /// Called with each line printed to `sys.stderr`.
    public var onPrintError: ((String) -> Void)?
    var backwardCount = 0
    /// The frames now running, the module's first.
    @exclusivity(unchecked) var frames: [Frame] = []
    /// Python's recursion limit (`sys.getrecursionlimit()`): frames deeper
    /// than this raise RecursionError instead of exhausting the stack.
    static let maxCallDepth = 1000
    /// Statements left to run before every further statement throws
    /// `StatementBudgetExhausted`; nil, the CLI's setting, for no limit. The
    /// fuzz target (fuzz/) sets it so that every input ends. The error stays
    /// thrown at each statement, so an `except` or `finally` cannot outlive it.
    public var statementBudget: Int?
    private var pendingOutput = ""
    private var pendingError = ""
    @exclusivity(unchecked) var currentStatement: Stmt?
    /// Deterministic stand-ins for memory addresses in printed reprs.
    /// Held weakly: printing an object's repr must not keep it (and the graph
    /// behind a grad_fn) alive for the rest of the run.
    var addresses: [ObjectIdentifier: (object: WeakObject, address: Int)] = [:]
    /// Addresses handed out so far, and the table size that triggers a sweep
    /// of the entries whose object is gone.
    private var addressesIssued = 0
    private var addressSweepAt = 1024
    var nextHookID = 0
    /// The script object of each nn.Module (one per module, for `is`).
    var moduleObjects: [ObjectIdentifier: ModuleObject] = [:]
    /// The module calls now running, innermost last, for naming the modules
    /// a forward calls (`model.fc1`).
    var moduleCalls: [(module: Module, path: String)] = []
    /// The exceptions being handled (`except` blocks now running), for a bare `raise`.
    var handling: [PyException] = []
    /// Classes of builtin values and exceptions, made once.
    lazy var classes = BuiltinClasses(self)
    /// Attributes of the standard modules already looked up (`math.sqrt`).
    var moduleAttributes: [String: Value] = [:]
    /// Whether to remember the names functions give tensors and modules
    /// (set by the debugger when it records snapshots).
    public var recordsLocalNames = false
    /// The path of each module's latest outermost call (`model`), for naming
    /// the parameters of a module no top-level name holds.
    var modulePaths: [ObjectIdentifier: String] = [:]
    /// Tensors and modules bound to variables of functions, by identity.
    var localNames: [ObjectIdentifier: LocalName] = [:]
    /// Containers whose repr is being written (for `[...]`).
    var reprInProgress: Set<ObjectIdentifier> = []
    /// How deep repr, comparison and copying have recursed into values.
    var valueNesting = 0
    /// Builtins already looked up, by name.
    var builtinCache: [String: Value] = [:]
    /// Generators made so far, to end the paused ones when the script ends.
    var liveGenerators: [WeakChannel] = []
    /// Python's `random` module's generator.
    var pythonRandom: PythonRandom
    /// The script's lines, for the forward locations anomaly mode records.
    private var sourceLines: [Substring] = []
    /// Each line of `sourceLines` trimmed, made the first time a statement on
    /// it runs in anomaly mode: trimming costs more than most ops, and a loop
    /// body runs the same few lines many times.
    private var lineTexts: [String?] = []
    /// The script's file name without its folders, as anomaly warnings name it.
    private lazy var fileName = path.split(separator: "/").last.map(String.init) ?? path

    public init(path: String, seed: UInt64) {
        self.runtime = Runtime(seed: seed)
        self.path = path
        // CPython seeds from the OS; a run here starts from the model's seed.
        self.pythonRandom = PythonRandom(seed: Int(truncatingIfNeeded: seed))
        runtime.onWarning = { [unowned self] message in self.warn(message) }
    }

    /// Parses and runs `source`. Throws `ScriptError` for syntax, unsupported
    /// constructs and exceptions the script raised (then `traceback` holds
    /// its frames); what ran before an exception stays visible in `globals`
    /// and `stdout`.
    public func run(_ source: String) throws {
        defer { flushOutput() }
        let program = try Parser.parse(source)
        sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        lineTexts = Array(repeating: nil, count: sourceLines.count)
        // The resolver recurses as deep as the parser lets code nest.
        try onLargeStack { try self.runModule(try Resolver.resolve(program)) }
    }

    /// Runs a resolved script as the module `__main__`.
    func runModule(_ script: ResolvedScript) throws {
        declareGlobals(script.globals)
        // What a reference run puts in scope before the first line.
        for (name, value) in [("torch", Value.module("torch")), ("nn", .module("torch.nn")), ("F", .module("torch.nn.functional")),
                              ("__name__", .string("__main__"))] where globalIndex[name] != nil {
            setGlobal(name, value)
        }
        let frame = Frame(module: SourceLocation(line: 1, column: 1))
        frames = [frame]
        defer {
            // A paused generator's thread waits for its next item: end it
            // while the interpreter it runs on still exists.
            for weak in liveGenerators { weak.channel?.closeQuietly() }
            liveGenerators = []
            frames = []
        }
        do {
            _ = try execute(script.body, in: frame)
        } catch let e as PyException {
            traceback = e.traceback
            if e.object.cls.isSubclass(of: classes.exception("SystemExit")) {
                systemExit = try? exitRequest(exceptionAttribute(e.object, "code") ?? .none)
            }
            throw ScriptError.raised(type: e.object.cls.name, message: exceptionMessage(e.object), e.location)
        } catch let e as ScriptError {
            if case .raised(_, _, let location) = e { traceback = [TraceFrame(name: "<module>", location: location)] }
            throw e
        }
    }

    /// What an uncaught `SystemExit(code)` asks of the process, as CPython's
    /// `handle_system_exit` reads it: None → status 0, an int → that status,
    /// anything else → its `str()` on stderr and status 1.
    public enum ExitRequest: Equatable {
        case status(Int32)
        case message(String)
    }

    private func exitRequest(_ code: Value) throws -> ExitRequest {
        switch code {
        case .none: return .status(0)
        case .bool(let b): return .status(b ? 1 : 0)
        // The process keeps the low byte of the status, as a C exit() does.
        case .int(let i): return .status(Int32(truncatingIfNeeded: i & 0xff))
        case .bigInt: return .status(255)
        default: return .message(try str(code))
        }
    }

    /// Runs `work` on a thread with room for Python's recursion limit: a
    /// script frame takes tens of kilobytes of the evaluator's stack in a
    /// debug build, far more than a secondary thread's default.
    private func onLargeStack(_ work: @escaping () throws -> Void) throws {
        // Written by the thread before it signals, read after the wait.
        final class Outcome: @unchecked Sendable { var result: Result<Void, Error> = .success(()) }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.result = Result(catching: work)
            done.signal()
        }
        thread.stackSize = 1 << 30
        thread.start()
        done.wait()
        try outcome.result.get()
    }

    // MARK: Globals

    func declareGlobals(_ names: [String]) {
        for name in names where globalIndex[name] == nil {
            globalIndex[name] = globalNames.count
            globalNames.append(name)
            globalValues.append(nil)
        }
    }

    /// The slot of a module global, made on first use (`from x import y` of a
    /// name the resolver knew, or `globals()` writes).
    func globalSlot(_ name: String) -> Int {
        if let i = globalIndex[name] { return i }
        declareGlobals([name])
        return globalNames.count - 1
    }

    func setGlobal(_ name: String, _ value: Value) { setGlobal(slot: globalSlot(name), value) }

    @inline(__always)
    func setGlobal(slot: Int, _ value: Value) {
        if globalValues[slot] == nil { bindingOrder.append(globalNames[slot]) }
        globalValues[slot] = value
    }

    /// Top-level names and their values, in binding order.
    public var globals: [String: Value] {
        var out: [String: Value] = [:]
        for (i, name) in globalNames.enumerated() { if let v = globalValues[i] { out[name] = v } }
        return out
    }

    /// The value of the top-level name `name`, if bound.
    public func global(named name: String) -> Value? {
        globalIndex[name].flatMap { globalValues[$0] }
    }

    /// Tensors bound to top-level names, and the parameters and buffers of
    /// every nn.Module bound to one (`model.0.weight`, `bn.running_mean`,
    /// PyTorch's `named_parameters()`/`named_buffers()` names after the
    /// module's), sorted by name.
    public var namedTensors: [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        for (i, name) in globalNames.enumerated() {
            switch globalValues[i] {
            case .tensor(let t)?: out.append((name, t))
            case .object(let o as ModuleObject)?:
                out += o.module.namedParameters(prefix: name) + o.module.namedBuffers(prefix: name)
            default: break
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// Tensors that functions bound to local variables and that are still
    /// alive, named `function.variable`, with the parameters and buffers of
    /// modules bound so (`main.model.fc1.weight`). A tensor also bound to a
    /// top-level name is left out (its global name wins).
    public var localTensorNames: [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        var stale: [ObjectIdentifier] = []
        for (key, entry) in localNames {
            switch entry.object {
            case let t as Tensor: out.append((entry.name, t))
            case let o as ModuleObject:
                // Named as its calls were (`model`), else by its variable.
                let prefix = modulePaths[ObjectIdentifier(o.module)] ?? entry.name
                out += o.module.namedParameters(prefix: prefix) + o.module.namedBuffers(prefix: prefix)
            default: stale.append(key)
            }
        }
        for key in stale { localNames[key] = nil }
        return out.sorted { $0.name < $1.name }
    }

    // MARK: Output

    /// Writes printed text; complete lines go to `stdout` and `onPrint` as
    /// they end (`print(x, end="")` leaves a line open).
    func write(_ text: String) {
        pendingOutput += text
        while let newline = pendingOutput.firstIndex(of: "\n") {
            let line = String(pendingOutput[..<newline])
            pendingOutput = String(pendingOutput[pendingOutput.index(after: newline)...])
            stdout.append(line)
            onPrint?(line)
        }
    }

    /// `print(..., file=sys.stderr)`: kept apart from `stdout`.
    func writeError(_ text: String) {
        pendingError += text
        while let newline = pendingError.firstIndex(of: "\n") {
            stderr.append(String(pendingError[..<newline]))
            onPrintError?(stderr[stderr.count - 1])
            pendingError = String(pendingError[pendingError.index(after: newline)...])
        }
    }

    /// Ends an open line at the end of the run.
    func flushOutput() {
        if !pendingOutput.isEmpty { write("\n") }
        if !pendingError.isEmpty { writeError("\n") }
    }

    /// Records a warning once per line that raises it, as Python's default
    /// warnings filter shows it (a loop reading `.grad` a million times
    /// keeps one).
    func warn(_ message: String) {
        let location = currentStatement?.location ?? SourceLocation(line: 1, column: 1)
        guard warningKeys.insert(WarningKey(line: location.line, message: message)).inserted else { return }
        warnings.append((message, location))
    }

    private struct WarningKey: Hashable {
        let line: Int
        let message: String
    }
    private var warningKeys = Set<WarningKey>()

    /// A stable fake address for `object`, in order of first use, so printed
    /// reprs (`<MulBackward0 object at 0x7f0000000010>`) are deterministic.
    func address(of object: AnyObject) -> String {
        let key = ObjectIdentifier(object)
        // An identifier whose object is gone may be reused by a new object,
        // which gets a new address.
        if let known = addresses[key], known.object.object === object { return "0x" + String(known.address, radix: 16) }
        let address = 0x7f00_0000_0000 + 16 * addressesIssued
        addressesIssued += 1
        if addresses.count >= addressSweepAt {
            addresses = addresses.filter { $0.value.object.object != nil }
            addressSweepAt = max(1024, addresses.count * 2)
        }
        addresses[key] = (WeakObject(object), address)
        return "0x" + String(address, radix: 16)
    }

    // MARK: Anomaly mode

    /// Switches anomaly detection (`set_detect_anomaly`, `detect_anomaly()`
    /// and their exits). Nodes made in anomaly mode keep the location of the
    /// running statement, which statements only keep current while the mode
    /// is on (making it costs more than most ops), so it is set here too.
    func setAnomalyDetection(_ enabled: Bool, checkNaN: Bool) {
        (runtime.anomalyDetection, runtime.anomalyCheckNaN) = (enabled, checkNaN)
        if enabled, let stmt = currentStatement { runtime.currentLocation = forwardLocation(of: stmt) }
    }

    /// Where the forward op now running is, as Python's traceback shows it:
    /// every frame of the script, each with its line's text.
    func forwardLocation(of stmt: Stmt) -> ForwardLocation {
        var out: [ForwardFrame] = []
        for (k, frame) in frames.enumerated() {
            let line = k == frames.count - 1 ? stmt.location.line : frame.location.line
            out.append(ForwardFrame(file: fileName, line: line, function: frame.name, source: lineText(line)))
        }
        if out.isEmpty { out.append(ForwardFrame(file: fileName, line: stmt.location.line, function: "<module>", source: lineText(stmt.location.line))) }
        return ForwardLocation(frames: out)
    }

    /// The text of the call a tensor was made by (`Tensor.origin`), or nil
    /// when no call made it (an operator; a column of 0).
    public func callText(at origin: SourceOrigin) -> String? {
        let line = Int(origin.line)
        guard origin.column > 0, line >= 1, line <= sourceLines.count else { return nil }
        return CallText.expression(in: sourceLines[line - 1], column: Int(origin.column))
    }

    /// Line `line` of the script without its indentation.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= sourceLines.count else { return "" }
        if let known = lineTexts[line - 1] { return known }
        let text = String(sourceLines[line - 1]).trimmingCharacters(in: .whitespaces)
        lineTexts[line - 1] = text
        return text
    }
}

/// A function's name for an object it bound (`forward.h1`), held weakly.
struct LocalName {
    weak var object: AnyObject?
    let name: String
}

/// A weak reference, for tables that must not keep their objects alive.
final class WeakObject {
    weak var object: AnyObject?
    init(_ object: AnyObject) { self.object = object }
}
