import Autograd

/// The default special methods of `object`, `BaseException` and
/// `nn.Module` as functions a script can call: `super().__setattr__(n, v)`
/// in a class's own `__setattr__`, `object.__setattr__(self, n, v)`,
/// `super().__repr__()`, `__hash__ = object.__hash__`. Each does what the
/// interpreter does for a class that defines no such method, without
/// looking for the script's own (which is usually the caller).
extension Interpreter {
    /// `object`'s slots, receiver first.
    func objectSlots() -> [String: Value] {
        [
            "__setattr__": slot("object.__setattr__", 3) { [unowned self] a in
                try self.defaultSetAttribute(a[0], try self.attributeName(a[1]), a[2], plain: true)
                return .none
            },
            "__delattr__": slot("object.__delattr__", 2) { [unowned self] a in
                try self.defaultDeleteAttribute(a[0], try self.attributeName(a[1]), plain: true)
                return .none
            },
            "__getattribute__": slot("object.__getattribute__", 2) { [unowned self] a in
                let name = try self.attributeName(a[1])
                if case .object(let o as InstanceObject) = a[0] { return try self.instanceAttribute(o, name, getattrFallback: false) }
                return try self.getAttribute(a[0], name)
            },
            "__repr__": slot("object.__repr__", 1) { [unowned self] a in .string(self.defaultRepr(a[0])) },
            "__str__": slot("object.__str__", 1) { [unowned self] a in .string(try self.repr(a[0])) },
            "__eq__": slot("object.__eq__", 2) { [unowned self] a in
                self.identical(a[0], a[1]) ? .bool(true) : .object(NotImplementedValue.shared)
            },
            "__ne__": slot("object.__ne__", 2) { [unowned self] a in try self.defaultNotEqual(a[0], a[1]) },
            // The identity hash, whatever the class's own `__hash__` says.
            "__hash__": slot("object.__hash__", 1) { a in
                if case .object(let o) = a[0] { return .int(o.serial) }
                return .int((try? HashKey(a[0]))?.pythonHash ?? 0)
            },
        ]
    }

    /// `BaseException`'s `__str__` and `__repr__`.
    func exceptionSlots() -> [String: Value] {
        [
            "__str__": slot("BaseException.__str__", 1) { [unowned self] a in
                guard case .object(let e as InstanceObject) = a[0] else { return .string(try self.str(a[0])) }
                return .string(self.defaultExceptionMessage(e))
            },
            "__repr__": slot("BaseException.__repr__", 1) { [unowned self] a in
                guard case .object(let e as InstanceObject) = a[0] else { return .string(try self.repr(a[0])) }
                let args = e.args
                return .string(e.cls.name + (args.count == 1 ? "(\(try self.repr(args[0])))" : try self.repr(.tuple(args))))
            },
        ]
    }

    /// `nn.Module`'s `__setattr__`, `__delattr__` and `__repr__`: what
    /// `super().__setattr__(name, value)` in a module's own `__setattr__`
    /// reaches, so parameters and submodules still register.
    func moduleSlots() -> [String: Value] {
        [
            "__setattr__": slot("Module.__setattr__", 3) { [unowned self] a in
                try self.defaultSetAttribute(a[0], try self.attributeName(a[1]), a[2], plain: false)
                return .none
            },
            "__delattr__": slot("Module.__delattr__", 2) { [unowned self] a in
                try self.defaultDeleteAttribute(a[0], try self.attributeName(a[1]), plain: false)
                return .none
            },
            "__repr__": slot("Module.__repr__", 1) { [unowned self] a in
                guard case .object(let o as ModuleObject) = a[0] else { return .string(self.defaultRepr(a[0])) }
                return .string(try o.module.repr())
            },
        ]
    }

    /// A slot function taking exactly `count` arguments, the receiver first,
    /// with CPython's TypeError for a wrong count.
    private func slot(_ qualified: String, _ count: Int, _ body: @escaping ([Value]) throws -> Value) -> Value {
        let name = String(qualified.split(separator: ".").last!)
        return .function(Function(qualified) { args, kwargs in
            guard kwargs.isEmpty else { throw Raise.type("wrapper \(name)() takes no keyword arguments") }
            guard !args.isEmpty else {
                let owner = qualified.split(separator: ".").first!
                throw Raise.type("descriptor '\(name)' of '\(owner)' object needs an argument")
            }
            guard args.count == count else {
                // wrap_setattr unpacks with an empty function name: CPython's leading space.
                let prefix = name == "__setattr__" ? " " : ""
                throw Raise.type("\(prefix)expected \(count - 1) argument\(count == 2 ? "" : "s"), got \(args.count - 1)")
            }
            return try body(args)
        })
    }

    private func attributeName(_ value: Value) throws -> String {
        guard case .string(let name) = value else {
            throw Raise.type("attribute name must be string, not '\(typeName(of: value))'")
        }
        return name
    }

    /// `<__main__.C object at 0x7f0000000000>`.
    func defaultRepr(_ value: Value) -> String {
        let cls = typeObject(of: value)
        let module = cls.moduleName == "builtins" ? "" : cls.moduleName + "."
        switch value {
        case .object(let o): return "<\(module)\(cls.qualifiedName) object at \(address(of: o))>"
        case .tensor(let t): return "<\(module)\(cls.qualifiedName) object at \(address(of: t))>"
        default: return (try? repr(value)) ?? ""
        }
    }

    /// `object.__ne__`: the class's `__eq__` inverted, unless NotImplemented.
    private func defaultNotEqual(_ a: Value, _ b: Value) throws -> Value {
        guard let eq = lookupSpecial(a, "__eq__") else {
            return identical(a, b) ? .bool(false) : .object(NotImplementedValue.shared)
        }
        let result = try call(eq, [b], [])
        if case .object(let o) = result, o === NotImplementedValue.shared { return result }
        return .bool(!(try truthValue(result)))
    }
}
