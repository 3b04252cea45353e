import Autograd
import Foundation

/// A Python iterator: `next()` gives the next item, nil once exhausted.
class IteratorObject: ScriptObject {
    func next() throws -> Value? { nil }

    /// The items not yet consumed; the iterator is exhausted afterwards.
    func drain() throws -> [Value] {
        var out: [Value] = []
        while let v = try next() {
            // `list(itertools.count())` would fill the memory: bounded, as repeats are.
            guard out.count < Interpreter.maxSequence else { throw Raise(type: "MemoryError", message: "") }
            out.append(v)
        }
        return out
    }
}

/// An iterator over values known up front (`iter(tuple)`, `model.parameters()`).
final class SequenceIterator: IteratorObject {
    private let items: [Value]
    private var position = 0
    /// `Module.parameters` for `<generator object Module.parameters at ...>`.
    let qualifiedName: String?

    init(_ items: [Value], typeName: String = "tuple_iterator", qualifiedName: String? = nil) {
        self.items = items
        self.qualifiedName = qualifiedName
        super.init(typeName: typeName)
    }

    convenience init(typeName: String, qualifiedName: String, _ items: [Value]) {
        self.init(items, typeName: typeName, qualifiedName: qualifiedName)
    }

    override func next() throws -> Value? {
        guard position < items.count else { return nil }
        position += 1
        return items[position - 1]
    }
}

/// `iter(range)` and `reversed(range)`: one int at a time, nothing stored.
final class RangeIterator: IteratorObject {
    private var current: Int
    private let step: Int
    private var remaining: Int

    init(start: Int, step: Int, count: Int, typeName: String = "range_iterator") {
        self.current = start
        self.step = step
        self.remaining = count
        super.init(typeName: typeName)
    }

    override func next() throws -> Value? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let value = current
        // The last element's successor may not fit; it is never read.
        current = current &+ step
        return .int(value)
    }
}

/// `iter(list)`: sees items appended while it runs, as Python's does.
final class ListIterator: IteratorObject {
    private let box: ListBox
    private var position = 0
    init(_ box: ListBox) {
        self.box = box
        super.init(typeName: "list_iterator")
    }
    override func next() throws -> Value? {
        guard position < box.items.count else { return nil }
        position += 1
        return box.items[position - 1]
    }
}

/// An iterator computed by a closure (`map`, `zip`, `itertools.count`, ...).
final class ClosureIterator: IteratorObject {
    private let body: () throws -> Value?
    init(typeName: String, _ body: @escaping () throws -> Value?) {
        self.body = body
        super.init(typeName: typeName)
    }
    override func next() throws -> Value? { try body() }
}

/// An object of the script's with `__next__`: exhausted when it raises StopIteration.
final class UserIterator: IteratorObject {
    unowned let interpreter: Interpreter
    let object: Value
    init(_ object: Value, interpreter: Interpreter) {
        self.object = object
        self.interpreter = interpreter
        super.init(typeName: "iterator")
    }
    override func next() throws -> Value? {
        guard let method = interpreter.lookupSpecial(object, "__next__") else {
            throw Raise.type("'\(interpreter.typeName(of: object))' object is not an iterator")
        }
        do {
            return try interpreter.call(method, [], [])
        } catch let e as PyException where e.object.cls.name == "StopIteration" {
            return nil
        } catch let e as Raise where e.type == "StopIteration" {
            return nil
        }
    }
}

extension Interpreter {
    /// The most items a sequence built at once may hold: the one container
    /// limit, `PythonError.maxLength`.
    static let maxSequence = PythonError.maxLength

    /// `range(a1, b1, s1) == range(a2, b2, s2)` as CPython's range_equals:
    /// the same length, then the same first element and, past one element,
    /// the same step.
    static func rangesEqual(_ x: (Int, Int, Int), _ y: (Int, Int, Int)) -> Bool {
        let n = rangeCount(x.0, x.1, x.2)
        guard n == rangeCount(y.0, y.1, y.2) else { return false }
        return n == 0 || (x.0 == y.0 && (n == 1 || x.2 == y.2))
    }

