// parse-check: reads a JSON array of scripts on stdin and prints a JSON
// array with the parser's verdict on each, in the shape
// tools/fuzz_parser.py compares with CPython's `compile()`:
//
//   {"ok": true}
//   {"type": "SyntaxError", "message": "...", "line": 1, "column": 5}
//   {"unsupported": "...", "line": 1, "column": 5}
//
// IndentationError and TabError are SyntaxErrors to the parser; their
// type comes from the message, which CPython spells the same way each time.
//
// With --positions, a script that parses gets {"positions": [...]} instead
// of {"ok": true}: its nodes' locations (see Positions.swift).
import Foundation
import ModelScript

/// CPython's exception class for a parse error message.
func pythonType(of message: String) -> String {
    let indentation = ["unexpected indent", "unexpected unindent", "expected an indented block",
                       "unindent does not match any outer indentation level", "too many levels of indentation"]
    if message == "inconsistent use of tabs and spaces in indentation" { return "TabError" }
    if indentation.contains(where: { message.hasPrefix($0) }) { return "IndentationError" }
    return "SyntaxError"
}

let withPositions = CommandLine.arguments.contains("--positions")

func verdict(_ source: String) -> [String: Any] {
    do {
        let body = try Parser.parse(source)
        guard withPositions else { return ["ok": true] }
        var positions = Positions()
        positions.visit(body)
        return ["positions": positions.entries]
    } catch let error as ScriptError {
        let line = error.location.line, column = error.location.column
        switch error {
        case .syntax(let message, _):
            return ["type": pythonType(of: message), "message": message, "line": line, "column": column]
        case .unsupported(let message, _):
            return ["unsupported": message, "line": line, "column": column]
        case .raised(let type, let message, _):
            return ["type": type, "message": message, "line": line, "column": column]
        }
    } catch {
        return ["type": "InternalError", "message": "\(error)", "line": 0, "column": 0]
    }
}

let input = FileHandle.standardInput.readDataToEndOfFile()
guard let scripts = try? JSONSerialization.jsonObject(with: input) as? [String] else {
    FileHandle.standardError.write(Data("parse-check: stdin must be a JSON array of strings\n".utf8))
    exit(2)
}
let output = try JSONSerialization.data(withJSONObject: scripts.map(verdict), options: [])
FileHandle.standardOutput.write(output)
FileHandle.standardOutput.write(Data("\n".utf8))
