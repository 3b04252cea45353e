import Foundation
import Testing
@testable import Debugger
@testable import ModelScript

/// `run --check` on planted problems and on the anomaly fixtures, whose NaN
/// PyTorch's anomaly mode finds (fixtures/torch/ holds PyTorch's runs).
@Suite struct HealthCheckTests {
    static func run(_ fixture: String, _ limits: CheckLimits = CheckLimits()) throws -> ScriptRun {
        let path = GoldenTests.root.appendingPathComponent("fixtures/\(fixture)").path
        let run = ScriptRun(model: try ModelFile.load(path: path), tables: .none, recordsCalls: false, check: limits)
        run.run()
        return run
    }

    @Test func plantedProblemsAreEachFlaggedOnce() throws {
        let run = try Self.run("models/check-planted.py")
        let found = run.findings.map { "\($0.kind.rawValue) \($0.call.map(String.init) ?? "-") \($0.subject) \($0.line.map(String.init) ?? "-")" }
        #expect(found == [
            "nan 1 DivBackward0 12",
            "vanishing 2 net.fc2.weight -", "vanishing 2 net.fc1.bias -", "vanishing 2 net.fc1.weight -",
            "dead_relu 2 ReluBackward0 26",
            "exploding 3 big -",
            "no_gradient - net.unused.bias -", "no_gradient - net.unused.weight -",
        ])
        #expect(run.exitStatus == 1)
        #expect(run.document["check"]?.arrayValue?.count == 8)
        #expect(run.findings[0].message == "backward #1 at line 14: DivBackward0 (made at line 12: `means = totals / counts`) "
                + "turned a finite gradient into NaN along its input 0 (1 of 3 elements)")
    }

    @Test func limitsAreOptions() throws {
        let run = try Self.run("models/check-planted.py", CheckLimits(explodeAbove: 1e7, vanishBelow: 0, deadReLU: 1))
        let kinds = Set(run.findings.map(\.kind))
        #expect(!kinds.contains(.exploding))
        #expect(kinds.contains(.deadReLU))  // 100% of its elements
        #expect(kinds.contains(.vanishing))  // all zeros, whatever the limit
    }

    @Test(arguments: [("models/anomaly-nan.json", "DivBackward0", 4), ("models/anomaly-nan-in-module.json", "AddmmBackward0", 5),
                      ("language/anomaly-in-function.py", "DivBackward0", 7)])
    func findsTheNaNAnomalyModeFinds(_ fixture: String, _ node: String, _ line: Int) throws {
        let run = try Self.run(fixture)
        let nan = run.findings.filter { $0.kind == .nan }
        #expect(nan.map(\.subject) == [node])
        #expect(nan.first?.line == line)
        // The call raised before any gradient arrived: no parameter is "starved".
        #expect(!run.findings.contains { $0.kind == .noGradient })
    }

    @Test func aHealthyRunFlagsNothingAndExitsZero() throws {
        for fixture in ["seed/backward-gradient.json", "models/mlp-sgd-training.json", "models/gan-detach.json"] {
            let run = try Self.run(fixture)
            #expect(run.findings.isEmpty, "\(fixture): \(run.findings.map(\.message))")
            #expect(run.exitStatus == 0)
        }
        #expect(try Self.run("seed/backward-gradient.json").checkReport.first?.hasPrefix("── check: nothing flagged in 1 backward call") == true)
    }
}