    /// `len(range(a, b, s))`, computed, not counted: nil when it does not
    /// fit in an Int (CPython's len() raises OverflowError then).
    static func rangeCount(_ a: Int, _ b: Int, _ s: Int) -> Int? {
        guard s > 0 ? a < b : a > b else { return 0 }
        // The distance always fits in a UInt; so does the count.
        let distance = s > 0 ? UInt(bitPattern: b &- a) : UInt(bitPattern: a &- b)
        let count = (distance - 1) / s.magnitude + 1
        return Int(exactly: count)
    }

    /// `iter(value)`.
    func makeIterator(_ value: Value, at location: SourceLocation? = nil) throws -> IteratorObject {
        do {
            return try iterator(of: value)
        } catch {
            guard let location else { throw error }
            throw located(error, at: location)
        }
    }

    private func iterator(of value: Value) throws -> IteratorObject {
        switch value {
        case .list(let box): return ListIterator(box)
        case .object(let it as IteratorObject): return it
        case .object(let d as DictObject):
            let keys = d.keys, size = d.count
            var position = 0
            return ClosureIterator(typeName: "dict_keyiterator") {
                guard d.count == size else { throw Raise.runtime("dictionary changed size during iteration") }
                guard position < keys.count else { return nil }
                position += 1
                return keys[position - 1]
            }
        case .object(let s as SetObject): return SequenceIterator(s.items, typeName: "set_iterator")
        case .object(let d as DequeObject): return ListIterator(d.box)
        case .range(let a, let b, let s):
            guard let count = Interpreter.rangeCount(a, b, s) else {
                throw Raise(type: "OverflowError", message: "Python int too large to convert to C ssize_t")
            }
            return RangeIterator(start: a, step: s, count: count)
        case .object(let o as ModuleObject) where o.cls == nil || lookupSpecial(value, "__iter__") == nil:
            guard o.module is Sequential || o.module is ModuleList else {
                throw Raise.type("'\(typeName(of: value))' object is not iterable")
            }
            return SequenceIterator(o.module.children.map { moduleValue($0.module) }, typeName: "iterator")
        case .object:
            if let method = lookupSpecial(value, "__iter__") {
                let result = try call(method, [], [])
                if case .object(let it as IteratorObject) = result { return it }
                guard lookupSpecial(result, "__next__") != nil else {
                    throw Raise.type("iter() returned non-iterator of type '\(typeName(of: result))'")
                }
                return UserIterator(result, interpreter: self)
            }
            if let getitem = lookupSpecial(value, "__getitem__") {
                // The old sequence protocol: items 0, 1, ... until IndexError.
                var index = 0
                return ClosureIterator(typeName: "iterator") { [unowned self] in
                    do {
                        let item = try self.call(getitem, [.int(index)], [])
                        index += 1
                        return item
                    } catch let e as PyException where e.object.cls.isSubclass(of: self.classes.exception("IndexError")) {
                        return nil
                    } catch let e as Raise where e.type == "IndexError" || e.type == "StopIteration" {
                        return nil
                    }
                }
            }
            throw Raise.type("'\(typeName(of: value))' object is not iterable")
        default:
            return SequenceIterator(try elementsOf(value), typeName: "\(typeName(of: value))_iterator")
        }
    }

    /// The elements of a builtin sequence.
    func elementsOf(_ value: Value) throws -> [Value] {
        switch value {
        case .tuple(let items): return items
        case .size(let dims): return dims.map(Value.int)
        case .range(let a, let b, let s):
            guard let count = Interpreter.rangeCount(a, b, s), count <= Interpreter.maxSequence else {
                throw Raise(type: "MemoryError", message: "")
            }
            return (0..<count).map { .int(a + $0 * s) }
        case .string(let s): return s.map { .string(String($0)) }
        case .namedTuple(_, let fields): return fields.map(\.1)
        case .tensor(let t):
            guard t.rank > 0 else { throw Raise.type("iteration over a 0-d tensor") }
            return try t.unbind(0).map(Value.tensor)
        default:
            throw Raise.type("'\(typeName(of: value))' object is not iterable")
        }
    }

