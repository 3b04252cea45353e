import Foundation
import Testing
@testable import Debugger
import ModelScript

private extension JSON {
    subscript(index: Int) -> JSON? { arrayValue.flatMap { index < $0.count ? $0[index] : nil } }
}

/// The run document's `flow`: the gradient each node received and passed on
/// in each backward call. Expected values are worked out by hand below.
@Suite struct GradientFlowTests {
    static func flow(_ code: String, policy: SnapshotPolicy = .all) throws -> [JSON] {
        let run = ScriptRun(model: ModelFile(path: "flow.py", name: "flow", code: code), tables: .none, snapshots: policy)
        run.run()
        #expect(run.error == nil)
        return (run.document["backward"]?.arrayValue ?? []).map { $0["flow"] ?? .null }
    }

    static func value(_ g: JSON?) -> JSON? { g?["value"] }

    /// The seed notes' example: 3 enters at z, PowBackward0 multiplies it by
    /// 3x² (= 27 at x = 3), and 81 arrives at x.
    @Test func theSeedGradientEntersAtTheRootAndIsMultipliedOnTheWay() throws {
        let flow = try #require(try Self.flow("""
            x = torch.tensor(3.0, requires_grad=True)
            z = x ** 3
            z.backward(torch.tensor(3.0))
            """).first)
        #expect(Self.value(flow["seeds"]?[0]) == .float(3))
        let steps = try #require(flow["steps"]?.arrayValue)
        #expect(steps.map { $0["name"]?.stringValue } == ["PowBackward0", "AccumulateGrad"])
        #expect(Self.value(steps[0]["grad_in"]?[0]) == .float(3))
        #expect(Self.value(steps[0]["grad_out"]?[0]) == .float(81))
        #expect(Self.value(steps[1]["grad_in"]?[0]) == .float(81))
        #expect(steps[1]["grad_out"] == .array([]))
    }

    /// `y = a * b` with a = [1, 2], b = [3, 4], then `(y * y).sum()`: the
    /// gradient of y is 2y = [6, 16]; a receives 2y·b = [18, 64], b receives
    /// 2y·a = [6, 32]. A hook that doubles h's gradient shows in what h's
    /// node received (hooks run first), not in what the sum passed: h's
    /// MulBackward0 gets [2, 2] and passes 2·b = [6, 8] and 2·a = [2, 4].
    @Test func everyEdgeCarriesWhatTheNextNodeReceives() throws {
        let flow = try #require(try Self.flow("""
            a = torch.tensor([1., 2.], requires_grad=True)
            b = torch.tensor([3., 4.], requires_grad=True)
            y = a * b
            s = (y * y).sum()
            s.backward()
            h = a * b
            h.register_hook(lambda g: g * 2)
            h.sum().backward()
            """).dropFirst().first)
        let steps = try #require(flow["steps"]?.arrayValue)
        let sum = try #require(steps.first { $0["name"] == .string("SumBackward0") })
        #expect(Self.value(sum["grad_out"]?[0]) == .array([.float(1), .float(1)]))
        let mul = try #require(steps.first { $0["name"] == .string("MulBackward0") })
        #expect(Self.value(mul["grad_in"]?[0]) == .array([.float(2), .float(2)]))
        #expect(Self.value(mul["grad_out"]?[0]) == .array([.float(6), .float(8)]))
        #expect(Self.value(mul["grad_out"]?[1]) == .array([.float(2), .float(4)]))

        let first = try #require(try Self.flow("""
            a = torch.tensor([1., 2.], requires_grad=True)
            b = torch.tensor([3., 4.], requires_grad=True)
            y = a * b
            (y * y).sum().backward()
            """).first)
        let names = first["steps"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } ?? []
        #expect(names == ["SumBackward0", "MulBackward0", "MulBackward0", "AccumulateGrad", "AccumulateGrad"])
        let square = try #require(first["steps"]?[1])
        #expect(Self.value(square["grad_out"]?[0]) == .array([.float(3), .float(8)]))
        #expect(Self.value(square["grad_out"]?[1]) == .array([.float(3), .float(8)]))
        let product = try #require(first["steps"]?[2])
        #expect(Self.value(product["grad_in"]?[0]) == .array([.float(6), .float(16)]))
        #expect(Self.value(product["grad_out"]?[0]) == .array([.float(18), .float(64)]))
        #expect(Self.value(product["grad_out"]?[1]) == .array([.float(6), .float(32)]))
    }

    /// Rows of a tensor share one UnbindBackward0, which receives one
    /// gradient per row: None for the rows the loss did not use.
    @Test func aNodeWithSeveralOutputsReceivesOneGradientPerOutput() throws {
        let flow = try #require(try Self.flow("""
            x = torch.ones(3, 2, requires_grad=True)
            r0, r1, r2 = x * 1
            (r1 * 5).sum().backward()
            """).first)
        let unbind = try #require(flow["steps"]?.arrayValue?.first { $0["name"] == .string("UnbindBackward0") })
        #expect(unbind["grad_in"]?[0] == .null)
        #expect(Self.value(unbind["grad_in"]?[1]) == .array([.float(5), .float(5)]))
        #expect(unbind["grad_in"]?[2] == .null)
        #expect(Self.value(unbind["grad_out"]?[0]) == .array([
            .array([.float(0), .float(0)]), .array([.float(5), .float(5)]), .array([.float(0), .float(0)])]))
    }

    /// Big gradients are summarised with their statistics; NaN and
    /// infinities are counted. For (x · log x).sum() at x = [0, 1], the
    /// product passes log x = [-inf, 0] to x and x = [0, 1] to the log, whose
    /// backward divides by x: [0/0, 1] = [nan, 1]; x receives their sum.
    @Test func bigGradientsKeepStatisticsAndCountNaNAndInfinity() throws {
        let all = try Self.flow("""
            w = torch.ones(200, requires_grad=True)
            (w * 2).sum().backward()
            x = torch.tensor([0., 1.], requires_grad=True)
            (x * torch.log(x)).sum().backward()
            """, policy: .firstLast)
        let leafSteps = all[0]["steps"]?.arrayValue ?? []
        let big = try #require(leafSteps.first { $0["name"] == .string("AccumulateGrad") }?["grad_in"]?[0])
        let summary: JSON? = big["value"]?["summary"]
        #expect(summary == .bool(true))
        #expect(big["shape"] == .array([.integer(200)]))
        let norm = try #require(big["norm"]?.doubleValue)
        #expect(abs(norm - (4.0 * 200).squareRoot()) < 1e-9)
        #expect(big["mean"]?.doubleValue == 2)
        let steps = all[1]["steps"]?.arrayValue ?? []
        let log = try #require(steps.first { $0["name"] == .string("LogBackward0") })
        #expect(log["grad_out"]?[0]?["nan"] == .integer(1))
        let product = try #require(steps.first { $0["name"] == .string("MulBackward0") })
        #expect(product["grad_out"]?[0]?["inf"] == .integer(1))
        let leaf = try #require(steps.first { $0["name"] == .string("AccumulateGrad") })
        #expect(leaf["grad_in"]?[0]?["nan"] == .integer(1))
    }

    /// `--snapshots none` records no flow (it is the cheap baseline); under
    /// first-last the calls between keep statistics only.
    @Test func thePolicyDecidesWhatFlowIsKept() throws {
        let code = """
            w = torch.ones(3, requires_grad=True)
            for i in range(3):
                (w * (i + 1)).sum().backward()
            """
        #expect(try Self.flow(code, policy: .none).allSatisfy { $0 == .null })
        let flows = try Self.flow(code, policy: .firstLast)
        func scaling(_ flow: JSON) -> JSON? {
            flow["steps"]?.arrayValue?.first { $0["name"] == .string("MulBackward0") }?["grad_out"]?[0]
        }
        let middle = try #require(scaling(flows[1]))
        let summary: JSON? = middle["value"]?["summary"]
        #expect(summary == .bool(true))
        #expect(middle["mean"]?.doubleValue == 2)
        #expect(Self.value(scaling(flows[2])) == .array([.float(3), .float(3), .float(3)]))
    }
}
