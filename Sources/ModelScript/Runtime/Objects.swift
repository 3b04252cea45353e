import Autograd

// The objects of user code: functions and their frames, classes and their
// instances, bound methods, and the method wrappers `staticmethod`,
// `classmethod` and `property`.

/// A variable shared between a function and the closures made inside it.
final class Cell {
    var value: Value?
    init(_ value: Value? = nil) { self.value = value }
}

/// One running function (or the module, or a class body): its variables by
/// slot, as the resolver laid them out, and where it is, for tracebacks.
final class Frame {
    /// `co_name`: `<module>`, `forward`, `<lambda>`, `<listcomp>`.
    let name: String
    @exclusivity(unchecked) var locals: [Value?]
    @exclusivity(unchecked) var cells: [Cell]
    /// The function running in this frame (nil for the module and class bodies).
    let function: FunctionObject?
    /// The expression or statement running now: a call's position while the
    /// callee runs, so a traceback can name every frame's line.
    @exclusivity(unchecked) var location: SourceLocation
    /// What a `return` statement left.
    var returnValue: Value = .none
    /// The generator this frame's body runs in, if it is one.
    weak var generator: GeneratorChannel?
    /// A class body's qualified name, for its functions' `__qualname__`.
    var classPrefix: String?
    /// A class body's `__class__` cell, filled once the class exists.
    var classCell: ClassCell?

    init(name: String, layout: ScopeLayout, function: FunctionObject?, closure: [Cell], at location: SourceLocation) {
        self.name = name
        self.function = function
        self.location = location
        self.locals = Array(repeating: nil, count: layout.locals.count)
        if layout.cells.isEmpty {
            self.cells = []
        } else {
            var cells: [Cell] = []
            cells.reserveCapacity(layout.cells.count)
            for _ in 0..<layout.ownCells { cells.append(Cell()) }
            cells += closure
            self.cells = cells
        }
    }

    /// The module's frame: its variables are globals, not slots.
    init(module location: SourceLocation) {
        self.name = "<module>"
        self.function = nil
        self.location = location
        self.locals = []
        self.cells = []
    }
}

/// The `__class__` cell of a class body. Weak: the class holds its
/// functions, which hold this cell.
final class ClassCell {
    weak var cls: ClassObject?
}

/// A function defined by `def` or `lambda`.
final class FunctionObject: ScriptObject {
    let definition: FunctionDef
    /// `__qualname__`: `f`, `Net.forward`, `outer.<locals>.inner`.
    let qualifiedName: String
    /// Default values, by position in `definition.parameters.all` (nil where none).
    let defaults: [Value?]
    let closure: [Cell]
    /// CPython's `__class__` cell: the class whose body created this
    /// function (or the function it is nested in), for zero-argument
    /// `super()` and `__class__`. Set when the function is made, so a
    /// decorator's wrapper in the class namespace does not hide it.
    var classCell: ClassCell?
    /// The class of `classCell`, nil while its body still runs.
    var definingClass: ClassObject? { classCell?.cls }
    /// How many parameters take positional arguments.
    let positionalCount: Int
    /// True when a call with exactly `positionalCount` positional arguments
    /// and no keywords can bind them straight into the slots.
    let isSimple: Bool

    init(_ definition: FunctionDef, qualifiedName: String, defaults: [Value?], closure: [Cell]) {
        self.definition = definition
        self.qualifiedName = qualifiedName
        self.defaults = defaults
        self.closure = closure
        let p = definition.parameters
        self.positionalCount = p.positionalOnly.count + p.regular.count
        self.isSimple = p.varArgs == nil && p.keywordOnly.isEmpty && p.varKeywords == nil && !definition.isGenerator
        super.init(typeName: "function")
    }

    var name: String { definition.name }
}

/// `obj.method`: the function with its first argument bound.
final class BoundMethod: ScriptObject {
    let receiver: Value
    let function: Value
    init(receiver: Value, function: Value) {
        self.receiver = receiver
        self.function = function
        super.init(typeName: "method")
    }
}

/// `staticmethod(f)`, `classmethod(f)` and `property(fget, fset)` as they sit
/// in a class namespace.
final class MethodWrapper: ScriptObject {
    enum Kind { case staticMethod, classMethod }
    let kind: Kind
    let function: Value
    init(_ kind: Kind, _ function: Value) {
        self.kind = kind
        self.function = function
        super.init(typeName: kind == .staticMethod ? "staticmethod" : "classmethod")
    }
}

final class PropertyObject: ScriptObject {
    let getter: Value?
    let setter: Value?
    let deleter: Value?
    init(getter: Value?, setter: Value?, deleter: Value? = nil) {
        self.getter = getter
        self.setter = setter
        self.deleter = deleter
        super.init(typeName: "property")
    }
}

