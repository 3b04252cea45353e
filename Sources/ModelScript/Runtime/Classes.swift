import Autograd

/// Classes the script defines, their instances, `super()`, `type()` and
/// `isinstance()`, and attribute access on the script's objects.
extension Interpreter {
    // MARK: class statements

    /// Runs a class body and makes the class.
    func makeClass(_ definition: ClassDef, _ frame: Frame) throws -> Value {
        if let keyword = definition.keywords.first {
            if keyword.name == "metaclass" {
                throw ScriptError.unsupported("metaclasses are not supported by autograd-viz", keyword.location)
            }
            throw raise("TypeError", "\(definition.name).__init_subclass__() takes no keyword arguments", at: keyword.location)
        }
        let decorators = try definition.decorators.map { ($0, try evaluate($0, frame)) }
        var bases: [ClassObject] = []
        for baseExpr in definition.bases {
            let base = try evaluate(baseExpr, frame)
            guard case .object(let cls as ClassObject) = base else {
                throw raise("TypeError", "bases must be types", at: baseExpr.location)
            }
            if cls.kind == .builtin && cls !== classes.object {
                throw raise("NotImplementedError", "subclassing '\(cls.name)' is not supported by autograd-viz", at: baseExpr.location)
            }
            bases.append(cls)
        }
        if bases.isEmpty { bases = [classes.object] }
        let qualified = (frame.function.map { $0.qualifiedName + ".<locals>." } ?? frame.classPrefix.map { $0 + "." } ?? "") + definition.name
        let body = Frame(name: definition.name, layout: definition.scope, function: nil,
                         closure: definition.scope.freeSources.map { frame.cells[$0] }, at: definition.location)
        body.classPrefix = qualified
        let classCell = ClassCell()
        body.classCell = classCell
        _ = try run(body, definition.body)
        var namespace: [String: Value] = [:]
        for (i, name) in definition.scope.locals.enumerated() { if let v = body.locals[i] { namespace[name] = v } }
        namespace["__module__"] = .string("__main__")
        if namespace["__doc__"] == nil {
            if case .expr(let first)? = definition.body.first?.kind, case .string(let doc) = first.kind {
                namespace["__doc__"] = .string(doc)
            } else {
                namespace["__doc__"] = Value.none
            }
        }
        namespace["__qualname__"] = .string(qualified)
        let kind: ClassKind = bases.contains { $0.inherits(.module) } ? .module
            : bases.contains { $0.inherits(.autogradFunction) } ? .autogradFunction
            : bases.contains { $0.inherits(.exception) } ? .exception : .plain
        // A class that defines __eq__ but not __hash__ is unhashable.
        if namespace["__eq__"] != nil && namespace["__hash__"] == nil { namespace["__hash__"] = Value.none }
        let cls = ClassObject(name: definition.name, qualifiedName: qualified, moduleName: "__main__", bases: bases,
                              namespace: namespace, kind: kind)
        cls.interpreter = self
        do { try cls.computeMRO() } catch { throw located(error, at: definition.location) }
        classCell.cls = cls
        var result: Value = .object(cls)
        for (expr, d) in decorators.reversed() {
            result = try call(d, [result], [], at: expr.location)
        }
        return result
    }

    /// `Cls(*args, **kwargs)`.
    func instantiate(_ cls: ClassObject, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        if let construct = cls.construct { return try construct(args, kwargs) }
        if cls === classes.type { return try Builtins.call("type", args, kwargs, self) }
        let instance: Value
        switch cls.kind {
        case .module:
            let module = ScriptedModule(runtime: runtime, typeName: cls.name)
            let object = ModuleObject(module, cls: cls)
            moduleObjects[ObjectIdentifier(module)] = object
            connect(object)
            instance = .object(object)
        case .autogradFunction:
            throw Raise.runtime("Legacy autograd function with non-static forward method is deprecated. Please use new-style autograd function with static forward method. (Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")
        case .exception:
            let object = InstanceObject(cls)
            object.attributes["args"] = .tuple(args)
            instance = .object(object)
        case .plain, .builtin:
            instance = .object(InstanceObject(cls))
        }
        if let initializer = cls.lookup("__init__") {
            if case .object(let f as FunctionObject) = initializer {
                let result = try callFunction(f, [instance] + args, kwargs)
                guard case .none = result else {
                    throw Raise.type("__init__() should return None, not '\(typeName(of: result))'")
                }
            } else if cls.kind == .plain, !args.isEmpty || !kwargs.isEmpty, initializer.isObjectInit(classes) {
                throw Raise.type("\(cls.name)() takes no arguments")
            } else {
                _ = try call(initializer, [instance] + args, kwargs)
            }
        }
        return instance
    }

    // MARK: Attributes of the script's objects

    /// A class attribute as seen through an instance: functions become
    /// bound methods, `staticmethod`s their function, `classmethod`s
    /// methods of the class.
    func bind(_ value: Value, to receiver: Value, class cls: ClassObject) -> Value {
        switch value {
        case .object(is FunctionObject), .function: return .object(BoundMethod(receiver: receiver, function: value))
        case .object(let w as MethodWrapper):
            return w.kind == .staticMethod ? w.function : .object(BoundMethod(receiver: .object(cls), function: w.function))
        default: return value
        }
    }

