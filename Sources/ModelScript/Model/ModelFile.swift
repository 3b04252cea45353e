import Foundation

/// A model script as a user writes it: a JSON file whose `code` is a string
/// or an array of lines, or a `.py` file holding the same lines.
public struct ModelFile: Sendable {
    public var path: String
    public var name: String
    public var description: String?
    public var seed: UInt64
    /// The script text; line k is entry k of a JSON `code` array.
    public var code: String

    public init(path: String, name: String, description: String? = nil, seed: UInt64 = 0, code: String) {
        self.path = path
        self.name = name
        self.description = description
        self.seed = seed
        self.code = code
    }

    /// Reads `path`. A file that cannot be read or is not a valid model
    /// throws `ModelFileError` with the file's line and column.
    public static func load(path: String) throws -> ModelFile {
        switch try ModelInput.load(path: path) {
        case .model(let model): return model
        case .runDocument:
            throw ModelFileError(path: path, line: nil, column: nil,
                                 message: "this is a run document (run --json output), not a model script: give the script itself")
        }
    }

    /// A `.py` script's description: the comment block it starts with (a
    /// `#!` line excepted), each line without `#` and one space, as
    /// tools/torch_reference.py reads it; nil without one.
    static func headerComment(_ text: String) -> String? {
        var kept: [String] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("#") else { break }
            if k == 0 && trimmed.hasPrefix("#!") { continue }
            let body = trimmed.dropFirst()
            kept.append(String(body.hasPrefix(" ") ? body.dropFirst() : body))
        }
        return kept.isEmpty ? nil : kept.joined(separator: "\n")
    }

    public static func parse(_ text: String, path: String, defaultName: String) throws -> ModelFile {
        try parse(json: try ModelInput.json(text, path: path), path: path, defaultName: defaultName)
    }

    /// A model from a JSON model file's parsed text.
    static func parse(json: JSON, path: String, defaultName: String) throws -> ModelFile {
        guard case .object = json else {
            throw ModelFileError(path: path, line: 1, column: 1, message: "a model file must be a JSON object with a \"code\" field")
        }
        let code: String
        switch json["code"] {
        case .string(let s)?: code = s
        case .array(let lines)?:
            var collected: [String] = []
            for (k, line) in lines.enumerated() {
                guard let s = line.stringValue else {
                    throw ModelFileError(path: path, line: nil, column: nil, message: "\"code\" entry \(k + 1) is not a string")
                }
                collected.append(s)
            }
            code = collected.joined(separator: "\n")
        case nil: throw ModelFileError(path: path, line: nil, column: nil, message: "missing \"code\" (a string or an array of lines)")
        default: throw ModelFileError(path: path, line: nil, column: nil, message: "\"code\" must be a string or an array of lines")
        }
        var seed: UInt64 = 0
        if let s = json["seed"] {
            guard case .integer(let v) = s, v >= 0 else {
                throw ModelFileError(path: path, line: nil, column: nil, message: "\"seed\" must be a non-negative integer")
            }
            seed = UInt64(v)
        }
        return ModelFile(path: path, name: json["name"]?.stringValue ?? defaultName,
                         description: json["description"]?.stringValue, seed: seed, code: code)
    }
}

/// What a file given on the command line holds: a model script to run, or
/// a run document a run wrote (`run --json`, `run.json` of `run --out`;
/// docs/RUN-DOCUMENT.md). The one place files are read and told apart.
public enum ModelInput {
    case model(ModelFile)
    case runDocument(JSON)

    /// The run document format this version reads.
    public static let runFormat = "autograd-viz/run-1"

    /// A `.py` file is a script; a JSON object with `format` is a run
    /// document (of `runFormat`, else an error); one with `code` a model.
    /// Errors carry the file's line and column (`ModelFileError`).
    public static func load(path: String) throws -> ModelInput {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ModelFileError(path: path, line: nil, column: nil, message: exists ? "cannot read the file" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelFileError(path: path, line: nil, column: nil, message: "the file is not UTF-8 text")
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if path.hasSuffix(".py") { return .model(ModelFile(path: path, name: stem, description: ModelFile.headerComment(text), code: text)) }
        let json = try Self.json(text, path: path)
        guard case .object = json else {
            throw ModelFileError(path: path, line: 1, column: 1,
                                 message: "expected a model file (a JSON object with a \"code\" field) or a run document")
        }
        if let format = json["format"] {
            guard format.stringValue == runFormat else {
                throw ModelFileError(path: path, line: nil, column: nil,
                                     message: "unknown format \(format.serialized(pretty: false)) (expected \"\(runFormat)\")")
            }
            return .runDocument(json)
        }
        guard json["code"] != nil else {
            throw ModelFileError(path: path, line: nil, column: nil,
                                 message: "neither a model file (missing \"code\", a string or an array of lines) nor a run document (\"format\": \"\(runFormat)\")")
        }
        return .model(try ModelFile.parse(json: json, path: path, defaultName: stem))
    }

    /// `text` parsed, its syntax errors positioned in the file.
    static func json(_ text: String, path: String) throws -> JSON {
        do {
            return try JSON.parse(text)
        } catch let error as JSONError {
            throw ModelFileError(path: path, line: error.line, column: error.column, message: "malformed JSON: \(error.message)")
        }
    }
}

/// An unreadable or malformed model file (exit status 2).
public struct ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let column: Int?
    public let message: String

    /// `path:line:column: error: message`, as compilers print diagnostics.
    public var description: String {
        var position = path
        if let line { position += ":\(line)" }
        if let column { position += ":\(column)" }
        return "\(position): error: \(message)"
    }
}
