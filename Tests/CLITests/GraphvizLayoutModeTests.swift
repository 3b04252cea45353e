import Foundation
import Graphviz
import Testing

/// autograd-viz's hidden `graphviz-layout` mode, as `GraphvizProcess` runs
/// it: the pictures and errors it gives are the in-process renderer's, and
/// one child serves one picture after another.
@Suite struct GraphvizLayoutModeTests {
    let child = GraphvizProcess(executable: RunCommandTests.binary.path, arguments: ["graphviz-layout"])

    @Test func theChildDrawsWhatTheRendererDraws() throws {
        for (k, dot) in ["digraph g { a -> b }", "digraph h { x [label=\"1\"]; x -> y -> z }"].enumerated() {
            for format in GraphvizRenderer.Format.allCases {
                #expect(try child.render(dot: dot, format: format) == GraphvizRenderer.shared.render(dot: dot, format: format), "\(k) \(format)")
            }
        }
    }

    @Test func theChildReportsGraphvizsErrors() {
        for dot in ["digraph g { a -> ", "", "digraph g { a [label=<<B>x</I>>] }"] {
            let inProcess = #expect(throws: GraphvizError.self) { try GraphvizRenderer.shared.render(dot: dot, format: .svg) }
            #expect(throws: inProcess!) { try child.render(dot: dot, format: .svg) }
        }
    }

    @Test func theModeIsHidden() throws {
        #expect(!(try RunCommandTests.autogradViz(["--help"]).stdout.contains("graphviz-layout")))
    }
}
