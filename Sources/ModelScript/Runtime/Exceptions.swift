import Autograd

/// A Python exception on its way up the script's frames: the exception
/// object, where it was raised, and the frames it was raised through.
final class PyException: Error {
    let object: InstanceObject
    let location: SourceLocation
    /// Outermost first; the last entry is `location`.
    private(set) var traceback: [TraceFrame]
    /// The outermost frame whose entry holds the position of what it was
    /// running when the exception came through (the raising frame's does
    /// from the start; the callers' are set as the exception reaches them).
    private var positionedDepth: Int

    init(_ object: InstanceObject, at location: SourceLocation, traceback: [TraceFrame]) {
        self.object = object
        self.location = location
        self.traceback = traceback
        self.positionedDepth = traceback.count - 1
    }

    /// The exception reached the frame at `depth`, first at the expression at
    /// `location`: that is where the traceback shows the frame, as CPython
    /// shows the instruction that made the call, implicit calls included (a
    /// property, `__getitem__`, a comprehension, a generator's `next`).
    func arrived(atDepth depth: Int, _ location: SourceLocation) {
        guard depth >= 0, depth < positionedDepth, depth < traceback.count else { return }
        traceback[depth] = TraceFrame(name: traceback[depth].name, location: location)
        positionedDepth = depth
    }
}

/// The builtin exception classes, parent first, as CPython 3.11 nests them.
private let exceptionHierarchy: [(name: String, parent: String?)] = [
    ("BaseException", nil), ("SystemExit", "BaseException"), ("KeyboardInterrupt", "BaseException"),
    ("GeneratorExit", "BaseException"), ("Exception", "BaseException"),
    ("StopIteration", "Exception"), ("ArithmeticError", "Exception"), ("FloatingPointError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"), ("ZeroDivisionError", "ArithmeticError"), ("AssertionError", "Exception"),
    ("AttributeError", "Exception"), ("BufferError", "Exception"), ("EOFError", "Exception"),
    ("ImportError", "Exception"), ("ModuleNotFoundError", "ImportError"), ("LookupError", "Exception"),
    ("IndexError", "LookupError"), ("KeyError", "LookupError"), ("MemoryError", "Exception"),
    ("NameError", "Exception"), ("UnboundLocalError", "NameError"), ("OSError", "Exception"),
    ("FileNotFoundError", "OSError"), ("RuntimeError", "Exception"), ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"), ("SyntaxError", "Exception"), ("SystemError", "Exception"),
    ("TypeError", "Exception"), ("ValueError", "Exception"), ("UnicodeError", "ValueError"),
    ("Warning", "Exception"), ("UserWarning", "Warning"), ("DeprecationWarning", "Warning"),
    ("RuntimeWarning", "Warning"), ("FutureWarning", "Warning"),
]

extension Interpreter {
    /// Gives an engine or builtin error the position of the expression that
    /// raised it, and the frames now running as its traceback; errors that
    /// already carry a position keep theirs.
    func located(_ error: Error, at location: SourceLocation) -> Error {
        switch error {
        case let e as PyException:
            e.arrived(atDepth: frames.count - 1, location)
            return e
        case let e as TorchError: return raise(e.typeName, e.message, at: location)
        case let e as Raise: return raise(e.type, args: e.args ?? [.string(e.message)], at: location)
        case let e as PythonError: return raise(e.type, e.message, at: location)
        case ScriptError.raised(let type, let message, let at): return raise(type, message, at: at)
        default: return error
        }
    }

    /// A new exception of the builtin class `type` with `str(e) == message`.
    func raise(_ type: String, _ message: String, at location: SourceLocation) -> PyException {
        raise(type, args: [.string(message)], at: location)
    }

    func raise(_ type: String, args: [Value], at location: SourceLocation) -> PyException {
        let object = InstanceObject(classes.exception(type))
        object.attributes["args"] = .tuple(args)
        chain(object)
        return PyException(object, at: location, traceback: traceback(at: location))
    }