    /// `obj.name` for an instance of a script class; `__getattr__` last
    /// unless `getattrFallback` is false (`object.__getattribute__`).
    func instanceAttribute(_ o: InstanceObject, _ name: String, getattrFallback: Bool = true) throws -> Value {
        let classValue = o.cls.lookup(name)
        if case .object(let p as PropertyObject)? = classValue {
            guard let getter = p.getter else { throw Raise.attribute("property '\(name)' of '\(o.cls.name)' object has no getter") }
            return try call(getter, [.object(o)], [])
        }
        if let v = o.attributes[name] { return v }
        if let v = classValue { return bind(v, to: .object(o), class: o.cls) }
        switch name {
        case "__class__": return .object(o.cls)
        case "__dict__":
            let dict = DictObject()
            for (k, v) in o.attributes.sorted(by: { $0.key < $1.key }) { try dict.set(.string(k), v) }
            return .object(dict)
        default: break
        }
        if o.cls.inherits(.exception), let v = exceptionAttribute(o, name) { return v }
        if let v = o.cls.lookupIncludingDefaults(name) { return bind(v, to: .object(o), class: o.cls) }
        if getattrFallback, let getattr = o.cls.lookup("__getattr__") {
            return try call(bind(getattr, to: .object(o), class: o.cls), [.string(name)], [])
        }
        throw Raise.attribute("'\(o.cls.name)' object has no attribute '\(name)'")
    }

    func setInstanceAttribute(_ o: InstanceObject, _ name: String, _ value: Value) throws {
        if o.attributes["__values__"] != nil, o.cls.lookup("_fields") != nil { throw Raise.attribute("can't set attribute") }
        if case .object(let p as PropertyObject)? = o.cls.lookup(name) {
            guard let setter = p.setter else { throw Raise.attribute("property '\(name)' of '\(o.cls.name)' object has no setter") }
            _ = try call(setter, [.object(o), value], [])
            return
        }
        o.attributes[name] = value
    }

    /// `Cls.name`.
    func classAttribute(_ cls: ClassObject, _ name: String) throws -> Value {
        switch name {
        case "__name__": return .string(cls.name)
        case "__qualname__": return .string(cls.qualifiedName)
        case "__module__": return .string(cls.moduleName)
        case "__mro__": return .tuple(cls.mro.map { .object($0) })
        case "__bases__": return .tuple(cls.bases.map { .object($0) })
        case "__doc__": return cls.namespace["__doc__"] ?? .none
        default: break
        }
        guard let value = cls.lookup(name) else {
            if cls.kind == .builtin, let sample = Self.sampleValue(of: cls.name), (try? builtinMethod(sample, name)) ?? nil != nil {
                // `str.lower`, `list.append`: the method taking its receiver first.
                return .function(Function("\(cls.name).\(name)") { [unowned self] args, kwargs in
                    guard let receiver = args.first, self.typeObject(of: receiver).isSubclass(of: cls),
                          let method = try self.builtinMethod(receiver, name) else {
                        throw Raise.type("descriptor '\(name)' for '\(cls.name)' objects doesn't apply to a '\(args.first.map { self.typeName(of: $0) } ?? "NoneType")' object")
                    }
                    return try self.call(method, Array(args.dropFirst()), kwargs)
                })
            }
            if let slot = cls.lookupIncludingDefaults(name) { return slot }
            throw Raise.attribute("type object '\(cls.name)' has no attribute '\(name)'")
        }
        switch value {
        case .object(let w as MethodWrapper):
            return w.kind == .staticMethod ? w.function : .object(BoundMethod(receiver: .object(cls), function: w.function))
        default: return value
        }
    }

    /// A value of a builtin type, to ask whether the type has a method.
    private static func sampleValue(of typeName: String) -> Value? {
        switch typeName {
        case "str": return .string("")
        case "list": return .list(ListBox([]))
        case "tuple": return .tuple([])
        case "dict": return .object(DictObject())
        case "set": return .object(SetObject())
        case "int": return .int(0)
        case "float": return .float(0)
        default: return nil
        }
    }

    /// A special method (`__add__`, `__len__`, ...) of a value's class,
    /// bound to it; Python looks these up on the class, not the instance.
    func lookupSpecial(_ value: Value, _ name: String) -> Value? {
        guard let cls = scriptClass(of: value), let method = cls.lookup(name) else { return nil }
        return bind(method, to: value, class: cls)
    }

    /// The class a script instance or a scripted `nn.Module` was made from.
    func scriptClass(of value: Value) -> ClassObject? {
        switch value {
        case .object(let o as InstanceObject): return o.cls
        case .object(let o as ModuleObject): return o.cls
        default: return nil
        }
    }

    /// `len(obj)` through `__len__`: Python's checks on what it returned.
    func lengthResult(_ result: Value, of object: ScriptObject) throws -> Int {
        guard case .int(let n) = result else {
            throw Raise.type("'\(typeName(of: result))' object cannot be interpreted as an integer")
        }
        guard n >= 0 else { throw Raise.value("__len__() should return >= 0") }
        return n
    }

