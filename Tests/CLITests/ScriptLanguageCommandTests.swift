import Foundation
import Testing

/// What a user running their own `.py` file sees: a traceback through their
/// functions, the note on a missing module, the exit statuses of refused
/// constructs, and `sys.stderr`.
@Suite struct ScriptLanguageCommandTests {
    typealias CLI = RunCommandTests

    @Test func anErrorInsideFunctionsPrintsItsTraceback() throws {
        let path = try CLI.modelFile("""
        import torch

        def inner(t):
            return t @ torch.ones(3, 2)

        def outer(t):
            return inner(t) * 2

        outer(torch.ones(2, 2))
        """, ext: "py")
        let r = try CLI.autogradViz(["run", path])
        #expect(r.status == 1)
        #expect(r.stderr == """
        Traceback (most recent call last):
          \(path):9:1 in <module>
          \(path):7:12 in outer
          \(path):4:12 in inner
        \(path):4:12: RuntimeError: mm: mat1 and mat2 shapes cannot be multiplied (2x2 and 3x2)

        """)
    }

    @Test func aMissingModuleSaysWhy() throws {
        let path = try CLI.modelFile("import numpy as np\n", ext: "py")
        let r = try CLI.autogradViz(["run", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):1:1: ModuleNotFoundError: No module named 'numpy'\nnote: autograd-viz runs scripts without a Python installation"))
    }

    @Test func refusedConstructsStopBeforeTheScriptRuns() throws {
        for (source, message) in [
            ("print(1)\nasync def f():\n    pass\n", ":2:1: NotImplementedError: 'async def' is not supported in model scripts"),
            ("print(1)\nx = eval('1')\n", ":2:5: NotImplementedError: eval() is not supported by autograd-viz"),
        ] {
            let path = try CLI.modelFile(source, ext: "py")
            let r = try CLI.autogradViz(["run", path])
            #expect(r.status == 2, "\(source)")
            #expect(r.stdout == "", "nothing ran: \(source)")
            #expect(r.stderr.hasPrefix(path + message), "\(r.stderr)")
        }
    }

    @Test func standardErrorIsKeptApart() throws {
        let path = try CLI.modelFile("""
        import sys
        print("to stdout")
        print("to stderr", file=sys.stderr)
        sys.stdout.write("written\\n")
        """, ext: "py")
        let r = try CLI.autogradViz(["run", path])
        #expect(r.status == 0)
        #expect(r.stdout == "to stdout\nwritten\n")
        #expect(r.stderr == "to stderr\n")
    }

    @Test func theRunDocumentCarriesTheTraceback() throws {
        let path = try CLI.modelFile("""
        def f(x):
            return x[3]

        f([1, 2])
        """, ext: "py")
        let r = try CLI.autogradViz(["run", path, "--json"])
        #expect(r.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let error = try #require(document["error"] as? [String: Any])
        #expect(error["type"] as? String == "IndexError")
        #expect(error["message"] as? String == "list index out of range")
        let frames = (error["traceback"] as? [[String: Any]] ?? []).map { "\($0["name"]!) \($0["line"]!):\($0["column"]!)" }
        #expect(frames == ["<module> 4:1", "f 2:12"])
    }

    @Test func sysExitZeroEndsCleanly() throws {
        let clean = try CLI.autogradViz(["run", try CLI.modelFile("import sys\nprint('before')\nsys.exit(0)\nprint('after')\n", ext: "py")])
        #expect(clean.status == 0)
        #expect(clean.stdout == "before\n")
        #expect(clean.stderr == "")
    }

    /// Regression (review B8): the status comes from SystemExit's code, as
    /// CPython's handle_system_exit reads it (checked with python3 3.11).
    @Test(arguments: [
        ("sys.exit(3)", 3, ""), ("sys.exit(False)", 0, ""), ("sys.exit(None)", 0, ""), ("sys.exit(-1)", 255, ""),
        ("sys.exit('0')", 1, "0\n"), ("sys.exit('bye')", 1, "bye\n"), ("raise SystemExit(2)", 2, ""),
    ])
    func sysExitStatusFollowsCPython(call: String, status: Int32, stderr: String) throws {
        let run = try CLI.autogradViz(["run", try CLI.modelFile("import sys\n\(call)\n", ext: "py")])
        #expect(run.status == status)
        #expect(run.stderr == stderr)
    }
}
