import Dispatch
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@_spi(GraphvizNames) import Graphviz
import Testing

/// The renderer against real Graphviz: pictures that parse, Graphviz's own
/// error texts, no state carried from one input to the next, and one lock.
@Suite struct GraphvizRendererTests {
    let renderer = GraphvizRenderer.shared

    /// A small autograd graph: a loss, its grad_fns and two leaves. Named, as
    /// an anonymous graph is titled "%N" from a counter that runs per process.
    static let smallGraph = """
        digraph autograd {
          node [shape=box, fontname="DejaVu Sans"];
          n1 [label="SumBackward0"];
          n2 [label="MulBackward0"];
          n3 [label="AccumulateGrad\\nw (2, 3)"];
          n4 [label="AccumulateGrad\\nx (2, 3)"];
          n1 -> n2; n2 -> n3; n2 -> n4;
        }
        """

    // MARK: pictures

    @Test func svgIsXMLWithOneGroupPerNode() throws {
        let svg = try renderer.render(dot: Self.smallGraph, format: .svg)
        let document = try XMLDocument(data: Data(svg))
        let nodes = try document.nodes(forXPath: "//*[local-name()='g'][@class='node']")
        #expect(nodes.count == 4)
        let labels = try document.nodes(forXPath: "//*[local-name()='g'][@class='node']/*[local-name()='text']")
            .compactMap(\.stringValue)
        #expect(labels == ["SumBackward0", "MulBackward0", "AccumulateGrad", "w (2, 3)", "AccumulateGrad", "x (2, 3)"])
        let edges = try document.nodes(forXPath: "//*[local-name()='g'][@class='edge']")
        #expect(edges.count == 3)
    }

    @Test func aNamedGraphRendersToTheSameBytesEveryTime() throws {
        let first = try renderer.render(dot: Self.smallGraph, format: .svg)
        _ = try renderer.render(dot: "digraph { a -> b }", format: .svg)
        #expect(try renderer.render(dot: Self.smallGraph, format: .svg) == first)
        #expect(try renderer.render(dot: Self.smallGraph, format: .png) == renderer.render(dot: Self.smallGraph, format: .png))
    }

    @Test func sfdpLaysOutTheSameNodes() throws {
        let svg = try renderer.render(dot: Self.smallGraph, format: .svg, layout: .sfdp)
        let document = try XMLDocument(data: Data(svg))
        #expect(try document.nodes(forXPath: "//*[local-name()='g'][@class='node']").count == 4)
    }

    @Test func pngHasTheSignatureAndAPlausibleSize() throws {
        let png = try renderer.render(dot: Self.smallGraph, format: .png)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // The first chunk is IHDR: length (4 bytes), type, then width and height, big-endian.
        #expect(String(decoding: png[12..<16], as: UTF8.self) == "IHDR")
        let width = Self.bigEndian(png[16..<20]), height = Self.bigEndian(png[20..<24])
        // Three rows of boxes at 96 dpi; two boxes side by side in the last row.
        #expect((150...600).contains(width), "width \(width)")
        #expect((150...600).contains(height), "height \(height)")
        #expect(height > width / 2)
    }

