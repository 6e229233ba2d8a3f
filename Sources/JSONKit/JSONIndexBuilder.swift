/// Records, while the scanner validates, where each pretty line starts in the source and
/// the line range of every container. Per line it keeps one 32-bit offset, nothing more.
struct JSONIndexBuilder: JSONEventHandler {
    var lineOffsets: [UInt32] = []
    var containers: [JSONContainer] = []
    /// Index of each container's parent in `containers`, -1 for the top level.
    var parents: [Int32] = []
    /// Per container, how many containers nest inside it (to skip a subtree in one step).
    var descendants: [Int32] = []
    /// Open containers: index into `containers` and children seen so far.
    var open: [(index: Int, children: Int)] = []

    /// Reserving close to the final size avoids a growth step that briefly holds the
    /// old and the doubled array at once.
    init(estimatedLines: Int) {
        lineOffsets.reserveCapacity(estimatedLines)
        containers.reserveCapacity(estimatedLines / 8)
        parents.reserveCapacity(estimatedLines / 8)
        descendants.reserveCapacity(estimatedLines / 8)
    }

    @inline(__always)
    mutating func begin(at start: Int) {
        lineOffsets.append(UInt32(truncatingIfNeeded: start))
    }

    @inline(__always)
    mutating func separator(first: Bool, depth: Int, next: Int) {
        lineOffsets.append(UInt32(truncatingIfNeeded: next))
        open[open.count - 1].children += 1
    }

    @inline(__always) mutating func key(_ start: Int, _ end: Int) {}
    @inline(__always) mutating func scalar(_ kind: JSONTokenKind, _ start: Int, _ end: Int) {}
    @inline(__always) mutating func empty(isArray: Bool, _ start: Int, _ end: Int) {}

    @inline(__always)
    mutating func open(isArray: Bool, _ start: Int, depth: Int) {
        let index = containers.count
        containers.append(JSONContainer(startLine: lineOffsets.count - 1, endLine: -1, childCount: 0,
                                        depth: depth, isArray: isArray))
        parents.append(Int32(truncatingIfNeeded: open.last?.index ?? -1))
        descendants.append(0)
        open.append((index, 0))
    }

    @inline(__always)
    mutating func close(isArray: Bool, _ start: Int, depth: Int) {
        lineOffsets.append(UInt32(truncatingIfNeeded: start))
        let top = open.removeLast()
        containers[top.index].endLine = lineOffsets.count - 1
        containers[top.index].childCount = top.children
        descendants[top.index] = Int32(truncatingIfNeeded: containers.count - top.index - 1)
    }
}
