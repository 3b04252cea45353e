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

/// Runs a parsed model script on the engine, statement by statement.
public final class Interpreter {
    public let runtime: Runtime
    public let path: String
    /// Top-level names, in binding order. (Read and written for nearly every
    /// expression and statement, never during another access to it: no
    /// runtime exclusivity check, as for the engine's hot state.)
    @exclusivity(unchecked) public internal(set) var globals: [String: Value] = [:]
    public private(set) var bindingOrder: [String] = []
    /// Every line the script printed.
    public private(set) var stdout: [String] = []
    /// Warnings (`UserWarning: ...`) with where they were raised.
    public private(set) var warnings: [(message: String, location: SourceLocation)] = []
    public weak var observer: BackwardObserver?
    /// Called with each printed line as it is printed.
    public var onPrint: ((String) -> Void)?
    var backwardCount = 0
    /// Nested lambda calls now running, against `maxCallDepth`.
    var callDepth = 0
    static let maxCallDepth = 200
    private var pendingOutput = ""
    @exclusivity(unchecked) var currentStatement: Stmt?
    /// Deterministic stand-ins for memory addresses in printed reprs.
    var addresses: [ObjectIdentifier: (object: AnyObject, address: Int)] = [:]
    var nextHookID = 0
    /// The script object of each nn.Module (one per module, for `is`).
    var moduleObjects: [ObjectIdentifier: ModuleObject] = [:]
    /// The script's lines, for the forward locations anomaly mode records.
    private var sourceLines: [Substring] = []
    /// The forward location of each line of `sourceLines`, made the first time
    /// a statement on it runs in anomaly mode: trimming the text costs more
    /// than most ops, and a loop body runs the same few lines many times.
    private var lineLocations: [ForwardLocation?] = []
    /// The script's file name without its folders, as anomaly warnings name it.
    private lazy var fileName = path.split(separator: "/").last.map(String.init) ?? path

    public init(path: String, seed: UInt64) {
        self.runtime = Runtime(seed: seed)
        self.path = path
        // What a reference run puts in scope before the first line.
        bind("torch", .module("torch"))
        bind("nn", .module("torch.nn"))
        bind("F", .module("torch.nn.functional"))
        runtime.onWarning = { [unowned self] message in self.warn(message) }
    }

    /// Parses and runs `source`. Throws `ScriptError` for syntax, unsupported
    /// constructs and exceptions the script raised; what ran before an
    /// exception stays visible in `globals` and `stdout`.
    public func run(_ source: String) throws {
        defer { flushOutput() }
        let program = try Parser.parse(source)
        sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        lineLocations = Array(repeating: nil, count: sourceLines.count)
        try execute(program)
    }

    public func execute(_ program: [Stmt]) throws {
        for stmt in program { try execute(stmt) }
    }