/// What a class is built on beyond plain Python objects.
enum ClassKind {
    /// `object` and classes of plain instances.
    case plain
    /// `BaseException` and its subclasses.
    case exception
    /// `nn.Module` subclasses: instances are `ModuleObject`s over a `ScriptModule`.
    case module
    /// `torch.autograd.Function` subclasses.
    case autogradFunction
    /// A class of a builtin value (`int`, `list`, `torch.Tensor`, `nn.Linear`,
    /// ...): `isinstance` and `type()` know it; calling it runs `construct`.
    case builtin
}

/// A class: its bases, method resolution order and namespace.
final class ClassObject: ScriptObject {
    let name: String
    let qualifiedName: String
    /// `__module__`: `__main__` for the script's classes, `builtins`, `torch.nn.modules.linear`, ...
    let moduleName: String
    let bases: [ClassObject]
    private(set) var mro: [ClassObject] = []
    @exclusivity(unchecked) var namespace: [String: Value]
    let kind: ClassKind
    /// The interpreter a script class belongs to, so a dict can call its
    /// `__hash__` and `__eq__`.
    weak var interpreter: Interpreter?
    /// How calling a builtin class makes its value.
    let construct: (([Value], [(String, Value)]) throws -> Value)?

    init(name: String, qualifiedName: String? = nil, moduleName: String, bases: [ClassObject], namespace: [String: Value] = [:],
         kind: ClassKind, construct: (([Value], [(String, Value)]) throws -> Value)? = nil) {
        self.name = name
        self.qualifiedName = qualifiedName ?? name
        self.moduleName = moduleName
        self.bases = bases
        self.namespace = namespace
        self.kind = kind
        self.construct = construct
        super.init(typeName: "type")
        self.mro = [self]
    }

    /// C3 linearisation, as Python's `type.mro()`.
    func computeMRO() throws {
        var sequences = bases.map(\.mro) + [bases]
        var result: [ClassObject] = [self]
        while true {
            sequences = sequences.filter { !$0.isEmpty }
            if sequences.isEmpty { break }
            guard let head = sequences.lazy.map({ $0[0] }).first(where: { candidate in
                !sequences.contains { $0.dropFirst().contains { $0 === candidate } }
            }) else {
                let names = bases.map(\.name).joined(separator: ", ")
                throw Raise.type("Cannot create a consistent method resolution order (MRO) for bases \(names)")
            }
            result.append(head)
            sequences = sequences.map { $0.first === head ? Array($0.dropFirst()) : $0 }
        }
        mro = result
    }

    /// Names of `namespace` that `lookup` passes over: the default slots of
    /// `object` and `BaseException` (`__eq__`, `__repr__`, `__setattr__`,
    /// ...). `super()`, `object.X` and `obj.X` reach them; the interpreter's
    /// own default behaviour keeps serving every class that does not
    /// define them, so these functions are not called for every `==`.
    var defaultSlots: Set<String> = []

    /// The class attribute `name`, looked up along the MRO (default slots
    /// left out).
    func lookup(_ name: String) -> Value? {
        for cls in mro { if let v = cls.namespace[name], !cls.defaultSlots.contains(name) { return v } }
        return nil
    }

    /// `name` along the MRO, default slots included (`C.__eq__` is
    /// `object.__eq__` when C defines none).
    func lookupIncludingDefaults(_ name: String) -> Value? {
        for cls in mro { if let v = cls.namespace[name] { return v } }
        return nil
    }

    func isSubclass(of other: ClassObject) -> Bool { mro.contains { $0 === other } }

    /// Whether this class builds on `kind` (a class of nn.Module subclasses, ...).
    func inherits(_ kind: ClassKind) -> Bool { mro.contains { $0.kind == kind } }

    override var repr: String { "<class '\(moduleName == "builtins" ? "" : moduleName + ".")\(qualifiedName)'>" }
}

/// An instance of a class the script defined (or of a builtin exception).
final class InstanceObject: ScriptObject {
    let cls: ClassObject
    init(_ cls: ClassObject) {
        self.cls = cls
        super.init(typeName: cls.name)
    }

    /// An exception's `args`.
    var args: [Value] {
        if case .tuple(let items)? = attributes["args"] { return items }
        return []
    }
}

/// `super()` bound to an object and the class to start after.
final class SuperObject: ScriptObject {
    let start: ClassObject
    let receiver: Value
    let receiverClass: ClassObject
    init(start: ClassObject, receiver: Value, receiverClass: ClassObject) {
        self.start = start
        self.receiver = receiver
        self.receiverClass = receiverClass
        super.init(typeName: "super")
    }
}
