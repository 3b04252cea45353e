// One libFuzzer entry point for three targets, chosen by the environment
// variable AUTOGRAD_VIZ_FUZZ_TARGET (`json`, `parser` or `interpreter`), so
// that one sanitized build serves them all. A target may throw any Swift
// error (that is a clean diagnostic); what it must never do is trap, overflow
// the stack, leak past libFuzzer's limits or run forever.
import Foundation
import ModelScript

enum FuzzTarget: String {
    /// ModelFile.parse (the JSON reader and the model-file checks), and a
    /// round trip through the JSON writer that must read back equal.
    case json
    /// The lexer, the parser and the resolver.
    case parser
    /// Parse and run the script, with a statement budget.
    case interpreter

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["AUTOGRAD_VIZ_FUZZ_TARGET"] ?? "interpreter"
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("AUTOGRAD_VIZ_FUZZ_TARGET must be json, parser or interpreter, not '\(name)'")
        }
        return target
    }()

    /// Statements one interpreter input may run: enough for the fixtures'
    /// small loops, few enough that an input ends in well under a second.
    static let statementBudget = 2_000

    func run(_ text: String) {
        switch self {
        case .json:
            _ = try? ModelFile.parse(text, path: "fuzz.json", defaultName: "fuzz")
            // A number beyond Double's range reads as ±inf, which the writer
            // spells "inf" as run documents do: no round trip for those.
            if let json = try? JSON.parse(text), json.isFinite {
                let written = json.serialized()
                guard let reread = try? JSON.parse(written) else {
                    fatalError("the JSON writer's output does not read back: \(written)")
                }
                guard reread == json else { fatalError("the JSON round trip changed the document: \(written)") }
            }
        case .parser:
            let code = FuzzTarget.script(text).code
            _ = Lexer.tokenize(code)
            if let program = try? Parser.parse(code) { _ = try? Resolver.resolve(program) }
        case .interpreter:
            let model = FuzzTarget.script(text)
            let interpreter = Interpreter(path: "fuzz.py", seed: model.seed)
            interpreter.statementBudget = FuzzTarget.statementBudget
            try? interpreter.run(model.code)
        }
    }

    /// A model file's code and seed when `text` is one (the seeds from
    /// fixtures/ mostly are), else `text` itself as a script, as the CLI
    /// reads a `.json` or a `.py` file.
    static func script(_ text: String) -> (code: String, seed: UInt64) {
        if text.first == "{", let model = try? ModelFile.parse(text, path: "fuzz.json", defaultName: "fuzz") {
            return (model.code, model.seed)
        }
        return (text, 0)
    }
}

extension JSON {
    /// Whether every number in the document is finite.
    var isFinite: Bool {
        switch self {
        case .number(let d): return d.isFinite
        case .float(let f): return f.isFinite
        case .array(let items): return items.allSatisfy { $0.isFinite }
        case .object(let members): return members.allSatisfy { $0.1.isFinite }
        default: return true
        }
    }
}

/// One input. Like the CLI, it reads the bytes as text only when they are
/// UTF-8 (ModelFile.load refuses the rest).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    FuzzTarget.current.run(text)
    return 0
}

// The executable's entry point. SwiftPM links an executable's `main` from the
// symbol `<module>_main` (`--defsym main=autograd_viz_fuzz_main`), where
// libFuzzer expects to bring its own; so the module is parsed as a library
// (no main.swift: under -sanitize=fuzzer the compiler turns that file's entry
// into a second LLVMFuzzerTestOneInput) and defines that symbol, which runs
// libFuzzer's driver on the command line as libFuzzer's own main does
// (`-help=1` lists its flags). All of it in this one file: the @_cdecl
// entry points clashed at link time when split across files.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("autograd_viz_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