    /// Tensors bound to top-level names, and the parameters and buffers of
    /// every nn.Module bound to one (`model.0.weight`, `bn.running_mean`,
    /// PyTorch's `named_parameters()`/`named_buffers()` names after the
    /// module's), sorted by name.
    public var namedTensors: [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        for (name, value) in globals {
            switch value {
            case .tensor(let t): out.append((name, t))
            case .object(let o as ModuleObject):
                out += o.module.namedParameters(prefix: name) + o.module.namedBuffers(prefix: name)
            default: break
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    func bind(_ name: String, _ value: Value) {
        if globals.updateValue(value, forKey: name) == nil { bindingOrder.append(name) }
    }

    func lookup(_ name: String, at location: SourceLocation) throws -> Value {
        if let v = globals[name] { return v }
        if let v = Builtins.value(named: name, interpreter: self) { return v }
        throw ScriptError.raised(type: "NameError", message: "name '\(name)' is not defined", location)
    }

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

    /// Ends an open line at the end of the run.
    func flushOutput() {
        guard !pendingOutput.isEmpty else { return }
        write("\n")
    }

    func warn(_ message: String) {
        warnings.append((message, currentStatement?.location ?? SourceLocation(line: 1, column: 1)))
    }

    /// A stable fake address for `object`, in order of first use, so printed
    /// reprs (`<MulBackward0 object at 0x7f0000000010>`) are deterministic.
    func address(of object: AnyObject) -> String {
        let key = ObjectIdentifier(object)
        if let known = addresses[key] { return "0x" + String(known.address, radix: 16) }
        let address = 0x7f00_0000_0000 + 16 * addresses.count
        addresses[key] = (object, address)
        return "0x" + String(address, radix: 16)
    }
}

// MARK: - Statements

extension Interpreter {
    /// Signals for `break` and `continue`.
    enum LoopControl: Error { case breakLoop, continueLoop }

    func execute(_ stmt: Stmt) throws {
        currentStatement = stmt
        if runtime.anomalyDetection { runtime.currentLocation = forwardLocation(of: stmt) }
        switch stmt.kind {
        case .expr(let e):
            _ = try evaluate(e)
        case .assign(let targets, let valueExpr):
            let value = try evaluate(valueExpr)
            for target in targets { try assign(target, value) }
        case .augAssign(let target, let op, let valueExpr):
            try augmentedAssign(target, op, valueExpr, at: stmt.location)
        case .with(let items, let body):
            try executeWith(items, body)
        case .forLoop(let target, let iterableExpr, let body, _):
            let iterable = try evaluate(iterableExpr)
            let items = try iterate(iterable, at: iterableExpr.location)
            loop: for item in items {
                try assign(target, item)
                do {
                    for s in body { try execute(s) }
                } catch LoopControl.breakLoop {
                    break loop
                } catch LoopControl.continueLoop {
                    continue loop
                }
            }
        case .ifStmt(let test, let body, let orElse):
            let branch = try truth(evaluate(test), at: stmt.location) ? body : orElse
            for s in branch { try execute(s) }
        case .assert(let test, let messageExpr):
            guard try truth(evaluate(test), at: stmt.location) else {
                let message = try messageExpr.map { try str(evaluate($0)) } ?? ""
                throw ScriptError.raised(type: "AssertionError", message: message, test.location)
            }
        case .pass:
            break
        case .break:
            throw LoopControl.breakLoop
        case .continue:
            throw LoopControl.continueLoop
        case .importModule(let module, let alias, _):
            try importModule(module, alias: alias, at: stmt.location)
        case .importFrom(let module, let names):
            for item in names {
                // `from torch.optim import SGD` and `from torch.nn.functional
                // import relu` bind the attribute; `from torch import nn` the module.
                let isClass = item.name.first?.isUppercase == true
                let isFunction = ["torch.nn.functional", "torch.autograd", "math"].contains(module)
                if Self.importable.contains(module) && !Self.importable.contains("\(module).\(item.name)") && (isClass || isFunction) {
                    do {
                        bind(item.alias ?? item.name, try moduleAttribute(module, item.name))
                    } catch {
                        throw ScriptError.located(error, at: stmt.location)
                    }
                    continue
                }
                try importModule("\(module).\(item.name)", alias: item.alias ?? item.name, at: stmt.location)
            }
        default:
            throw ScriptError.unsupported("not yet", stmt.location)
        }
    }

    /// Switches anomaly detection (`set_detect_anomaly`, `detect_anomaly()`
    /// and their exits). Nodes made in anomaly mode keep the location of the
    /// running statement, which statements only keep current while the mode
    /// is on (making it costs more than most ops), so it is set here too.
    func setAnomalyDetection(_ enabled: Bool, checkNaN: Bool) {
        (runtime.anomalyDetection, runtime.anomalyCheckNaN) = (enabled, checkNaN)
        if enabled, let stmt = currentStatement { runtime.currentLocation = forwardLocation(of: stmt) }
    }

    /// The statement as Python's traceback shows a frame: the file's name,
    /// the line and its text without indentation.
    private func forwardLocation(of stmt: Stmt) -> ForwardLocation {
        let line = stmt.location.line
        guard line <= sourceLines.count else {
            return ForwardLocation(file: fileName, line: line, source: stmt.source.trimmingCharacters(in: .whitespaces))
        }
        if let known = lineLocations[line - 1] { return known }
        let location = ForwardLocation(file: fileName, line: line,
                                       source: String(sourceLines[line - 1]).trimmingCharacters(in: .whitespaces))
        lineLocations[line - 1] = location
        return location
    }

    static let importable: Set<String> = ["torch", "torch.nn", "torch.nn.functional", "torch.autograd", "torch.optim", "math"]

    private func importModule(_ module: String, alias: String?, at location: SourceLocation) throws {
        guard Self.importable.contains(module) else {
            throw ScriptError.unsupported("module '\(module)' is not available in model scripts (only torch, torch.nn, torch.nn.functional, torch.autograd, torch.optim and math)", location)
        }
        if let alias {
            bind(alias, .module(module))
        } else {
            bind(String(module.split(separator: ".")[0]), .module(String(module.split(separator: ".")[0])))
        }
    }

    private func executeWith(_ items: [WithItem], _ body: [Stmt]) throws {
        var exits: [() -> Void] = []
        defer { for exit in exits.reversed() { exit() } }
        for item in items {
            let value = try evaluate(item.context)
            guard case .context(let manager) = value else {
                throw ScriptError.raised(type: "TypeError", message: "'\(value.typeName)' object does not support the context manager protocol", item.context.location)
            }
            let entered = try manager.enter()
            exits.append(manager.exit)
            if let name = item.name { try assign(name, entered) }
        }
        for s in body { try execute(s) }
    }

    func assign(_ target: Expr, _ value: Value) throws {
        switch target.kind {
        case .name(let name, _):
            bind(name, value)
        case .tuple(let targets), .list(let targets):
            let items = try iterate(value, at: target.location)
            guard items.count == targets.count else {
                let message = items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))"
                throw ScriptError.raised(type: "ValueError", message: message, target.location)
            }
            for (t, v) in zip(targets, items) { try assign(t, v) }
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr)
            do { try setAttribute(object, name, value) } catch { throw ScriptError.located(error, at: target.location) }
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr)
            let index = try evaluate(indexExpr)
            do { try setItem(object, index, value) } catch { throw ScriptError.located(error, at: target.location) }
        default:
            throw ScriptError.syntax("cannot assign to expression", target.location)
        }
    }

    /// `x += y`: in place on tensors (the same object, version bumped), a
    /// rebinding for numbers, as in Python.
    private func augmentedAssign(_ target: Expr, _ op: BinaryOp, _ valueExpr: Expr, at location: SourceLocation) throws {
        let current = try evaluate(target)
        let operand = try evaluate(valueExpr)
        if case .tensor(let t) = current {
            do {
                try inPlaceBinary(t, op, operand)
            } catch {
                throw ScriptError.located(error, at: target.location)
            }
            if case .subscript = target.kind { try assign(target, .tensor(t)) }
            return
        }
        if case .list(let box) = current, op == .add {
            box.items += try iterate(operand, at: valueExpr.location)
            return
        }
        let result: Value
        do { result = try binary(op, current, operand) } catch { throw ScriptError.located(error, at: target.location) }
        try assign(target, result)
    }

    func inPlaceBinary(_ t: Tensor, _ op: BinaryOp, _ operand: Value) throws {
        let other = try tensorOperand(operand, like: t)
        switch op {
        case .add: try t.addInPlace(other)
        case .sub: try t.subInPlace(other)
        case .mul: try t.mulInPlace(other)
        case .div: try t.divInPlace(other)
        default: throw Raise.unsupported("in-place '\(op.rawValue)=' on tensors is not supported by autograd-viz")
        }
    }
}