    // MARK: super()

    /// `super()` inside a method, or `super(Cls, obj)`.
    func makeSuper(_ args: [Value]) throws -> Value {
        let start: ClassObject, receiver: Value
        switch args.count {
        case 0:
            // CPython's super_init_without_args, its checks in its order.
            guard let frame = frames.last, let function = frame.function, function.positionalCount > 0,
                  let firstSlot = function.definition.scope.parameterSlots.first else {
                throw Raise.runtime("super(): no arguments")
            }
            guard let first = slotValue(firstSlot, frame) else { throw Raise.runtime("super(): arg[0] deleted") }
            guard let cell = function.classCell else { throw Raise.runtime("super(): __class__ cell not found") }
            guard let cls = cell.cls else { throw Raise.runtime("super(): empty __class__ cell") }
            (start, receiver) = (cls, first)
        case 2:
            guard case .object(let cls as ClassObject) = args[0] else {
                throw Raise.type("super() argument 1 must be a type, not \(typeName(of: args[0]))")
            }
            (start, receiver) = (cls, args[1])
        default:
            throw Raise.type("super() takes 0 or 2 arguments")
        }
        let receiverClass: ClassObject
        if case .object(let c as ClassObject) = receiver { receiverClass = c } else { receiverClass = typeObject(of: receiver) }
        guard receiverClass.isSubclass(of: start) else {
            throw Raise.type("super(type, obj): obj must be an instance or subtype of type")
        }
        return .object(SuperObject(start: start, receiver: receiver, receiverClass: receiverClass))
    }

    func superAttribute(_ s: SuperObject, _ name: String) throws -> Value {
        let mro = s.receiverClass.mro
        guard let index = mro.firstIndex(where: { $0 === s.start }) else { throw Raise.attribute("'super' object has no attribute '\(name)'") }
        for cls in mro[(index + 1)...] {
            if let value = cls.namespace[name] {
                if case .object(let p as PropertyObject) = value, let getter = p.getter { return try call(getter, [s.receiver], []) }
                return bind(value, to: s.receiver, class: s.receiverClass)
            }
        }
        throw Raise.attribute("'super' object has no attribute '\(name)'")
    }

    private func slotValue(_ ref: NameRef, _ frame: Frame) -> Value? {
        switch ref {
        case .local(let i), .classLocal(let i, _): return frame.locals[i]
        case .cell(let i): return frame.cells[i].value
        case .global(let i): return globalValues[i]
        case .unresolved: return nil
        }
    }

    // MARK: type() and isinstance()

    /// `type(value).__name__`.
    func typeName(of value: Value) -> String {
        switch value {
        case .object(let o as InstanceObject): return o.cls.name
        case .object(let o as ModuleObject): return o.cls?.name ?? o.module.typeName
        case .object(is ClassObject): return "type"
        case .tensor(let t): return t.isParameter ? "Parameter" : "Tensor"
        default: return value.typeName
        }
    }

    /// `type(value)`.
    func typeObject(of value: Value) -> ClassObject {
        switch value {
        case .object(let o as InstanceObject): return o.cls
        case .object(let o as ModuleObject): return o.cls ?? nnClass(o.module.typeName)
        case .object(is ClassObject): return classes.type
        case .tensor(let t): return t.isParameter ? nnClass("Parameter") : tensorClass
        case .bool: return builtinType("bool")
        case .gradFn(let node): return classes.torch("torch.autograd.graph.\(node.name)", name: node.name)
        case .size: return classes.torch("torch.Size", name: "Size", base: builtinType("tuple"))
        default: return builtinType(typeName(of: value))
        }
    }

    /// `torch.utils.data.Dataset`, a plain class the script's datasets subclass.
    var datasetClass: ClassObject {
        let cls = classes.torch("torch.utils.data.dataset.Dataset", name: "Dataset", kind: .plain)
        if cls.namespace["__getitem__"] == nil {
            cls.namespace["__getitem__"] = .function(Function("Dataset.__getitem__") { _, _ in
                throw Raise.unsupported("Subclasses of Dataset should implement __getitem__.")
            })
        }
        return cls
    }

    var tensorClass: ClassObject {
        classes.torch("torch.Tensor", name: "Tensor") { _, _ in
            throw Raise.unsupported("torch.Tensor(...) is not supported; use torch.tensor(...)")
        }
    }

    /// `isinstance(value, cls)`.
    func isInstance(_ value: Value, _ type: Value) throws -> Bool {
        switch type {
        case .tuple(let types): return try types.contains { try isInstance(value, $0) }
        case .object(let cls as ClassObject):
            if cls === classes.object { return true }
            return typeObject(of: value).isSubclass(of: cls)
        default:
            throw Raise.type("isinstance() arg 2 must be a type, a tuple of types, or a union")
        }
    }
}

extension Value {
    /// Whether this is `object.__init__` (which takes no arguments).
    func isObjectInit(_ classes: BuiltinClasses) -> Bool {
        if case .function(let f) = self { return f.name == "object.__init__" }
        return false
    }
}
