/// Re-indents a document token by token into a fixed-size buffer, handing full chunks to
/// a sink. Tokens are copied as written, so key order, number spelling and string escapes
/// survive byte for byte; memory is the chunk plus the scanner's nesting stack.
struct JSONPrinter: JSONEventHandler {
    let source: UnsafePointer<UInt8>
    let buffer: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var used = 0
    /// Spaces per level, or nil for compact output.
    let indent: Int?
    let sink: (UnsafeRawBufferPointer) throws -> Void

    init(source: UnsafePointer<UInt8>, buffer: UnsafeMutablePointer<UInt8>, capacity: Int, indent: Int?,
         sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.source = source
        self.buffer = buffer
        self.capacity = capacity
        self.indent = indent
        self.sink = sink
    }

    // MARK: - Output

    @inline(__always)
    mutating func flush() throws {
        if used > 0 {
            try sink(UnsafeRawBufferPointer(start: buffer, count: used))
            used = 0
        }
    }

    @inline(__always)
    mutating func write(_ start: Int, _ end: Int) throws {
        let length = end - start
        if length <= capacity - used {
            (buffer + used).update(from: source + start, count: length)
            used += length
        } else {
            try flush()
            if length >= capacity {
                try sink(UnsafeRawBufferPointer(start: source + start, count: length))
            } else {
                buffer.update(from: source + start, count: length)
                used = length
            }
        }
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) throws {
        if used == capacity { try flush() }
        buffer[used] = byte
        used += 1
    }

    /// A line break and `level` levels of indentation.
    @inline(__always)
    mutating func newline(_ level: Int, _ width: Int) throws {
        try write(UInt8(ascii: "\n"))
        var spaces = level * width
        while spaces > 0 {
            if used == capacity { try flush() }
            let run = min(spaces, capacity - used)
            (buffer + used).update(repeating: UInt8(ascii: " "), count: run)
            used += run
            spaces -= run
        }
    }

    // MARK: - Events

    @inline(__always) mutating func begin(at start: Int) {}

    @inline(__always)
    mutating func separator(first: Bool, depth: Int, next: Int) throws {
        if !first { try write(UInt8(ascii: ",")) }
        if let indent { try newline(depth, indent) }
    }

    @inline(__always)
    mutating func key(_ start: Int, _ end: Int) throws {
        try write(start, end)
        try write(UInt8(ascii: ":"))
        if indent != nil { try write(UInt8(ascii: " ")) }
    }

    @inline(__always)
    mutating func scalar(_ kind: JSONTokenKind, _ start: Int, _ end: Int) throws {
        try write(start, end)
    }

    @inline(__always)
    mutating func empty(isArray: Bool, _ start: Int, _ end: Int) throws {
        try write(isArray ? UInt8(ascii: "[") : UInt8(ascii: "{"))
        try write(isArray ? UInt8(ascii: "]") : UInt8(ascii: "}"))
    }

    @inline(__always)
    mutating func open(isArray: Bool, _ start: Int, depth: Int) throws {
        try write(isArray ? UInt8(ascii: "[") : UInt8(ascii: "{"))
    }

    @inline(__always)
    mutating func close(isArray: Bool, _ start: Int, depth: Int) throws {
        if let indent { try newline(depth, indent) }
        try write(isArray ? UInt8(ascii: "]") : UInt8(ascii: "}"))
    }
}
