import Graphviz
import ModelScript

/// What a picture file holds, taken from its extension.
public enum PictureFormat: String, Sendable, CaseIterable {
    case svg, png, dot

    /// `graph.svg` → `.svg`; nil for anything else.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        self.init(rawValue: String(path[path.index(after: dot)...]).lowercased())
    }
}

/// Turns a picture request into file contents: DOT text from `GraphPicture`,
/// laid out and rendered in-process by Graphviz for SVG and PNG.
public enum PictureRenderer {
    public static func bytes(_ request: PictureRequest, format: PictureFormat) throws -> [UInt8] {
        let dot = try GraphPicture.dot(request)
        switch format {
        case .dot: return Array(dot.utf8)
        case .svg: return try render(dot, .svg, in: request.options.layoutProcess)
        case .png: return try render(dot, .png, in: request.options.layoutProcess)
        }
    }

    /// DOT text laid out and rendered in `process`, or in this process.
    static func render(_ dot: String, _ format: GraphvizRenderer.Format, in process: GraphvizProcess?) throws -> [UInt8] {
        do {
            if let process { return try process.render(dot: dot, format: format) }
            return try GraphvizRenderer.shared.render(dot: dot, format: format)
        } catch let error as GraphvizError {
            throw DebuggerError.renderFailed(String(describing: error))
        }
    }
}

extension ScriptRun {
    /// The graph when the script ended (or stopped on its error): every
    /// function reachable from a named tensor, every named tensor, every
    /// saved tensor.
    public var endGraph: JSON {
        Snapshot.take(roots: [], named: interpreter?.namedTensors ?? [], script: interpreter)
    }

    /// The moments a picture can show: `before-K`, `after-K` for each
    /// backward call, and `end`.
    public var moments: [String] {
        (0..<callCount).flatMap { ["before-\($0 + 1)", "after-\($0 + 1)"] } + ["end"]
    }

    /// The picture request for `moment` (`before-K`, `after-K` or `end`).
    public func pictureRequest(at moment: String, options: PictureOptions) throws -> PictureRequest {
        guard let parsed = Moment(moment), (parsed.callIndex ?? 0) <= callCount else {
            throw DebuggerError.noSuchMoment(moment, available: moments)
        }
        guard let k = parsed.callIndex else {
            return PictureRequest(graph: endGraph, call: nil, previous: nil, moment: .end, title: model.name, options: options,
                                  error: document["error"].flatMap { $0 == .null ? nil : $0 })
        }
        guard isRecordedInFull(k) else { throw DebuggerError.summarizedMoment(moment) }
        let call = self.call(k)
        if case .before = parsed {
            return PictureRequest(graph: call["before"] ?? .null, call: call, previous: nil, moment: parsed,
                                  title: model.name, options: options)
        }
        return PictureRequest(graph: call["after"] ?? .null, call: call, previous: call["before"], moment: parsed,
                              title: model.name, options: options)
    }

    /// `run --out DIR`: `backward-K-before.FMT` and `backward-K-after.FMT`
    /// for every call recorded in full (all of them under `--snapshots all`,
    /// the first and the last under first-last; a call that raised
    /// included), `end.FMT` for the graph where the script ended or stopped,
    /// and `run.json`; returns the paths written.
    ///
    /// Everything is rendered into a staging directory inside DIR first, so
    /// a picture that fails leaves DIR as it was; then each file is renamed
    /// into place, and the files an earlier run wrote that this one did not
    /// (`backward-7-after.svg` of a longer run, `end.png` of another format)
    /// are removed, so DIR shows this run only. Other files are left alone.
    public func writePictures(to directory: String, format: PictureFormat, options: PictureOptions) throws -> [String] {
        try AtomicFile.makeDirectory(directory)
        let staging = (directory as NSString).appendingPathComponent(".autograd-viz-\(ProcessInfo.processInfo.processIdentifier).tmp")
        try? FileManager.default.removeItem(atPath: staging)
        try AtomicFile.makeDirectory(staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var names: [String] = []
        func put(_ name: String, _ bytes: [UInt8]) throws {
            try AtomicFile.write(bytes, to: (staging as NSString).appendingPathComponent(name))
            names.append(name)
        }
        for k in stride(from: 1, through: callCount, by: 1) where isRecordedInFull(k) {
            for side in ["before", "after"] {
                let request = try pictureRequest(at: "\(side)-\(k)", options: options)
                try put("backward-\(k)-\(side).\(format.rawValue)", PictureRenderer.bytes(request, format: format))
            }
        }
        try put("end.\(format.rawValue)", PictureRenderer.bytes(pictureRequest(at: "end", options: options), format: format))
        try put("run.json", document.bytes() + [UInt8(ascii: "\n")])
        var written: [String] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard rename((staging as NSString).appendingPathComponent(name), path) == 0 else {
                throw DebuggerError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            written.append(path)
        }
        let kept = Set(names)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where Self.isOutputName(name) && !kept.contains(name) {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
        return written
    }

    /// Whether `name` is one `writePictures` writes: `run.json`,
    /// `end.FMT`, `backward-K-before.FMT`, `backward-K-after.FMT`.
    static func isOutputName(_ name: String) -> Bool {
        if name == "run.json" { return true }
        guard let format = PictureFormat(path: name), name.hasSuffix("." + format.rawValue) else { return false }
        let stem = name.dropLast(format.rawValue.count + 1)
        if stem == "end" { return true }
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "backward" && (parts[2] == "before" || parts[2] == "after")
            && !parts[1].isEmpty && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber)
    }
}

import Foundation
