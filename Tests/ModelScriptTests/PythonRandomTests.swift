import Foundation
import Testing
@testable import ModelScript

/// `PythonRandom` against CPython 3.11's `random.Random`: per seed, a script
/// of calls replayed in order (fixtures/python-lib/random.json), every float
/// compared bit for bit and every error by its exact message.
@Suite struct PythonRandomTests {
    static let seeds: [JSON] = (try? LibraryGoldens.load("random.json"))?["seeds"]?.arrayValue ?? []

    @Test func goldensAreThere() {
        #expect(Self.seeds.count >= 30)
    }

    @Test(arguments: 0..<30)
    func matchesCPython(_ index: Int) throws {
        guard index < Self.seeds.count else { return }
        let golden = Self.seeds[index]
        let seed = golden["seed"]!
        var r = PythonRandom(seed: 0)
        if let hex = seed["int"]?.stringValue {
            r.seed(magnitudeWords: Self.words(hex: hex))
        } else if let x = seed["float"]?.goldenDouble {
            try r.seed(x)
        } else if let s = seed["str"]?.stringValue {
            r.seed(s)
        }
        for op in golden["ops"]!.arrayValue! {
            let name = op["op"]!.stringValue!
            let expected = LibraryGoldens.error(op) ?? Self.render(op["out"])
            let got = try Self.replay(name, op, &r)
            #expect(got == expected, "seed \(seed.serialized()) \(op.serialized())")
            if got != expected { return }  // later draws would all differ
        }
    }

    /// The golden "out" as the text `replay` produces.
    static func render(_ out: JSON?) -> String {
        switch out {
        case .array(let items)?: return "[" + items.map { render($0) }.joined(separator: ", ") + "]"
        case .string(let s)?: return s
        case .integer(let i)?: return String(i)
        default: return "?"
        }
    }

    static func replay(_ name: String, _ op: JSON, _ r: inout PythonRandom) throws -> String {
        func d(_ key: String) -> Double { op[key]!.goldenDouble! }
        func floats(_ key: String) -> [Double]? { op[key]!.arrayValue?.map { $0.goldenDouble! } }
        func ints(_ xs: [Int]) -> String { "[" + xs.map(String.init).joined(separator: ", ") + "]" }
        func float(_ body: () throws -> Double) -> String { LibraryGoldens.outcome(body) { pythonRepr($0) } }
        switch name {
        case "seed":
            r.seed(Int(op["int"]!.stringValue!)!)
            return "?"
        case "random":
            let n = op["out"]!.arrayValue!.count
            return "[" + (0..<n).map { _ in pythonRepr(r.random()) }.joined(separator: ", ") + "]"
        case "getrandbits":
            return LibraryGoldens.outcome({ try r.getrandbitsWords(op["k"]!.goldenInt!) }) { hex($0) }
        case "randbelow":
            return String(r.randbelow(UInt64(op["n"]!.stringValue!)!))
        case "randrange":
            let args = op["args"]!.arrayValue!.map { Int($0.stringValue!)! }
            let step = op["step"].flatMap { Int($0.stringValue!) } ?? (args.count == 3 ? args[2] : 1)
            return LibraryGoldens.outcome({ try r.randrange(args[0], args.count > 1 ? args[1] : nil, step: step) }) { String($0) }
        case "randint":
            let args = op["args"]!.arrayValue!.map { Int($0.stringValue!)! }
            return LibraryGoldens.outcome({ try r.randint(args[0], args[1]) }) { String($0) }
        case "choice":
            return LibraryGoldens.outcome({ try r.choice(count: op["n"]!.goldenInt!) }) { String($0) }
        case "shuffle":
            var xs = Array(0..<op["n"]!.goldenInt!)
            r.shuffle(&xs)
            return ints(xs)
        case "sample":
            let counts = op["counts"]?.arrayValue?.map { $0.goldenInt! }
            return LibraryGoldens.outcome({ try r.sample(populationSize: op["n"]!.goldenInt!, k: op["k"]!.goldenInt!, counts: counts) }, ints)
        case "choices":
            return LibraryGoldens.outcome({
                try r.choices(populationSize: op["n"]!.goldenInt!, weights: floats("weights"), cumWeights: floats("cum_weights"),
                              k: op["k"]!.goldenInt!)
            }, ints)
        case "uniform": return float { r.uniform(d("a"), d("b")) }
        case "gauss": return float { try r.gauss(mu: d("mu"), sigma: d("sigma")) }
        case "normalvariate": return float { try r.normalvariate(mu: d("mu"), sigma: d("sigma")) }
        case "lognormvariate": return float { try r.lognormvariate(mu: d("mu"), sigma: d("sigma")) }
        case "expovariate": return float { try r.expovariate(d("lambd")) }
        case "triangular": return float { try r.triangular(low: d("low"), high: d("high"), mode: op["mode"]!.goldenDouble) }
        case "gammavariate": return float { try r.gammavariate(alpha: d("alpha"), beta: d("beta")) }
        case "betavariate": return float { try r.betavariate(alpha: d("alpha"), beta: d("beta")) }
        case "vonmisesvariate": return float { try r.vonmisesvariate(mu: d("mu"), kappa: d("kappa")) }
        case "paretovariate": return float { try r.paretovariate(d("alpha")) }
        case "weibullvariate": return float { try r.weibullvariate(alpha: d("alpha"), beta: d("beta")) }
        default: throw PythonError(type: "Test", message: "unknown op \(name)")
        }
    }

