import Autograd
import Foundation

// TEMPORARY: replaced by Library/PythonFormat.swift (CPython's format-spec
// mini-language, tested against CPython) when that lands.
enum PythonFormat {
    enum Accessor { case attribute(String), index(String) }
    enum Piece {
        case literal(String)
        case field(name: String, accessors: [Accessor], conversion: Character?, spec: [Piece])
    }

    static func format(_ i: Int, spec: String) throws -> String {
        if spec.isEmpty { return String(i) }
        if spec.hasSuffix("d") { return pad(String(i), spec.dropLast()) }
        return try format(Double(i), spec: spec)
    }

    static func format(_ d: Double, spec: String) throws -> String {
        if spec.isEmpty { return TensorFormatter.pythonFloat(d) }
        if let type = spec.last, "feEgG%".contains(type) {
            let body = spec.dropLast()
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            let precision = parts.count > 1 ? Int(parts[1]) ?? 6 : 6
            let text: String
            if type == "%" { text = String(format: "%.\(precision)f%%", d * 100) } else { text = String(format: "%.\(precision)\(type)", d) }
            return pad(text, parts.first ?? "")
        }
        return pad(TensorFormatter.pythonFloat(d), Substring(spec))
    }

    static func format(_ s: String, spec: String) throws -> String { pad(s, Substring(spec)) }

    private static func pad(_ text: String, _ spec: Substring) -> String {
        var spec = spec
        var align: Character = ">"
        if let first = spec.first, "<>^".contains(first) { align = first; spec = spec.dropFirst() }
        guard let width = Int(spec), width > text.count else { return text }
        let fill = String(repeating: " ", count: width - text.count)
        return align == "<" ? text + fill : fill + text
    }

    static func parseFormatString(_ s: String) throws -> [Piece] {
        var out: [Piece] = []
        var literal = ""
        var chars = Array(s)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" {
                if chars.first == "{" { literal.append("{"); chars = chars.dropFirst(); continue }
                if !literal.isEmpty { out.append(.literal(literal)); literal = "" }
                var field = ""
                while let d = chars.first, d != "}" { field.append(d); chars = chars.dropFirst() }
                chars = chars.dropFirst()
                var spec = ""
                if let colon = field.firstIndex(of: ":") { spec = String(field[field.index(after: colon)...]); field = String(field[..<colon]) }
                var conversion: Character?
                if let bang = field.firstIndex(of: "!") { conversion = field[field.index(after: bang)...].first; field = String(field[..<bang]) }
                out.append(.field(name: field, accessors: [], conversion: conversion, spec: spec.isEmpty ? [] : [.literal(spec)]))
            } else if c == "}" {
                if chars.first == "}" { chars = chars.dropFirst() }
                literal.append("}")
            } else {
                literal.append(c)
            }
        }
        if !literal.isEmpty { out.append(.literal(literal)) }
        return out
    }

    static func joinSpec(_ pieces: [Piece]) -> String {
        pieces.map { if case .literal(let s) = $0 { return s } else { return "" } }.joined()
    }
}

/// TEMPORARY: CPython's Mersenne Twister lands with Library/.
struct PythonRandomState {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
}

enum HashKeyIdentity {
    /// A stable number standing in for `id()`/`hash()` of a value without identity.
    static func id(of v: Value) -> Int {
        var hasher = Hasher()
        (try? HashKey(v))?.hash(into: &hasher)
        return hasher.finalize() & 0x7fff_ffff_ffff
    }
}
