import Foundation
import Testing
@testable import ModelScript

/// Every script of fixtures/python/ against what CPython 3.11 printed and
/// raised for it (tools/make_python_goldens.py; committed, so CI needs no
/// Python): stdout line for line, and the uncaught exception's type,
/// message, position and traceback frames.
@Suite struct PythonConformanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = root.appendingPathComponent("fixtures/python")

    static let scripts: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".py") }.map { String($0.dropLast(3)) }.sorted()
    }()

    /// Scripts that do not match CPython yet, each with the reason. The test
    /// checks they still fail, so one that starts passing must leave the list.
    static let pending: [String: String] = [:]

    @Test func everyScriptHasAGolden() {
        #expect(Self.scripts.count >= 40)
        for name in Self.scripts {
            let golden = Self.folder.appendingPathComponent("expected/\(name).json")
            #expect(FileManager.default.fileExists(atPath: golden.path), "no golden for \(name)")
        }
    }

    @Test(arguments: scripts)
    func matchesCPython(_ name: String) throws {
        let source = try String(contentsOf: Self.folder.appendingPathComponent("\(name).py"), encoding: .utf8)
        let golden = try JSON.parse(String(contentsOf: Self.folder.appendingPathComponent("expected/\(name).json"), encoding: .utf8))
        let interpreter = Interpreter(path: "fixtures/python/\(name).py", seed: 0)
        var error: ScriptError?
        do { try interpreter.run(source) } catch let e as ScriptError { error = e }
        let expectedStdout = golden["stdout"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var mismatches: [String] = []
        switch (error, golden["error"]) {
        case (nil, .null?), (nil, nil):
            break
        case (let e?, .object?):
            let expected = golden["error"]!
            let ours = "\(e.typeName): \(e.message) at \(e.location.line):\(e.location.column)"
            let theirs = "\(expected["type"]?.stringValue ?? ""): \(expected["message"]?.stringValue ?? "") at \(expected["line"]?.intValue ?? 0):\(expected["column"]?.intValue ?? 0)"
            if ours != theirs { mismatches.append("error: ours \(ours), CPython \(theirs)") }
            let frames = (expected["traceback"]?.arrayValue ?? []).map { f in
                "\(f["name"]?.stringValue ?? "") \(f["line"]?.intValue ?? 0):\(f["column"]?.intValue ?? 0)"
            }
            let ourFrames = interpreter.traceback.map { "\($0.name) \($0.location.line):\($0.location.column)" }
            if frames != ourFrames { mismatches.append("traceback: ours \(ourFrames), CPython \(frames)") }
        case (let e?, _):
            mismatches.append("ours raised \(e.typeName): \(e.message) at \(e.location), CPython did not")
        case (nil, _):
            mismatches.append("CPython raised \(golden["error"]?["type"]?.stringValue ?? "?"), ours did not")
        }
        for (k, line) in expectedStdout.enumerated() {
            let ours = k < interpreter.stdout.count ? interpreter.stdout[k] : "<missing>"
            if ours != line { mismatches.append("stdout line \(k + 1): ours \(ours.debugDescription), CPython \(line.debugDescription)") }
        }
        if interpreter.stdout.count > expectedStdout.count {
            mismatches.append("stdout has \(interpreter.stdout.count - expectedStdout.count) extra lines: \(interpreter.stdout[expectedStdout.count].debugDescription)...")
        }
        if let reason = Self.pending[name] {
            #expect(!mismatches.isEmpty, "\(name) now matches CPython: take it off the pending list (\(reason))")
        } else {
            #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(8).joined(separator: "\n"))")
        }
    }
}