    /// |n| of Python's hex(n) ("-0x1f") as 32-bit words, least significant first.
    static func words(hex: String) -> [UInt32] {
        let digits = Array(hex.drop { $0 == "-" }.dropFirst(2))
        var words: [UInt32] = []
        var end = digits.count
        while end > 0 {
            let start = max(0, end - 8)
            words.append(UInt32(String(digits[start..<end]), radix: 16)!)
            end = start
        }
        return words
    }

    /// Python's hex() of a non-negative int given as words.
    static func hex(_ words: [UInt32]) -> String {
        var w = words
        while w.count > 1, w.last == 0 { w.removeLast() }
        var s = String(w.last!, radix: 16)
        for word in w.dropLast().reversed() {
            let part = String(word, radix: 16)
            s += String(repeating: "0", count: 8 - part.count) + part
        }
        return "0x" + s
    }

    @Test func getrandbitsUpTo64MatchesTheWords() throws {
        var a = PythonRandom(seed: 5), b = PythonRandom(seed: 5)
        for k in [1, 31, 32, 33, 63, 64] {
            let words = try b.getrandbitsWords(k)
            let value = try a.getrandbits(k)
            #expect(value == UInt64(words[0]) | (words.count > 1 ? UInt64(words[1]) << 32 : 0))
        }
    }

    @Test func floatHashesAreCPythons() {
        // hash() of CPython 3.11 on 64-bit builds.
        #expect(PythonHash.hash(1.5) == 1_152_921_504_606_846_977)
        #expect(PythonHash.hash(-1.0) == -2)
        #expect(PythonHash.hash(0.1) == 230_584_300_921_369_408)
        #expect(PythonHash.hash(Double.infinity) == 314_159)
        #expect(PythonHash.hash(Double.nan) == nil)
        #expect(PythonHash.hash(-1) == -2)
        #expect(PythonHash.hash(Int.max) == 3)  // (2**63 - 1) % (2**61 - 1)
    }

    @Test func sha512OfKnownMessages() {
        func hexDigest(_ s: String) -> String { SHA512.digest(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hexDigest("abc").hasPrefix("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"))
        #expect(hexDigest("").hasSuffix("a538327af927da3e"))
        // 112 bytes: the padding spills into a second block.
        #expect(hexDigest(String(repeating: "a", count: 112)).hasPrefix("c01d080efd492776"))
    }
}