    @Test func pngDrawsTheLabels() throws {
        // Text is drawn by pango/cairo with a system font: a longer label
        // gives a wider box and so a wider picture.
        let short = try renderer.render(dot: #"digraph { a [shape=box, label="x"] }"#, format: .png)
        let long = try renderer.render(dot: #"digraph { a [shape=box, label="MulBackward0 MulBackward0"] }"#, format: .png)
        #expect(Self.bigEndian(long[16..<20]) > Self.bigEndian(short[16..<20]) + 100)
    }

    @Test(arguments: [
        "digraph g { a [height=600] }",                      // 57,600 pixels tall at 96 dpi
        #"digraph g { size="1000,1000"; a [height=600] }"#,  // a size of its own, too big
        "digraph g { dpi=200; a [height=300] }",
    ])
    func pngOfAHugeDrawingFitsCairosLimitQuietly(_ dot: String) throws {
        var png: [UInt8] = []
        let printed = try Self.capturingStandardError {
            png = try renderer.render(dot: dot, format: .png)
        }
        #expect(!printed.contains("too large"), "stderr got: \(printed)")
        let height = Self.bigEndian(png[20..<24])
        // Scaled to the renderer's cap (bitmapSideLimit), well inside cairo's 32,767.
        #expect((7_500...8_000).contains(height), "height \(height)")
    }

    @Test func pngKeepsASmallerSizeOfTheDOTsOwn() throws {
        let png = try renderer.render(dot: #"digraph g { size="1,1"; a [height=60] }"#, format: .png)
        #expect(Self.bigEndian(png[20..<24]) <= 96 + 16)
    }

    @Test func anEmptyPictureIsAnError() {
        // Shrunk to fit one inch, a 600-inch-tall node is 0 pixels wide: Graphviz
        // reports success with no bytes.
        #expect(throws: GraphvizError.render("Graphviz rendered an empty png picture (a side shorter than one pixel?)")) {
            try renderer.render(dot: #"digraph g { size="1,1"; a [height=600] }"#, format: .png)
        }
    }

    @Test func htmlLabelsRender() throws {
        let svg = try renderer.render(dot: "digraph { a [label=<<b>MulBackward0</b><br/>(2, 3)>] }", format: .svg)
        let document = try XMLDocument(data: Data(svg))
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts == ["MulBackward0", "(2, 3)"])
    }

    // MARK: errors, in Graphviz's words

    @Test func malformedDOTIsASyntaxError() {
        #expect(throws: GraphvizError.syntax("syntax error in line 1 near '}'")) {
            try renderer.render(dot: "digraph { a -> }", format: .svg)
        }
        #expect(throws: GraphvizError.syntax("syntax error in line 3 near '}'")) {
            try renderer.render(dot: "digraph {\n  a\n  b -> }", format: .png)
        }
        #expect(throws: GraphvizError.syntax("syntax error in line 1 near 'junk'")) {
            try renderer.render(dot: "junk", format: .svg)
        }
    }

    @Test func unterminatedStringsAreSyntaxErrors() throws {
        let string = #expect(throws: GraphvizError.self) {
            try renderer.render(dot: #"digraph { a [label="open] }"#, format: .svg)
        }
        #expect(string?.description.contains("syntax error in line 1 scanning a quoted string") == true)
        let html = #expect(throws: GraphvizError.self) {
            try renderer.render(dot: "digraph { a [label=<open] }", format: .svg)
        }
        #expect(html?.description.contains("syntax error in line 1 scanning a HTML string") == true)
    }

    @Test func errorDescriptionsCarryGraphvizsText() {
        #expect(GraphvizError.syntax("syntax error in line 1 near '}'").description
            == "Graphviz could not read the DOT text: syntax error in line 1 near '}'")
    }

    @Test func textWithoutAGraphIsNoGraph() {
        for text in ["", "   \n", "/* only a comment */", "// nothing here"] {
            #expect(throws: GraphvizError.noGraph) { try renderer.render(dot: text, format: .svg) }
        }
    }

    @Test func malformedHTMLLabelIsALayoutError() {
        // Graphviz parses HTML labels during layout, and gvLayout still succeeds:
        // only agerrors() tells.
        #expect(throws: GraphvizError.layout("mismatched tag in line 1\n... x</i> ...\nin label of node a")) {
            try renderer.render(dot: "digraph { a [label=<<b>x</i>>] }", format: .svg)
        }
    }

    @Test func unknownLayoutIsAnError() {
        let error = #expect(throws: GraphvizError.self) {
            try renderer.render(dot: Self.smallGraph, formatName: "svg", layoutName: "nope")
        }
        guard case .layout(let message) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.hasPrefix(#"Layout type: "nope" not recognized. Use one of:"#))
        #expect(message.contains(" dot ") && message.contains(" sfdp "))
    }

    @Test func unknownFormatIsAnError() throws {
        #expect(throws: GraphvizError.render("renderer for nope is unavailable")) {
            try renderer.render(dot: Self.smallGraph, formatName: "nope", layoutName: "dot")
        }
        // The failed job leaves nothing behind for the next render.
        #expect(try renderer.render(dot: Self.smallGraph, format: .svg) == reference(.svg))
    }

    @Test func warningsAloneDoNotFail() throws {
        // "1a" draws Graphviz's warning "badly delimited number"; the picture is still made.
        let svg = try renderer.render(dot: "digraph { 1a }", format: .svg)
        #expect(try XMLDocument(data: Data(svg)).nodes(forXPath: "//*[local-name()='g'][@class='node']").count == 2)
    }

    // MARK: no state from one input to the next

    @Test(arguments: [
        "digraph { a -> b } digraph { c }",     // the second graph would be read next
        "digraph { a -> b } /* never closed",   // the scanner would stay inside the comment
        #"digraph { a [label="never closed"#,   // ... inside a quoted string
        "digraph { a [label=<never closed",     // ... inside an HTML string
        "#line 40 \"other.gv\"\ndigraph { a -> }", // errors would name other.gv, from line 40
        "digraph {\n\n\n\n a -> }",             // line numbers would keep counting
    ])
    func badInputDoesNotChangeLaterRenders(_ bad: String) throws {
        _ = try? renderer.render(dot: bad, format: .svg)
        #expect(try renderer.render(dot: Self.smallGraph, format: .svg) == reference(.svg))
        #expect(throws: GraphvizError.syntax("syntax error in line 1 near '}'")) {
            try renderer.render(dot: "digraph { a -> }", format: .svg)
        }
    }

    @Test func onlyTheFirstGraphIsDrawn() throws {
        let svg = try renderer.render(dot: "digraph { a -> b } digraph { c }", format: .svg)
        let document = try XMLDocument(data: Data(svg))
        #expect(try document.nodes(forXPath: "//*[local-name()='g'][@class='node']").count == 2)
    }

    @Test func badInputPrintsNothing() throws {
        let printed = try Self.capturingStandardError {
            for bad in ["digraph { a -> }", "digraph { a [label=<<b>x</i>>] }", "digraph { 1a }", "digraph { a [label=\"x",
                        "digraph { dpi=-3; a -> b }", "digraph { a [image=\"/nonexistent.png\"] }"] {
                _ = try? renderer.render(dot: bad, format: .png)
            }
            _ = try? renderer.render(dot: Self.smallGraph, formatName: "nope", layoutName: "nope")
        }
        // Other suites may print meanwhile; none of Graphviz's texts may appear.
        for text in ["syntax error", "mismatched tag", "badly delimited", "not recognized", "Error:", "Warning:"] {
            #expect(!printed.contains(text), "stderr got: \(printed)")
        }
    }

    // MARK: many renders, many threads

    @Test func aThousandRendersGiveTheSameBytes() throws {
        // Resident memory over these renders is measured by bench/render in a
        // process of its own (docs/GRAPHVIZ.md): here other suites allocate
        // at the same time, which made a bound on it flaky.
        let svg = try reference(.svg), png = try reference(.png)
        for i in 1...1_000 {
            let format: GraphvizRenderer.Format = i.isMultiple(of: 2) ? .svg : .png
            let bytes = try renderer.render(dot: Self.smallGraph, format: format)
            if bytes != (format == .svg ? svg : png) {
                Issue.record("render \(i) (\(format)) differs from the first")
                return
            }
        }
    }

    @Test func concurrentRendersAreSerialized() throws {
        let svg = try reference(.svg), png = try reference(.png)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for i in 0..<25 {
                let format: GraphvizRenderer.Format = (thread + i).isMultiple(of: 2) ? .svg : .png
                do {
                    let bytes = try GraphvizRenderer.shared.render(dot: Self.smallGraph, format: format)
                    results.add(bytes == (format == .svg ? svg : png))
                } catch {
                    results.add(false)
                }
                if i.isMultiple(of: 5) { _ = try? GraphvizRenderer.shared.render(dot: "digraph { a -> }", format: .svg) }
            }
        }
        #expect(results.outcomes.count == 200)
        #expect(results.outcomes.allSatisfy { $0 })
    }

    // MARK: helpers

    private func reference(_ format: GraphvizRenderer.Format) throws -> [UInt8] {
        try renderer.render(dot: Self.smallGraph, format: format)
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 << 8 | Int($1) }
    }

    private static let standardErrorLock = NSLock()

    /// Runs `body` with file descriptor 2 pointed at a temporary file and
    /// returns what was written there; the text is then passed on to the real
    /// stderr, so nothing another test printed meanwhile is lost.
    private static func capturingStandardError(_ body: () throws -> Void) throws -> String {
        // File descriptor 2 is one per process: one capture at a time.
        standardErrorLock.lock()
        defer { standardErrorLock.unlock() }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("graphviz-stderr-\(getpid())-\(UUID().uuidString)").path
        let file = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        guard file >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(file); unlink(path) }
        let saved = dup(2)
        defer { close(saved) }
        dup2(file, 2)
        do { try body() } catch { dup2(saved, 2); throw error }
        dup2(saved, 2)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
        return text
    }
}

/// Outcomes gathered from several threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Bool] = []
    func add(_ outcome: Bool) { lock.lock(); stored.append(outcome); lock.unlock() }
    var outcomes: [Bool] { lock.lock(); defer { lock.unlock() }; return stored }
}
