/// Records, while the scanner validates, where every non-empty container starts and ends:
/// 12 bytes a container, nothing per scalar. The diff walks one level of a container at a
/// time and jumps over nested containers with it, so no level is scanned twice.
struct DiffIndexBuilder: JSONEventHandler {
    /// Non-empty containers in the order they open (a parent before its children).
    var spans: [DiffSpan] = []
    /// Where the top-level value starts.
    var rootStart = 0
    private var open: [Int] = []

    init(estimatedContainers: Int) {
        spans.reserveCapacity(estimatedContainers)
    }

    @inline(__always) mutating func begin(at start: Int) { rootStart = start }
    @inline(__always) mutating func separator(first: Bool, depth: Int, next: Int) {}
    @inline(__always) mutating func key(_ start: Int, _ end: Int) {}
    @inline(__always) mutating func scalar(_ kind: JSONTokenKind, _ start: Int, _ end: Int) {}
    @inline(__always) mutating func empty(isArray: Bool, _ start: Int, _ end: Int) {}

    @inline(__always)
    mutating func open(isArray: Bool, _ start: Int, depth: Int) {
        open.append(spans.count)
        spans.append(DiffSpan(start: UInt32(truncatingIfNeeded: start), end: 0, descendants: 0))
    }

    @inline(__always)
    mutating func close(isArray: Bool, _ start: Int, depth: Int) {
        let k = open.removeLast()
        spans[k].end = UInt32(truncatingIfNeeded: start)
        spans[k].descendants = UInt32(truncatingIfNeeded: spans.count - k - 1)
    }
}

/// A non-empty container: its brackets' offsets and how many containers nest inside it.
struct DiffSpan {
    var start: UInt32
    /// The closing bracket.
    var end: UInt32
    var descendants: UInt32
}