    /// Runs `body` for each item of `iterable` until it returns false; lists,
    /// tuples and ranges without making an iterator object.
    func forEach(_ iterable: Value, at location: SourceLocation?, _ body: (Value) throws -> Bool) throws {
        switch iterable {
        case .list(let box):
            var i = 0
            while i < box.items.count {
                guard try body(box.items[i]) else { return }
                i += 1
            }
        case .tuple(let items):
            for item in items { guard try body(item) else { return } }
        case .range(let a, let b, let s):
            for i in Swift.stride(from: a, to: b, by: s) { guard try body(.int(i)) else { return } }
        default:
            let iterator = try makeIterator(iterable, at: location)
            while let item = try iterator.next() { guard try body(item) else { return } }
        }
    }

    func iterate(_ value: Value, at location: SourceLocation) throws -> [Value] {
        do { return try items(of: value) } catch { throw located(error, at: location) }
    }

    /// The elements of an iterable; the caller gives the error its position.
    func items(of value: Value) throws -> [Value] {
        switch value {
        case .list(let box): return box.items
        case .tuple(let items): return items
        case .range: return try elementsOf(value)
        default: return try iterator(of: value).drain()
        }
    }

    // MARK: Comprehensions

    func evaluateComprehension(_ c: Comprehension, _ frame: Frame, at location: SourceLocation) throws -> Value {
        let first = try evaluate(c.clauses[0].iterable, frame)
        let name = "<\(c.kind == .generator ? "genexpr" : "\(c.kind.rawValue)comp")>"
        let inner = Frame(name: name, layout: c.scope, function: nil, closure: c.scope.freeSources.map { frame.cells[$0] }, at: location)
        if c.kind == .generator {
            let firstIterator = try makeIterator(first, at: c.clauses[0].iterable.location)
            return .object(ComprehensionIterator(c, frame: inner, first: firstIterator, interpreter: self))
        }
        guard frames.count < Interpreter.maxCallDepth else { throw raise("RecursionError", "maximum recursion depth exceeded", at: location) }
        frames.append(inner)
        defer { frames.removeLast() }
        switch c.kind {
        case .list:
            var out: [Value] = []
            try runClauses(c, 0, first, inner) { out.append(try self.evaluate(c.element, inner)) }
            return .list(ListBox(out))
        case .set:
            let set = SetObject()
            try runClauses(c, 0, first, inner) {
                do { try set.add(try self.evaluate(c.element, inner)) } catch { throw self.located(error, at: c.element.location) }
            }
            return .object(set)
        case .dict:
            let dict = DictObject()
            try runClauses(c, 0, first, inner) {
                let key = try self.evaluate(c.element, inner)
                let value = try self.evaluate(c.value!, inner)
                do { try dict.set(key, value) } catch { throw self.located(error, at: c.element.location) }
            }
            return .object(dict)
        case .generator:
            preconditionFailure()
        }
    }

    private func runClauses(_ c: Comprehension, _ k: Int, _ iterable: Value, _ frame: Frame, _ body: () throws -> Void) throws {
        let clause = c.clauses[k]
        try forEach(iterable, at: clause.iterable.location) { item in
            try self.assign(clause.target, item, frame)
            for condition in clause.conditions {
                guard try self.truth(self.evaluate(condition, frame), at: condition.location) else { return true }
            }
            if k + 1 < c.clauses.count {
                let next = try self.evaluate(c.clauses[k + 1].iterable, frame)
                try self.runClauses(c, k + 1, next, frame, body)
            } else {
                try body()
            }
            return true
        }
    }
}

/// A generator expression: the comprehension's loops, run one item at a time.
final class ComprehensionIterator: IteratorObject {
    private let comprehension: Comprehension
    private let frame: Frame
    private var stack: [IteratorObject]
    private unowned let interpreter: Interpreter

    init(_ comprehension: Comprehension, frame: Frame, first: IteratorObject, interpreter: Interpreter) {
        self.comprehension = comprehension
        self.frame = frame
        self.stack = [first]
        self.interpreter = interpreter
        super.init(typeName: "generator")
    }

