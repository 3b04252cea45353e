import Foundation

/// Lays out and renders DOT text in a child process, with a time limit.
///
/// Graphviz 2.42's `gvFreeLayout` can corrupt the heap on some DOT shapes,
/// and some layouts run for hours. In-process, either takes the whole run
/// down or hangs it; in a child, a crash or an overrun kills only the child
/// and becomes a `GraphvizError` here. The child is a program whose mode
/// runs `GraphvizProcess.serve()` (autograd-viz runs itself in a hidden
/// mode); it stays up between pictures, since starting one costs more than
/// laying out a small picture (docs/GRAPHVIZ.md), and a new one replaces a
/// child that crashed or overran.
public struct GraphvizProcess: Sendable, Hashable {
    /// The program to run, and its arguments.
    public var executable: String
    public var arguments: [String]
    /// Seconds one picture may take, layout and rendering together.
    public var timeLimit: Double

    /// A picture of `--max-nodes` 400 lays out in about a second; a minute
    /// means Graphviz is lost (or the budget was raised a long way).
    public static let defaultTimeLimit = 60.0

    public init(executable: String, arguments: [String], timeLimit: Double = GraphvizProcess.defaultTimeLimit) {
        self.executable = executable
        self.arguments = arguments
        self.timeLimit = timeLimit
    }

    /// `GraphvizRenderer.render(dot:format:)`, in a child.
    public func render(dot: String, format: GraphvizRenderer.Format) throws -> [UInt8] {
        try LayoutChildren.shared.render(dot: dot, format: format, with: self)
    }

    /// The child's side, on standard input and output (one socket): reads
    /// requests until the parent closes it, answers each with the picture
    /// or the Graphviz error. Returns the exit status.
    public static func serve() -> Int32 {
        let channel = Channel(read: STDIN_FILENO, write: STDOUT_FILENO)
        while let request = try? channel.receive(deadline: nil) {
            let format = GraphvizRenderer.Format.allCases[Int(request.tag) % GraphvizRenderer.Format.allCases.count]
            let reply: (UInt8, [UInt8])
            do {
                reply = (Channel.picture, try GraphvizRenderer.shared.render(dot: String(decoding: request.payload, as: UTF8.self), format: format))
            } catch let error as GraphvizError {
                reply = (Channel.error, Array(error.report.utf8))
            } catch {
                reply = (Channel.error, Array("render\n\(error)".utf8))
            }
            guard (try? channel.send(tag: reply.0, reply.1)) != nil else { return 1 }
        }
        return 0
    }
}

/// The layout children of this process: one per way of starting one, each
/// drawing one picture at a time.
private final class LayoutChildren: @unchecked Sendable {
    static let shared = LayoutChildren()
    private let lock = NSLock()
    private var idle: [GraphvizProcess: [Child]] = [:]

    func render(dot: String, format: GraphvizRenderer.Format, with spec: GraphvizProcess) throws -> [UInt8] {
        lock.lock()
        let waiting = idle[spec]?.popLast()
        lock.unlock()
        let child = try waiting ?? Child(spec)
        do {
            let bytes = try child.render(dot: dot, format: format, timeLimit: spec.timeLimit)
            lock.lock()
            idle[spec, default: []].append(child)
            lock.unlock()
            return bytes
        } catch let error as Child.Reported {
            // Graphviz refused this picture; the child is fine for the next.
            lock.lock()
            idle[spec, default: []].append(child)
            lock.unlock()
            throw error.error
        } catch {
            child.stop()
            throw error
        }
    }
}

/// One running layout child and the socket to it.
private final class Child {
    struct Reported: Error { let error: GraphvizError }

    let process = Process()
    let channel: Channel

