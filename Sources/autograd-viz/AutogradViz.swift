import ArgumentParser
import Foundation

/// `autograd-viz`: a thin shell over the Debugger library. Usage errors exit
/// with status 2 (argument-parser's default would be 64), so scripts can tell
/// "the script raised" (1) from "the command was wrong" (2).
@main
struct AutogradViz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autograd-viz",
        abstract: "Run PyTorch-style model scripts on a Swift autograd engine and show what backward() did.",
        subcommands: [Run.self, Render.self, Diff.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if let exit = error as? ExitCode {
                Foundation.exit(exit.rawValue)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
