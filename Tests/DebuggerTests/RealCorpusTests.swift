import Foundation
import Testing
@testable import Debugger
@testable import ModelScript

/// The real-snippet corpus (fixtures/real/: tutorials, docs, courses and
/// Q&A threads, kept close to verbatim) against the run documents PyTorch
/// produced for the same files (fixtures/torch/real/), with the golden
/// tests' rules.
@Suite struct RealCorpusTests {
    static let root = GoldenTests.root

    static let cases: [String] = {
        let dir = root.appendingPathComponent("fixtures/real")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".py") }.map { String($0.dropLast(3)) }.sorted()
    }()

    /// Cases that do not match PyTorch yet, each with what keeps it out.
    /// The test checks they still differ, so one that starts matching must
    /// leave the list (fixtures/real/README.md keeps the same list).
    static let pending: [String: String] = [:]

    @Test func everyCaseHasAGolden() {
        #expect(Self.cases.count >= 40)
        for name in Self.cases {
            let golden = Self.root.appendingPathComponent("fixtures/torch/real/\(name).json")
            #expect(FileManager.default.fileExists(atPath: golden.path), "no golden for \(name)")
        }
    }

    @Test(arguments: cases)
    func matchesPyTorch(_ name: String) throws {
        let goldenPath = Self.root.appendingPathComponent("fixtures/torch/real/\(name).json").path
        guard FileManager.default.fileExists(atPath: goldenPath) else { return }
        let golden = try JSON.parse(String(contentsOfFile: goldenPath, encoding: .utf8))
        let run = ScriptRun(model: try ModelFile.load(path: "fixtures/real/\(name).py".relative(to: Self.root)), tables: .none)
        run.run()
        let found = GoldenComparison.differences(run.document, golden)
        if let reason = Self.pending[name] {
            #expect(!found.isEmpty, "\(name) now matches PyTorch: take it off the pending list (\(reason))")
        } else {
            #expect(found.isEmpty, "\(name) differs from PyTorch:\n\(found.prefix(12).joined(separator: "\n"))")
        }
    }
}

private extension String {
    func relative(to root: URL) -> String { root.appendingPathComponent(self).path }
}
