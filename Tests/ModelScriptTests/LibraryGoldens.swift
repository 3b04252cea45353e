import Foundation
@testable import ModelScript

/// The CPython goldens of the Library suites (tools/make_lib_goldens.py,
/// committed under fixtures/python-lib/ so the tests need no Python).
enum LibraryGoldens {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ name: String) throws -> JSON {
        let url = root.appendingPathComponent("fixtures/python-lib/\(name)")
        return try JSON.parse(String(contentsOf: url, encoding: .utf8))
    }

    /// "ValueError: message" for a golden's {"error": [type, message]}.
    static func error(_ golden: JSON) -> String? {
        guard let pair = golden["error"]?.arrayValue, pair.count == 2 else { return nil }
        return "\(pair[0].stringValue ?? ""): \(pair[1].stringValue ?? "")"
    }

    /// The same text for what a call threw.
    static func describe(_ error: Error) -> String {
        if let e = error as? PythonError { return "\(e.type): \(e.message)" }
        return "\(error)"
    }

    /// What `body` returned, or the error it threw, as golden text.
    static func outcome<T>(_ body: () throws -> T, _ render: (T) -> String) -> String {
        do { return render(try body()) } catch { return describe(error) }
    }
}

extension JSON {
    var goldenInt: Int? {
        switch self {
        case .integer(let i): return i
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    var goldenBool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var goldenIsNull: Bool { if case .null = self { return true } else { return false } }

    /// A float written as its Python repr ("0.1", "inf", "-0.0").
    var goldenDouble: Double? {
        guard let s = stringValue else { return nil }
        return Double(s)
    }
}
