import ArgumentParser
import Autograd
import CMalloc
import Foundation

/// `autograd-viz`: a thin shell over the Debugger library. Usage errors exit
/// with status 2 (argument-parser's default would be 64), so scripts can tell
/// "the script raised" (1) from "the command was wrong" (2).
@main
struct AutogradViz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autograd-viz",
        abstract: "Run PyTorch-style model scripts on a Swift autograd engine and show what backward() did.",
        subcommands: [Run.self, Render.self, Diff.self, GraphvizLayout.self]
    )

    static func main() {
        keepFreedMemoryForReuse()
        // AUTOGRAD_VIZ_THREADS sets the matrix products' threads (else
        // OpenBLAS's own OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, else every
        // core); `run --threads` overrides it.
        if let text = ProcessInfo.processInfo.environment["AUTOGRAD_VIZ_THREADS"], let n = Int(text), n >= 1 {
            BLASThreads.set(n)
        }
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

    /// A training step frees its tensors and allocates them again, at the
    /// same sizes, in the next step. glibc's malloc gives every block over
    /// 128 KiB (a 784x256 float weight is 1.6 MB here) its own mmap and
    /// returns it to the kernel when freed, so each step page-faulted its
    /// large buffers in afresh: mlp-train spent 0.14 s instead of 0.05 s.
    /// Higher mmap and trim thresholds keep freed blocks in the heap for the
    /// next step; peak memory is the same.
    private static func keepFreedMemoryForReuse() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
    }
}
