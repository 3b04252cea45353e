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
        calls.indices.flatMap { ["before-\($0 + 1)", "after-\($0 + 1)"] } + ["end"]
    }

    /// The picture request for `moment` (`before-K`, `after-K` or `end`).
    public func pictureRequest(at moment: String, options: PictureOptions) throws -> PictureRequest {
        if moment == "end" {
            return PictureRequest(graph: endGraph, call: nil, previous: nil, moment: .end, title: model.name, options: options)
        }
        let parts = moment.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let k = Int(parts[1]), k >= 1, k <= calls.count, parts[0] == "before" || parts[0] == "after" else {
            throw DebuggerError.noSuchMoment(moment, available: moments)
        }
        let call = calls[k - 1]
        if parts[0] == "before" {
            return PictureRequest(graph: call["before"] ?? .null, call: call, previous: nil, moment: .before(index: k),
                                  title: model.name, options: options)
        }
        return PictureRequest(graph: call["after"] ?? .null, call: call, previous: call["before"], moment: .after(index: k),
                              title: model.name, options: options)
    }

    /// `run --out DIR`: `backward-K-before.FMT` and `backward-K-after.FMT`
    /// for every call (a call that raised included), `end.FMT` for the graph
    /// where the script ended or stopped, and `run.json`. Each file is
    /// written atomically; returns the paths written.
    public func writePictures(to directory: String, format: PictureFormat, options: PictureOptions) throws -> [String] {
        try AtomicFile.makeDirectory(directory)
        var written: [String] = []
        func put(_ name: String, _ bytes: [UInt8]) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicFile.write(bytes, to: path)
            written.append(path)
        }
        for k in calls.indices {
            for side in ["before", "after"] {
                let request = try pictureRequest(at: "\(side)-\(k + 1)", options: options)
                try put("backward-\(k + 1)-\(side).\(format.rawValue)", PictureRenderer.bytes(request, format: format))
            }
        }
        try put("end.\(format.rawValue)", PictureRenderer.bytes(pictureRequest(at: "end", options: options), format: format))
        try put("run.json", Array((document.serialized() + "\n").utf8))
        return written
    }
}

import Foundation
