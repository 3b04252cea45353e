/// A module whose class the script defined (`class Net(nn.Module)`): its
/// forward and `extra_repr` are the script's, reached through closures the
/// interpreter installs, so builtin containers (`nn.Sequential`) can call it
/// like any other module.
public final class ScriptedModule: Module {
    /// The script's `forward` on tensors, for calls from the engine's side.
    public var forwardBody: (([Tensor], String) throws -> Tensor)?
    /// The script's `extra_repr()`, if it defines one.
    public var extraReprBody: (() -> String)?

    public override init(runtime: Runtime, typeName: String) {
        super.init(runtime: runtime, typeName: typeName)
    }

    /// The script's forward takes any arguments; its own binding checks them.
    public override func call(_ inputs: [Tensor], path: String) throws -> Tensor {
        let scope = ModuleScope(path: path, summary: summary, training: nil)
        return try runtime.withModuleScope(scope) { try forward(inputs, path: path) }
    }

    override func forward(_ inputs: [Tensor], path: String) throws -> Tensor {
        guard let forwardBody else {
            throw TorchError.notImplemented("Module [\(typeName)] is missing the required \"forward\" function")
        }
        return try forwardBody(inputs, path)
    }

    public override var extraRepr: String { extraReprBody?() ?? "" }
}

/// `nn.ModuleList(modules)`: children by index, no forward of its own.
public final class ModuleList: Module {
    public init(runtime: Runtime, _ modules: [Module] = []) {
        super.init(runtime: runtime, typeName: "ModuleList")
        for (i, m) in modules.enumerated() { addModule(String(i), m) }
    }

    public override var summary: String { "ModuleList" }

    /// ModuleList's repr folds runs of children that print alike:
    /// `(0-2): 3 x Linear(...)`.
    override func childDescriptions(nesting: Int) throws -> [(name: String, text: String)] {
        var out: [(name: String, text: String)] = []
        var start = 0
        let texts = try children.map { try $0.module.repr(nesting: nesting + 1) }
        while start < texts.count {
            var end = start
            while end + 1 < texts.count && texts[end + 1] == texts[start] { end += 1 }
            if end == start {
                out.append((children[start].name, texts[start]))
            } else {
                out.append(("\(children[start].name)-\(children[end].name)", "\(end - start + 1) x \(texts[start])"))
            }
            start = end + 1
        }
        return out
    }
}
