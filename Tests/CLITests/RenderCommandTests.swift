import Foundation
import Testing

/// `render` and `run --out`: files written whole, formats from extensions,
/// exit statuses, and what a failing script still leaves behind.
@Suite struct RenderCommandTests {
    typealias CLI = RunCommandTests

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agv-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    @Test func runOutWritesEveryPictureAndTheRunDocument() throws {
        let dir = try Self.temporaryDirectory()
        let r = try CLI.autogradViz(["run", "fixtures/seed/backward-twice-error.json", "--out", dir, "--format", "dot", "--tables", "none"])
        #expect(r.status == 1)  // the script raised; everything up to the error is still written
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["backward-1-after.dot", "backward-1-before.dot", "backward-2-after.dot", "backward-2-before.dot",
                          "end.dot", "run.json"])
        let failing = try String(contentsOfFile: "\(dir)/backward-2-after.dot", encoding: .utf8)
        #expect(failing.hasPrefix("digraph"))
        #expect(failing.contains("raised"))
        let doc = try String(contentsOfFile: "\(dir)/run.json", encoding: .utf8)
        let direct = try CLI.autogradViz(["run", "fixtures/seed/backward-twice-error.json", "--json"])
        #expect(doc == direct.stdout)
    }

    @Test func runOutDrawsTheCallsKeptInFull() throws {
        let path = try CLI.modelFile(CLI.fiveCalls)
        let dir = try Self.temporaryDirectory()
        let firstLast = try CLI.autogradViz(["run", path, "--out", dir, "--format", "dot", "--tables", "none"])
        #expect(firstLast.status == 0)
        #expect(firstLast.stderr == "note: pictures of backward calls #2-#4 were not drawn (only summaries were kept); "
                 + "--snapshots all draws every call, render --at after-K one of them\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
            "backward-1-after.dot", "backward-1-before.dot", "backward-5-after.dot", "backward-5-before.dot", "end.dot", "run.json",
        ])
        let all = try Self.temporaryDirectory()
        let everyCall = try CLI.autogradViz(["run", path, "--out", all, "--format", "dot", "--snapshots", "all"])
        #expect(everyCall.status == 0)
        #expect(!everyCall.stderr.contains("note:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: all).count == 5 * 2 + 2)
        // render draws any call: it keeps the one asked for in full.
        let r = try CLI.autogradViz(["render", path, "--at", "after-3", "-o", "-"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("digraph"))
        #expect(r.stdout.contains("backward #3"))
    }

    /// Regression: a script with a syntax error exited 2 but wrote run.json
    /// and empty end pictures; a stale directory kept an earlier run's
    /// pictures beside this run's.
    @Test func runOutWritesNothingWhenNothingRanAndClearsStaleFiles() throws {
        let dir = try Self.temporaryDirectory()
        let broken = try CLI.modelFile("x = (\n", ext: "py")
        let r = try CLI.autogradViz(["run", broken, "--out", "\(dir)/out", "--format", "dot"])
        #expect(r.status == 2)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out"))

        let stale = ["backward-9-after.dot", "backward-9-before.dot", "end.png", "run.json"]
        for name in stale + ["notes.txt", "backward-x-after.dot"] { try "old".write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        let again = try CLI.autogradViz(["run", broken, "--out", dir, "--format", "dot"])
        #expect(again.status == 2)
        #expect(try String(contentsOfFile: "\(dir)/run.json", encoding: .utf8) == "old")  // nothing ran: nothing touched

        let ok = try CLI.autogradViz(["run", "fixtures/seed/weight-input.json", "--out", dir, "--format", "dot", "--tables", "none"])
        #expect(ok.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
            "backward-1-after.dot", "backward-1-before.dot", "backward-x-after.dot", "end.dot", "notes.txt", "run.json",
        ])
        #expect(try String(contentsOfFile: "\(dir)/run.json", encoding: .utf8) != "old")
    }

    @Test func runOutRendersSVGAndPNG() throws {
        let dir = try Self.temporaryDirectory()
        #expect(try CLI.autogradViz(["run", "fixtures/seed/weight-input.json", "--out", dir, "--tables", "none"]).status == 0)
        let svg = try String(contentsOfFile: "\(dir)/backward-1-after.svg", encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("MulBackward0"))
        let pngDir = try Self.temporaryDirectory()
        #expect(try CLI.autogradViz(["run", "fixtures/seed/weight-input.json", "--out", pngDir, "--format", "png", "--tables", "none"]).status == 0)
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(pngDir)/backward-1-before.png")))
        #expect(Array(png.prefix(8)) == Self.pngSignature)
        #expect(try FileManager.default.contentsOfDirectory(atPath: pngDir).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func renderTakesTheFormatFromTheExtension() throws {
        let dir = try Self.temporaryDirectory()
        for (file, check) in [("g.svg", "<svg"), ("g.dot", "digraph")] {
            let r = try CLI.autogradViz(["render", "fixtures/seed/rnn-cell.json", "-o", "\(dir)/\(file)", "--at", "after-1"])
            #expect(r.status == 0, "\(file): \(r.stderr)")
            #expect(try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8).contains(check))
        }
        // SVG is byte-identical run after run (ids from creation order, a named graph).
        #expect(try CLI.autogradViz(["render", "fixtures/seed/rnn-cell.json", "-o", "\(dir)/h.svg", "--at", "after-1"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/g.svg")) == Data(contentsOf: URL(fileURLWithPath: "\(dir)/h.svg")))
        let r = try CLI.autogradViz(["render", "fixtures/seed/rnn-cell.json", "-o", "\(dir)/g.png", "--legend"])
        #expect(r.status == 0)
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/g.png")))
        #expect(Array(png.prefix(8)) == Self.pngSignature)
    }

    @Test func renderToStandardOutputIsDOTByDefault() throws {
        let r = try CLI.autogradViz(["render", "fixtures/seed/weight-input.json", "-o", "-", "--at", "before-1"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("digraph"))
        let again = try CLI.autogradViz(["render", "fixtures/seed/weight-input.json", "-o", "-", "--at", "before-1"])
        #expect(again.stdout == r.stdout)  // deterministic
    }

    @Test func badMomentsFormatsAndPathsAreUsageErrors() throws {
        let dir = try Self.temporaryDirectory()
        let moment = try CLI.autogradViz(["render", "fixtures/seed/weight-input.json", "-o", "\(dir)/g.dot", "--at", "after-9"])
        #expect(moment.status == 2)
        #expect(moment.stderr.contains("after-9"))
        #expect(moment.stderr.contains("before-1, after-1, end"))
        let format = try CLI.autogradViz(["render", "fixtures/seed/weight-input.json", "-o", "\(dir)/g.txt"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("cannot tell the format of '\(dir)/g.txt'"))
        let path = try CLI.autogradViz(["render", "fixtures/seed/weight-input.json", "-o", "/nonexistent/dir/g.svg"])
        #expect(path.status == 2)
        #expect(path.stderr.contains("/nonexistent/dir/g.svg"))
        let focus = try CLI.autogradViz(["render", "fixtures/seed/weight-input.json", "-o", "\(dir)/g.dot", "--focus", "nope"])
        #expect(focus.status == 2)
        #expect(focus.stderr.contains("nope"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)  // nothing half-written
    }

    @Test func aScriptThatRaisesStillGetsItsPicture() throws {
        let dir = try Self.temporaryDirectory()
        let r = try CLI.autogradViz(["render", "fixtures/seed/backward-twice-error.json", "-o", "\(dir)/end.dot"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("RuntimeError: Trying to backward through the graph a second time"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/end.dot"))
    }
}