    override func next() throws -> Value? {
        let ip = interpreter
        ip.frames.append(frame)
        let statement = ip.currentStatement
        defer {
            ip.frames.removeLast()
            ip.currentStatement = statement
        }
        let clauses = comprehension.clauses
        while let top = stack.last {
            guard let item = try top.next() else {
                stack.removeLast()
                continue
            }
            let level = stack.count - 1
            try ip.assign(clauses[level].target, item, frame)
            var passes = true
            for condition in clauses[level].conditions where passes {
                passes = try ip.truth(ip.evaluate(condition, frame), at: condition.location)
            }
            guard passes else { continue }
            if level + 1 < clauses.count {
                let iterable = clauses[level + 1].iterable
                stack.append(try ip.makeIterator(try ip.evaluate(iterable, frame), at: iterable.location))
                continue
            }
            return try ip.evaluate(comprehension.element, frame)
        }
        return nil
    }
}

/// A generator function's call: its body runs on a thread of its own, one
/// `yield` at a time, handing values over through two semaphores, so the
/// tree-walking evaluator needs no way to pause in the middle of a body.
/// Only one of the two threads ever runs at once.
final class GeneratorObject: IteratorObject {
    let qualifiedName: String
    private let channel: GeneratorChannel
    private unowned let interpreter: Interpreter
    private let frame: Frame
    /// What the body returned (`yield from`'s value).
    private var returnTaken = false

    /// What the body returned, for the StopIteration that reports its end:
    /// once, as CPython's later StopIterations carry no value.
    func takeReturnValue() -> Value {
        defer { returnTaken = true }
        return returnTaken ? .none : channel.returnValue
    }

    init(interpreter: Interpreter, frame: Frame, body: [Stmt], name: String, qualifiedName: String) {
        self.interpreter = interpreter
        self.frame = frame
        self.qualifiedName = qualifiedName
        self.channel = GeneratorChannel(interpreter: interpreter, frame: frame, body: body)
        super.init(typeName: "generator")
        frame.generator = channel
    }

    override func next() throws -> Value? { try send(.none) }

    func send(_ value: Value) throws -> Value? { try resume { try channel.resume(with: value) } }

    /// `generator.throw(exception)`: raised at the paused `yield`.
    func throwIn(_ exception: PyException) throws -> Value? { try resume { try channel.resume(throwing: exception) } }

    /// Runs the body until its next `yield`, on top of the caller's frames,
    /// with the exceptions its own handlers are handling (not the caller's).
    private func resume(_ body: () throws -> Value?) throws -> Value? {
        let ip = interpreter
        guard ip.frames.count < Interpreter.maxCallDepth else {
            throw Raise(type: "RecursionError", message: "maximum recursion depth exceeded")
        }
        let statement = ip.currentStatement
        ip.frames.append(frame)
        defer {
            ip.frames.removeLast()
            ip.currentStatement = statement
        }
        return try body()
    }

    /// `generator.close()`: GeneratorExit at the paused `yield`; a body
    /// that yields again raises "generator ignored GeneratorExit".
    func close() throws {
        _ = try resume { try channel.close(interpreter.raise("GeneratorExit", args: [], at: frame.location)); return nil }
    }

    deinit { channel.closeQuietly() }
}

struct WeakChannel {
    weak var channel: GeneratorChannel?
}

extension Interpreter {
    /// Paused generators each hold a thread: beyond this many at once a
    /// script gets a MemoryError instead of exhausting the machine's threads.
    static let maxLiveGenerators = 4096

    /// Counts a generator whose thread is about to start (the ones closed
    /// when the script ends).
    func reserveGeneratorThread(for channel: GeneratorChannel) throws {
        if liveGenerators.count >= Self.maxLiveGenerators {
            liveGenerators.removeAll { $0.channel?.isActive != true }
        }
        guard liveGenerators.count < Self.maxLiveGenerators else {
            throw Raise(type: "MemoryError", message: "autograd-viz runs each started generator on a thread of its own and allows \(Self.maxLiveGenerators) unfinished ones at once")
        }
        liveGenerators.append(WeakChannel(channel: channel))
    }
}

/// The two threads' meeting point (kept apart from `GeneratorObject` so the
/// body's thread holds no reference to the generator, which can then be
/// freed, and closed, while paused).
final class GeneratorChannel {
    private enum State { case created, suspended, running, finished }
    private enum Outcome { case yielded(Value), returned, threw(Error) }