    init(_ spec: GraphvizProcess) throws {
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Channel.streamType, 0, &ends) == 0 else {
            throw GraphvizError.render("could not make a socket for the layout process: \(String(cString: strerror(errno)))")
        }
        let theirs = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        channel = Channel(read: ends[0], write: ends[0])
        process.executableURL = URL(fileURLWithPath: spec.executable)
        process.arguments = spec.arguments
        process.standardInput = theirs
        process.standardOutput = theirs
        process.standardError = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        // A crash is reported here in one line; Swift's backtracer would spend
        // seconds writing a backtrace no one reads.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        do {
            try process.run()
        } catch {
            close(ends[0])
            throw GraphvizError.render("could not start the layout process \(spec.executable): \(error.localizedDescription)")
        }
        try? theirs.close()
    }

    func render(dot: String, format: GraphvizRenderer.Format, timeLimit: Double) throws -> [UInt8] {
        let deadline = DispatchTime.now() + timeLimit
        let tag = UInt8(GraphvizRenderer.Format.allCases.firstIndex(of: format)!)
        do {
            try channel.send(tag: tag, Array(dot.utf8))
            guard let reply = try channel.receive(deadline: deadline) else { throw ended() }
            guard reply.tag == Channel.picture else { throw Reported(error: GraphvizError(report: String(decoding: reply.payload, as: UTF8.self))) }
            return reply.payload
        } catch Channel.Failure.timedOut {
            throw GraphvizError.timedOut(seconds: timeLimit)
        } catch Channel.Failure.broken {
            throw ended()
        }
    }

    /// Why the child stopped answering: the signal that killed it, or its
    /// exit status.
    private func ended() -> GraphvizError {
        stop()
        if process.terminationReason == .uncaughtSignal { return .crashed(signal: process.terminationStatus) }
        return .render("the layout process exited with status \(process.terminationStatus)")
    }

    /// Whether `stop()` already closed the socket. It is called twice for a
    /// child that died (by `ended()`, then by the caller's clean-up); a
    /// second `close` of the same number would close whatever file this
    /// process opened under it since (another test's pipe, the next child's
    /// socket), which made other tests fail at random under load.
    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        close(channel.readEnd)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Framed messages over a socket: a tag byte, a little-endian 64-bit
/// length, then that many bytes.
private struct Channel {
    enum Failure: Error { case timedOut, broken }

    /// Reply tags (a request's tag is its format's position in `Format.allCases`).
    static let picture: UInt8 = 0
    static let error: UInt8 = 1

    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    /// Writing to a child that died is an error here, not a SIGPIPE that
    /// would end this process.
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    static let streamType = SOCK_STREAM
    static let sendFlags: Int32 = 0
    #endif

    let readEnd: Int32
    let writeEnd: Int32

    init(read: Int32, write: Int32) {
        readEnd = read
        writeEnd = write
    }

    func send(tag: UInt8, _ payload: [UInt8]) throws {
        var message = [tag]
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { message += $0 }
        message += payload
        var sent = 0
        while sent < message.count {
            let n = message.withUnsafeBytes { bytes -> Int in
                let start = bytes.baseAddress! + sent, count = message.count - sent
                // The child's side is a socket too, but plain write() suits
                // its standard output either way; a dead parent ends it.
                return writeEnd == STDOUT_FILENO ? write(writeEnd, start, count) : Foundation.send(writeEnd, start, count, Self.sendFlags)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure.broken }
            sent += n
        }
    }

    /// The next message, or nil when the other side closed the socket
    /// between messages.
    func receive(deadline: DispatchTime?) throws -> (tag: UInt8, payload: [UInt8])? {
        guard let header = try read(9, deadline: deadline) else { return nil }
        let length = header[1...].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(Int32.max) else { throw Failure.broken }
        guard let payload = try read(Int(length), deadline: deadline) else { throw Failure.broken }
        return (header[0], payload)
    }

    private func read(_ count: Int, deadline: DispatchTime?) throws -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            if let deadline {
                let now = DispatchTime.now().uptimeNanoseconds
                guard deadline.uptimeNanoseconds > now else { throw Failure.timedOut }
                var ready = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
                let milliseconds = Int32(clamping: (deadline.uptimeNanoseconds - now + 999_999) / 1_000_000)
                let r = poll(&ready, 1, milliseconds)
                if r < 0 && errno == EINTR { continue }
                if r == 0 { throw Failure.timedOut }
                guard r > 0 else { throw Failure.broken }
            }
            let n = out.withUnsafeMutableBytes { Foundation.read(readEnd, $0.baseAddress! + got, count - got) }
            if n < 0 && errno == EINTR { continue }
            if n == 0 && got == 0 { return nil }
            guard n > 0 else { throw Failure.broken }
            got += n
        }
        return out
    }
}

extension GraphvizError {
    /// The kind on the first line, the message after it: how a child
    /// reports an error, read back as the same error.
    var report: String {
        switch self {
        case .syntax(let message): return "syntax\n" + message
        case .noGraph: return "noGraph\n"
        case .layout(let message): return "layout\n" + message
        case .render(let message): return "render\n" + message
        case .crashed(let signal): return "crashed\n\(signal)"
        case .timedOut(let seconds): return "timedOut\n\(seconds)"
        }
    }

    init(report: String) {
        let kind = report.prefix { $0 != "\n" }
        let message = String(report.dropFirst(kind.count + 1))
        switch kind {
        case "syntax": self = .syntax(message)
        case "noGraph": self = .noGraph
        case "layout": self = .layout(message)
        case "crashed": self = .crashed(signal: Int32(message) ?? 0)
        case "timedOut": self = .timedOut(seconds: Double(message) ?? 0)
        default: self = .render(message)
        }
    }
}