    /// Implicit chaining: an exception raised while another is handled
    /// remembers it as `__context__`, replacing an older one, as
    /// `_PyErr_SetObject` does; a chain that would loop back to the raised
    /// exception is cut where it would.
    func chain(_ object: InstanceObject) {
        guard let current = handling.last, current.object !== object else { return }
        var link = current.object
        for _ in 0..<Interpreter.maxCallDepth {
            guard case .object(let next as InstanceObject)? = link.attributes["__context__"] else { break }
            if next === object {
                link.attributes["__context__"] = Value.none
                break
            }
            link = next
        }
        object.attributes["__context__"] = .object(current.object)
    }

    /// The attributes every exception has (`__cause__`, `value` of a
    /// StopIteration, `code` of a SystemExit, ...), when not set.
    func exceptionAttribute(_ o: InstanceObject, _ name: String) -> Value? {
        switch name {
        case "args": return .tuple(o.args)
        case "__cause__", "__context__", "__traceback__": return Value.none
        case "__suppress_context__": return .bool(false)
        case "value" where o.cls.isSubclass(of: classes.exception("StopIteration")),
             "code" where o.cls.isSubclass(of: classes.exception("SystemExit")):
            return o.args.isEmpty ? Value.none : o.args.count == 1 ? o.args[0] : .tuple(o.args)
        case "__notes__": return nil
        // ImportError's keyword-only fields.
        case "name", "path", "msg":
            guard o.cls.isSubclass(of: classes.exception("ImportError")) else { return nil }
            return name == "msg" && o.args.count == 1 ? o.args[0] : Value.none
        default: return nil
        }
    }

    /// The running frames, outermost first, with `location` for the innermost.
    func traceback(at location: SourceLocation) -> [TraceFrame] {
        var out = frames.map { TraceFrame(name: $0.name, location: $0.location) }
        if out.isEmpty { return [TraceFrame(name: "<module>", location: location)] }
        out[out.count - 1] = TraceFrame(name: out[out.count - 1].name, location: location)
        return out
    }

    /// The exception an error is, for `except`: nil for errors a script
    /// cannot catch (syntax and unsupported constructs, found before it ran).
    func pyException(from error: Error, at location: SourceLocation) -> PyException? {
        switch located(error, at: location) {
        case let e as PyException: return e
        case ScriptError.syntax, ScriptError.unsupported: return nil
        default: return raise("RuntimeError", "\(error)", at: location)
        }
    }

    /// `str(e)`: empty without arguments, the argument's `str` with one (its
    /// `repr` for KeyError), the tuple's repr with several.
    func exceptionMessage(_ e: InstanceObject) -> String {
        if let str = e.cls.lookup("__str__"), case .object(let f as FunctionObject) = str {
            if let v = try? callFunction(f, [.object(e)], []), case .string(let s) = v { return s }
        }
        return defaultExceptionMessage(e)
    }

    /// `BaseException.__str__`: the message made from the arguments alone.
    func defaultExceptionMessage(_ e: InstanceObject) -> String {
        let args = e.args
        switch args.count {
        case 0: return ""
        case 1: return (try? e.cls.isSubclass(of: classes.exception("KeyError")) ? repr(args[0]) : str(args[0])) ?? ""
        default: return (try? repr(.tuple(args))) ?? ""
        }
    }

    /// Whether an exception matches an `except` clause's type (a class or a
    /// tuple of classes).
    func exceptionMatches(_ e: PyException, _ type: Value, at location: SourceLocation) throws -> Bool {
        switch type {
        case .tuple(let types):
            return try types.contains { try exceptionMatches(e, $0, at: location) }
        case .object(let cls as ClassObject) where cls.inherits(.exception):
            return e.object.cls.isSubclass(of: cls)
        default:
            throw raise("TypeError", "catching classes that do not inherit from BaseException is not allowed", at: location)
        }
    }

    /// What `raise value` raises: an exception instance, or a new instance
    /// of an exception class.
    func exceptionObject(_ value: Value, at location: SourceLocation) throws -> InstanceObject {
        switch value {
        case .object(let o as InstanceObject) where o.cls.inherits(.exception):
            return o
        case .object(let cls as ClassObject) where cls.inherits(.exception):
            guard case .object(let o as InstanceObject) = try call(value, [], [], at: location) else {
                throw raise("TypeError", "calling \(cls.repr) should have returned an instance of BaseException, not NoneType", at: location)
            }
            return o
        default:
            throw raise("TypeError", "exceptions must derive from BaseException", at: location)
        }
    }
}

