import Autograd

/// `import` and `from ... import`: torch and its submodules, and the parts of
/// Python's standard library scripts use. Anything else is Python's
/// ModuleNotFoundError (autograd-viz runs scripts without a Python installation).
extension Interpreter {
    /// Modules a script may import, each a `.module(name)` value.
    static let importable: Set<String> = [
        "torch", "torch.nn", "torch.nn.functional", "torch.autograd", "torch.optim", "torch.utils", "torch.utils.data",
        "torch.autograd.function", "math", "random", "sys", "time", "collections", "itertools", "functools", "typing",
        "__future__", "warnings", "copy", "operator", "string", "dataclasses",
    ]

    /// The standard-library modules among them (their functions are looked
    /// up as attributes, not called straight as torch functions are).
    static let pythonModules: Set<String> = [
        "math", "random", "sys", "time", "collections", "itertools", "functools", "typing", "__future__", "warnings",
        "copy", "operator", "string", "dataclasses",
    ]

    /// `import a.b.c`: the module `a` (what the statement binds without
    /// `as`), or `a.b.c` itself.
    func importModule(_ module: String, bindsTop: Bool, at location: SourceLocation) throws -> Value {
        guard Self.importable.contains(module) else {
            let missing = Self.importable.contains(where: { module.hasPrefix($0 + ".") }) ? module : String(module.split(separator: ".")[0])
            let missingName = Self.importable.contains(missing) ? module : missing
            let e = raise("ModuleNotFoundError", args: [.string("No module named '\(missingName)'")], at: location)
            e.object.attributes["name"] = .string(missingName)
            throw e
        }
        if bindsTop { return .module(String(module.split(separator: ".")[0])) }
        return .module(module)
    }

    /// `from module import name`: an attribute, or a submodule.
    func importName(_ name: String, from source: Value, module: String, at location: SourceLocation) throws -> Value {
        if Self.importable.contains("\(module).\(name)") { return .module("\(module).\(name)") }
        do {
            return try getAttribute(.module(module), name)
        } catch {
            let e = raise("ImportError", "cannot import name '\(name)' from '\(module)' (unknown location)", at: location)
            e.object.attributes["name"] = .string(module)
            throw e
        }
    }
}
