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
        case .svg: return try render(dot, .svg)
        case .png: return try render(dot, .png)
        }
    }

    private static func render(_ dot: String, _ format: GraphvizRenderer.Format) throws -> [UInt8] {
        do {
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
        Snapshot.take(roots: [], named: interpreter?.namedTensors ?? [])
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
            return PictureRequest(graph: endGraph, call: nil, previous: nil, moment: .end, title: model.name, options: options)
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
    /// and `run.json`. Each file is written atomically; returns the paths
    /// written.
    public func writePictures(to directory: String, format: PictureFormat, options: PictureOptions) throws -> [String] {
        try AtomicFile.makeDirectory(directory)
        var written: [String] = []
        func put(_ name: String, _ bytes: [UInt8]) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicFile.write(bytes, to: path)
            written.append(path)
        }
        for k in stride(from: 1, through: callCount, by: 1) where isRecordedInFull(k) {
            for side in ["before", "after"] {
                let request = try pictureRequest(at: "\(side)-\(k)", options: options)
                try put("backward-\(k)-\(side).\(format.rawValue)", PictureRenderer.bytes(request, format: format))
            }
        }
        try put("end.\(format.rawValue)", PictureRenderer.bytes(pictureRequest(at: "end", options: options), format: format))
        try put("run.json", document.bytes() + [UInt8(ascii: "\n")])
        return written
    }
}

import Foundation