/// The classes of builtin values, made once per interpreter: `object`,
/// `type`, the number, text and container types, the exceptions, and the
/// torch classes scripts subclass or test with `isinstance`.
final class BuiltinClasses {
    unowned let interpreter: Interpreter
    let object: ClassObject
    let type: ClassObject
    private var byName: [String: ClassObject] = [:]
    /// Classes of torch values by qualified name (`torch.nn.Linear`,
    /// `MulBackward0`), made on first use.
    private var torchClasses: [String: ClassObject] = [:]

    init(_ interpreter: Interpreter) {
        self.interpreter = interpreter
        object = ClassObject(name: "object", moduleName: "builtins", bases: [], kind: .plain)
        object.namespace["__init__"] = .function(Function("object.__init__") { _, _ in .none })
        for (name, slot) in interpreter.objectSlots() { object.namespace[name] = slot }
        object.defaultSlots = Set(interpreter.objectSlots().keys)
        type = ClassObject(name: "type", moduleName: "builtins", bases: [object], kind: .builtin)
        byName["object"] = object
        byName["type"] = type
        for (name, parent) in exceptionHierarchy {
            let cls = ClassObject(name: name, moduleName: "builtins", bases: [parent.flatMap { byName[$0] } ?? object], kind: .exception)
            try? cls.computeMRO()
            byName[name] = cls
        }
        let importError = byName["ImportError"]!
        byName["BaseException"]!.namespace["__init__"] = .function(Function("BaseException.__init__") { args, kwargs in
            guard case .object(let o as InstanceObject)? = args.first else { return .none }
            o.attributes["args"] = .tuple(Array(args.dropFirst()))
            // Only ImportError takes keywords: its `name` and `path`.
            for (key, value) in kwargs {
                guard o.cls.isSubclass(of: importError) else { throw Raise.type("\(o.cls.name)() takes no keyword arguments") }
                guard key == "name" || key == "path" else {
                    throw Raise.type("'\(key)' is an invalid keyword argument for \(o.cls.name)()")
                }
                o.attributes[key] = value
            }
            return .none
        })
        for (name, slot) in interpreter.exceptionSlots() { byName["BaseException"]!.namespace[name] = slot }
        byName["BaseException"]!.defaultSlots = Set(interpreter.exceptionSlots().keys)
        try? type.computeMRO()
    }

    func exception(_ name: String) -> ClassObject {
        if let cls = byName[name], cls.kind == .exception { return cls }
        // A class PyTorch raises that Python does not have (`torch.OutOfMemoryError`).
        let cls = ClassObject(name: name, moduleName: "builtins", bases: [byName["RuntimeError"]!], kind: .exception)
        try? cls.computeMRO()
        byName[name] = cls
        return cls
    }

    /// The builtin exception classes by name, for the builtins table.
    var exceptionNames: [String] { exceptionHierarchy.map(\.name) }

    /// The class of builtin values called `name` (`int`, `list`, ...),
    /// made on first use with `construct` as its constructor.
    func builtin(_ name: String, moduleName: String = "builtins", base: ClassObject? = nil,
                 construct: (([Value], [(String, Value)]) throws -> Value)? = nil) -> ClassObject {
        let key = moduleName == "builtins" ? name : "\(moduleName).\(name)"
        if let cls = byName[key] { return cls }
        let cls = ClassObject(name: name, moduleName: moduleName, bases: [base ?? object], kind: .builtin, construct: construct)
        try? cls.computeMRO()
        byName[key] = cls
        return cls
    }

    /// A class of torch values (`torch.Tensor`, `torch.nn.Linear`, a grad_fn
    /// class), made on first use.
    func torch(_ qualified: String, name: String, kind: ClassKind = .builtin, base: ClassObject? = nil,
               construct: (([Value], [(String, Value)]) throws -> Value)? = nil) -> ClassObject {
        if let cls = torchClasses[qualified] { return cls }
        let moduleName = qualified.split(separator: ".").dropLast().joined(separator: ".")
        let cls = ClassObject(name: name, moduleName: moduleName, bases: [base ?? object], kind: kind, construct: construct)
        try? cls.computeMRO()
        torchClasses[qualified] = cls
        return cls
    }
}