    private unowned let interpreter: Interpreter
    private let frame: Frame
    private let body: [Stmt]
    private var state = State.created
    /// Whether its thread was started and has not ended.
    var isActive: Bool { state == .suspended || state == .running }
    private var outcome = Outcome.returned
    private var sent: Value = .none
    /// An exception to raise at the paused `yield` (`throw`, `close`).
    private var thrown: PyException?
    /// The exceptions the body's own handlers are handling while it is paused.
    var handling: [PyException] = []
    private(set) var returnValue: Value = .none
    private let toBody = DispatchSemaphore(value: 0)
    private let toCaller = DispatchSemaphore(value: 0)

    init(interpreter: Interpreter, frame: Frame, body: [Stmt]) {
        self.interpreter = interpreter
        self.frame = frame
        self.body = body
    }

    /// On the caller's thread: runs the body to its next `yield` (or end).
    func resume(with value: Value) throws -> Value? {
        switch state {
        case .finished: return nil
        case .running: throw Raise.value("generator already executing")
        case .created:
            guard case .none = value else { throw Raise.type("can't send non-None value to a just-started generator") }
            try interpreter.reserveGeneratorThread(for: self)
        case .suspended:
            sent = value
        }
        return try outcomeValue(runUntilYield())
    }

    /// On the caller's thread: raises `exception` at the paused `yield`.
    func resume(throwing exception: PyException) throws -> Value? {
        switch state {
        case .running: throw Raise.value("generator already executing")
        case .created, .finished:
            state = .finished
            throw exception
        case .suspended:
            thrown = exception
        }
        return try outcomeValue(runUntilYield())
    }

    /// Lets the body run (starting its thread the first time) until it
    /// yields, returns or raises. Meanwhile the interpreter's handled
    /// exceptions are the body's own, so a `raise` or an exception's
    /// context on either side never sees the other's.
    private func runUntilYield() -> Outcome {
        let callerHandling = interpreter.handling
        interpreter.handling = handling
        let starting = state == .created
        state = .running
        if starting {
            let thread = Thread { [self] in self.runBody() }
            thread.stackSize = 64 << 20
            thread.start()
        } else {
            toBody.signal()
        }
        toCaller.wait()
        handling = interpreter.handling
        interpreter.handling = callerHandling
        if case .yielded = outcome { state = .suspended } else { state = .finished }
        return outcome
    }

    private func outcomeValue(_ outcome: Outcome) throws -> Value? {
        switch outcome {
        case .yielded(let v): return v
        case .returned: return nil
        case .threw(let error): throw error
        }
    }

    private func runBody() {
        do {
            _ = try interpreter.execute(body, in: frame)
            returnValue = frame.returnValue
            outcome = .returned
        } catch let e as PyException where e.object.cls.name == "GeneratorExit" {
            outcome = .returned
        } catch {
            // PEP 479: a StopIteration leaving a generator's body becomes a RuntimeError.
            if pythonExceptionName(of: error) == "StopIteration" {
                outcome = .threw(interpreter.raise("RuntimeError", "generator raised StopIteration", at: frame.location))
            } else {
                outcome = .threw(error)
            }
        }
        toCaller.signal()
    }

    /// On the body's thread, at a `yield`: hands `value` over and waits.
    func yield(_ value: Value) throws -> Value {
        outcome = .yielded(value)
        toCaller.signal()
        toBody.wait()
        if let thrown {
            self.thrown = nil
            throw thrown
        }
        return sent
    }

    /// On the caller's thread: GeneratorExit at the paused `yield`.
    func close(_ exit: PyException) throws {
        guard state == .suspended else {
            state = .finished
            return
        }
        thrown = exit
        switch runUntilYield() {
        case .yielded: throw Raise.runtime("generator ignored GeneratorExit")
        case .threw(let error): throw error
        case .returned: break
        }
    }

    /// Ends a paused body when nothing can see the outcome (the generator
    /// was freed, or the script ended); a body that keeps yielding stays
    /// parked.
    func closeQuietly() {
        guard state == .suspended else { return }
        try? close(interpreter.raise("GeneratorExit", args: [], at: frame.location))
    }
}
