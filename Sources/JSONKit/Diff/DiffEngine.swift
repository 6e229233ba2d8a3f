/// The walk behind `JSONDiff.compare`: depth first, in document order, on an explicit stack
/// (nesting is bounded by the documents' limit, never by the thread's stack).
///
/// A pair of values whose bytes are equal is equal whatever it holds and is never entered,
/// so two large documents with a few changes cost a scan of each (validation and the
/// container index) and then only the containers on the way to each change.
struct DiffEngine {
    let old: DiffDocument
    let new: DiffDocument
    let options: JSONDiffOptions
    private(set) var changes: [JSONDiffChange] = []
    /// Arrays compared (in part) position by position because a bound was reached.
    private(set) var positional: [JSONPath] = []
    private var nodes: [PathNode] = []
    private var hasher: DiffHasher
    private var scratchA: [UInt8] = []
    private var scratchB: [UInt8] = []
    private var buffers = Buffers()
    /// Asked now and then whether to stop (nil: never stops).
    private let isCancelled: (() -> Bool)?
    private var polls = 0
    /// `isCancelled` said stop: what is left is not compared.
    private(set) var stopped = false

    /// A container pair on the way down: its parent, and how each side reached it.
    private struct PathNode {
        var parent: Int32
        var isKey: Bool
        /// An array position, or the key token's bounds in each document.
        var oldA: UInt32
        var oldB: UInt32
        var newA: UInt32
        var newB: UInt32
    }

    private enum Task {
        case objects(DiffValue, DiffValue, node: Int32)
        case arrays(DiffValue, DiffValue, node: Int32)
        case change(JSONDiffChange)
    }

    /// How a child is reached from its container: by key (the token in either document) or
    /// by position.
    private enum Step {
        case key(oldKey: Range<Int>?, newKey: Range<Int>?)
        case index(old: Int?, new: Int?)
    }

    init(old: DiffDocument, new: DiffDocument, options: JSONDiffOptions, isCancelled: (() -> Bool)? = nil) {
        self.old = old
        self.new = new
        self.options = options
        self.isCancelled = isCancelled
        hasher = DiffHasher(numbersByValue: options.numbersByValue)
    }

    /// Compares the two documents from the top.
    /// - Returns: false when `isCancelled` stopped it before the end.
    mutating func run() -> Bool {
        var stack: [Task] = []
        var children: [Task] = []
        compare(old.root, new.root, parent: -1, step: nil, into: &stack)
        while let task = stack.popLast() {
            if cancelled() { return false }
            children.removeAll(keepingCapacity: true)
            switch task {
            case .change(let change):
                changes.append(change)
                continue
            case .objects(let a, let b, let node):
                objects(a, b, node: node, into: &children)
            case .arrays(let a, let b, let node):
                arrays(a, b, node: node, into: &children)
            }
            stack.append(contentsOf: children.reversed())
        }
        return !stopped
    }

    /// Whether to stop: `isCancelled` is asked every 64th time (a closure call and whatever
    /// lock it takes would cost more than a small container's compare), and once it said
    /// stop, stays so.
    private mutating func cancelled() -> Bool {
        guard let isCancelled, !stopped else { return stopped }
        polls &+= 1
        if polls & 63 == 0 && isCancelled() { stopped = true }
        return stopped
    }

    // MARK: - One pair

    private enum Kind { case object, array, string, number, literal }

    private func kind(_ b: UInt8) -> Kind {
        switch b {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): return .literal
        default: return .number
        }
    }

    /// Compares a pair reached from `parent` by `step` (nil for the top): a change, a
    /// container pair to enter, or nothing.
    private mutating func compare(_ a: DiffValue, _ b: DiffValue, parent: Int32, step: Step?, into tasks: inout [Task]) {
        if old.sameBytes(a, new, b) { return }
        let kindA = kind(old.p[Int(a.start)])
        let kindB = kind(new.p[Int(b.start)])
        var differ = kindA != kindB
        if !differ {
            switch kindA {
            case .object, .array:
                let node = self.node(parent: parent, step: step)
                tasks.append(kindA == .object ? .objects(a, b, node: node) : .arrays(a, b, node: node))
                return
            case .string:
                differ = !old.sameString(
                    Int(a.start), Int(a.end), new, Int(b.start), Int(b.end), scratch: &scratchA, otherScratch: &scratchB)
            case .number:
                differ = !old.sameNumber(
                    Int(a.start), Int(a.end), new, Int(b.start), Int(b.end), byValue: options.numbersByValue,
                    scratch: &scratchA, otherScratch: &scratchB)
            case .literal:
                differ = true  // different bytes
            }
        }
        if differ {
            tasks.append(.change(JSONDiffChange(
                kind: .changed, oldPath: path(parent, step, old: true), newPath: path(parent, step, old: false),
                oldRange: a.range, newRange: b.range)))
        }
    }

    // MARK: - Objects

    /// Members by key, whatever their order; of duplicate keys the last one counts.
    ///
    /// Keys match by their hash, confirmed by the decoded key: pair by pair in small objects
    /// (the cells of a study table), through the members sorted by hash in large ones. The
    /// buffers are kept from object to object: a document respelled by another engine has
    /// every object entered, hundreds of thousands of them.
    private mutating func objects(_ a: DiffValue, _ b: DiffValue, node: Int32, into tasks: inout [Task]) {
        var oldMembers = Self.take(&buffers.oldMembers)
        var newMembers = Self.take(&buffers.newMembers)
        var oldHashes = Self.take(&buffers.oldHashes)
        var newHashes = Self.take(&buffers.newHashes)
        var oldLive = Self.take(&buffers.oldLive)
        var newLive = Self.take(&buffers.newLive)
        var match = Self.take(&buffers.match)
        var matched = Self.take(&buffers.matched)
        defer {
            buffers.oldMembers = oldMembers
            buffers.newMembers = newMembers
            buffers.oldHashes = oldHashes
            buffers.newHashes = newHashes
            buffers.oldLive = oldLive
            buffers.newLive = newLive
            buffers.match = match
            buffers.matched = matched
        }
        old.members(of: a, into: &oldMembers)
        new.members(of: b, into: &newMembers)
        keyHashes(oldMembers, in: old, into: &oldHashes)
        keyHashes(newMembers, in: new, into: &newHashes)
        match.append(contentsOf: repeatElement(-1, count: oldMembers.count))
        matched.append(contentsOf: repeatElement(false, count: newMembers.count))
        if oldMembers.count <= 16 && newMembers.count <= 16 {
            live(oldMembers, oldHashes, in: old, into: &oldLive)
            live(newMembers, newHashes, in: new, into: &newLive)
            for i in oldMembers.indices where oldLive[i] {
                for j in newMembers.indices where newLive[j] && !matched[j] && newHashes[j] == oldHashes[i] {
                    if sameKey(oldMembers[i], newMembers[j]) {
                        match[i] = j
                        matched[j] = true
                        break
                    }
                }
            }
        } else {
            let oldOrder = sortedLive(oldMembers, oldHashes, in: old, live: &oldLive)
            let newOrder = sortedLive(newMembers, newHashes, in: new, live: &newLive)
            var x = 0
            var y = 0
            while x < oldOrder.count && y < newOrder.count {
                let hx = oldHashes[oldOrder[x]]
                let hy = newHashes[newOrder[y]]
                if hx < hy { x += 1; continue }
                if hx > hy { y += 1; continue }
                var xEnd = x
                while xEnd < oldOrder.count && oldHashes[oldOrder[xEnd]] == hx { xEnd += 1 }
                var yEnd = y
                while yEnd < newOrder.count && newHashes[newOrder[yEnd]] == hx { yEnd += 1 }
                for i in oldOrder[x..<xEnd] where oldLive[i] {
                    for j in newOrder[y..<yEnd] where newLive[j] && !matched[j] {
                        if sameKey(oldMembers[i], newMembers[j]) {
                            match[i] = j
                            matched[j] = true
                            break
                        }
                    }
                }
                x = xEnd
                y = yEnd
            }
        }
        for i in oldMembers.indices where oldLive[i] {
            let oldKey = Int(oldMembers[i].keyStart)..<Int(oldMembers[i].keyEnd)
            if match[i] >= 0 {
                let member = newMembers[match[i]]
                let step = Step.key(oldKey: oldKey, newKey: Int(member.keyStart)..<Int(member.keyEnd))
                compare(oldMembers[i].value, member.value, parent: node, step: step, into: &tasks)
            } else {
                tasks.append(.change(JSONDiffChange(
                    kind: .removed, oldPath: path(node, .key(oldKey: oldKey, newKey: nil), old: true), newPath: nil,
                    oldRange: oldMembers[i].value.range, newRange: nil)))
            }
        }
        for j in newMembers.indices where newLive[j] && !matched[j] {
            let newKey = Int(newMembers[j].keyStart)..<Int(newMembers[j].keyEnd)
            tasks.append(.change(JSONDiffChange(
                kind: .added, oldPath: nil, newPath: path(node, .key(oldKey: nil, newKey: newKey), old: false),
                oldRange: nil, newRange: newMembers[j].value.range)))
        }
    }

    /// Buffers `objects` uses again for every object.
    private struct Buffers {
        var oldMembers: [DiffMember] = []
        var newMembers: [DiffMember] = []
        var oldHashes: [UInt64] = []
        var newHashes: [UInt64] = []
        var oldLive: [Bool] = []
        var newLive: [Bool] = []
        var match: [Int] = []
        var matched: [Bool] = []
    }

    /// The buffer, emptied, its storage kept.
    private static func take<T>(_ buffer: inout [T]) -> [T] {
        var taken: [T] = []
        swap(&taken, &buffer)
        taken.removeAll(keepingCapacity: true)
        return taken
    }

    /// Each key's hash, by its decoded text.
    private mutating func keyHashes(_ members: [DiffMember], in doc: DiffDocument, into hashes: inout [UInt64]) {
        for member in members {
            let start = Int(member.keyStart)
            let end = Int(member.keyEnd)
            hashes.append(doc.stringHash(start, end, escaped: doc.hasBackslash(start, end), scratch: &scratchA))
        }
    }

    /// Which members count: not one whose key a later member repeats (pair by pair).
    private mutating func live(_ members: [DiffMember], _ hashes: [UInt64], in doc: DiffDocument, into live: inout [Bool]) {
        for i in members.indices {
            var counts = true
            for t in (i + 1)..<members.count where hashes[t] == hashes[i] && sameKey(members[i], members[t], in: doc) {
                counts = false
                break
            }
            live.append(counts)
        }
    }

    /// The members sorted by key hash (then position), and which of them count: in a run of
    /// one hash, an earlier member whose key a later one repeats does not.
    private mutating func sortedLive(_ members: [DiffMember], _ hashes: [UInt64], in doc: DiffDocument, live: inout [Bool]) -> [Int] {
        let order = members.indices.sorted { hashes[$0] != hashes[$1] ? hashes[$0] < hashes[$1] : $0 < $1 }
        live.append(contentsOf: repeatElement(true, count: members.count))
        var x = 0
        while x < order.count {
            var end = x + 1
            while end < order.count && hashes[order[end]] == hashes[order[x]] { end += 1 }
            if end - x > 1 {
                for s in x..<(end - 1) {
                    let i = order[s]
                    for t in (s + 1)..<end where sameKey(members[i], members[order[t]], in: doc) {
                        live[i] = false
                        break
                    }
                }
            }
            x = end
        }
        return order
    }

    private mutating func sameKey(_ a: DiffMember, _ b: DiffMember) -> Bool {
        old.sameString(
            Int(a.keyStart), Int(a.keyEnd), new, Int(b.keyStart), Int(b.keyEnd), scratch: &scratchA, otherScratch: &scratchB)
    }

    private mutating func sameKey(_ a: DiffMember, _ b: DiffMember, in doc: DiffDocument) -> Bool {
        doc.sameString(
            Int(a.keyStart), Int(a.keyEnd), doc, Int(b.keyStart), Int(b.keyEnd), scratch: &scratchA, otherScratch: &scratchB)
    }

    // MARK: - Arrays

    /// Elements by position, with runs of inserted or removed elements found.
    ///
    /// The unchanged ends are cut off by their bytes. In what is left, elements whose bytes
    /// occur once on each side anchor the alignment (cheap: a hash of the bytes, no parsing);
    /// only the runs between anchors are hashed by meaning and aligned again, so a document
    /// respelled by another engine (jsonb) still aligns, and an unchanged one costs no parse.
    private mutating func arrays(_ a: DiffValue, _ b: DiffValue, node: Int32, into tasks: inout [Task]) {
        let oldElements = old.elements(of: a)
        let newElements = new.elements(of: b)
        var head = 0
        while head < oldElements.count && head < newElements.count && old.sameBytes(oldElements[head], new, newElements[head]) {
            head += 1
        }
        var oldEnd = oldElements.count
        var newEnd = newElements.count
        while oldEnd > head && newEnd > head && old.sameBytes(oldElements[oldEnd - 1], new, newElements[newEnd - 1]) {
            oldEnd -= 1
            newEnd -= 1
        }
        var ops: [AlignOp] = []
        var aligner = ArrayAligner(work: options.maxAlignmentWork, maxEditDistance: options.maxEditDistance)
        if head == oldEnd || head == newEnd {
            for i in head..<oldEnd { ops.append(.removed(i)) }
            for j in head..<newEnd { ops.append(.added(j)) }
        } else {
            // Anchors by bytes, then each run between them by meaning.
            var runs: [(Range<Int>, Range<Int>)] = []
            let anchors: [(Int, Int)]
            if (oldEnd - head) + (newEnd - head) > 16 {
                var rawOld = [UInt64](repeating: 0, count: oldEnd)
                var rawNew = [UInt64](repeating: 0, count: newEnd)
                for i in head..<oldEnd { rawOld[i] = hasher.raw(oldElements[i], in: old) }
                for j in head..<newEnd { rawNew[j] = hasher.raw(newElements[j], in: new) }
                let found = aligner.uniqueAnchors(rawOld, head..<oldEnd, rawNew, head..<newEnd)
                anchors = (found?.anchors ?? []).filter { old.sameBytes(oldElements[$0.0], new, newElements[$0.1]) }
            } else {
                anchors = []
            }
            var after = (head, head)
            for (i, j) in anchors {
                runs.append((after.0..<i, after.1..<j))
                after = (i + 1, j + 1)
            }
            runs.append((after.0..<oldEnd, after.1..<newEnd))
            var oldHashes = [UInt64](repeating: 0, count: oldEnd)
            var newHashes = [UInt64](repeating: 0, count: newEnd)
            for (oldRun, newRun) in runs {
                // A long array may have thousands of runs, each hashed and aligned.
                if cancelled() { return }
                if oldRun.isEmpty || newRun.isEmpty {
                    for i in oldRun { ops.append(.removed(i)) }
                    for j in newRun { ops.append(.added(j)) }
                    continue
                }
                for i in oldRun { oldHashes[i] = hasher.canonical(oldElements[i], in: old) }
                for j in newRun { newHashes[j] = hasher.canonical(newElements[j], in: new) }
                aligner.align(oldHashes, oldRun, newHashes, newRun, into: &ops)
            }
        }
        if aligner.fellBack { positional.append(path(node, old: false)) }
        var paired: [AlignOp] = []
        paired.reserveCapacity(ops.count)
        for op in ops {
            if case .replaced(let oldRun, let newRun) = op {
                pairBySimilarity(oldRun, newRun, oldElements, newElements, into: &paired)
            } else {
                paired.append(op)
            }
        }
        for op in paired {
            switch op {
            case .pair(let i, let j):
                compare(oldElements[i], newElements[j], parent: node, step: .index(old: i, new: j), into: &tasks)
            case .removed(let i):
                tasks.append(.change(JSONDiffChange(
                    kind: .removed, oldPath: path(node, .index(old: i, new: nil), old: true), newPath: nil,
                    oldRange: oldElements[i].range, newRange: nil)))
            case .added(let j):
                tasks.append(.change(JSONDiffChange(
                    kind: .added, oldPath: nil, newPath: path(node, .index(old: nil, new: j), old: false),
                    oldRange: nil, newRange: newElements[j].range)))
            case .replaced:
                break  // expanded above
            }
        }
    }

    /// The most pairs in a run of replaced elements: which old element became which new one.
    ///
    /// A row inserted beside a row that changed must not pair the old row with the new one
    /// (every cell of it would show as changed, and the changed row as added): elements face
    /// each other by how many members (key and value) or elements they share, in order (the
    /// heaviest common subsequence, O(n m) for runs of at most 4,096 pairs); what is left
    /// between those pairs faces each other by position. A single element on each side is
    /// paired outright, and longer runs by position.
    private mutating func pairBySimilarity(
        _ oldRun: Range<Int>, _ newRun: Range<Int>, _ oldElements: [DiffValue], _ newElements: [DiffValue],
        into ops: inout [AlignOp]
    ) {
        let n = oldRun.count
        let m = newRun.count
        guard n > 1 || m > 1, n * m <= 4096 else {
            ArrayAligner.byPosition(oldRun, newRun, into: &ops)
            return
        }
        let oldSets = oldRun.map { childHashes(oldElements[$0], in: old) }
        let newSets = newRun.map { childHashes(newElements[$0], in: new) }
        var shared = [Int32](repeating: 0, count: n * m)
        for i in 0..<n {
            for j in 0..<m { shared[i * m + j] = Self.common(oldSets[i], newSets[j]) }
        }
        let width = m + 1
        var score = [Int32](repeating: 0, count: (n + 1) * width)
        for i in 1...n {
            for j in 1...m {
                var best = max(score[(i - 1) * width + j], score[i * width + j - 1])
                let s = shared[(i - 1) * m + j - 1]
                if s > 0 { best = max(best, score[(i - 1) * width + j - 1] + s) }
                score[i * width + j] = best
            }
        }
        var pairs: [(Int, Int)] = []
        var i = n
        var j = m
        while i > 0 && j > 0 {
            let s = shared[(i - 1) * m + j - 1]
            if s > 0 && score[i * width + j] == score[(i - 1) * width + j - 1] + s {
                pairs.append((i - 1, j - 1))
                i -= 1
                j -= 1
            } else if score[i * width + j] == score[(i - 1) * width + j] {
                i -= 1
            } else {
                j -= 1
            }
        }
        var a = oldRun.lowerBound
        var b = newRun.lowerBound
        for (pi, pj) in pairs.reversed() {
            ArrayAligner.byPosition(a..<(oldRun.lowerBound + pi), b..<(newRun.lowerBound + pj), into: &ops)
            ops.append(.pair(oldRun.lowerBound + pi, newRun.lowerBound + pj))
            a = oldRun.lowerBound + pi + 1
            b = newRun.lowerBound + pj + 1
        }
        ArrayAligner.byPosition(a..<oldRun.upperBound, b..<newRun.upperBound, into: &ops)
    }

    /// The sorted hashes of what a value holds: its members (key and value) or elements, or
    /// the value itself when it is a scalar.
    private mutating func childHashes(_ value: DiffValue, in doc: DiffDocument) -> [UInt64] {
        var out: [UInt64] = []
        switch doc.p[Int(value.start)] {
        case UInt8(ascii: "{"):
            for member in doc.members(of: value) {
                let start = Int(member.keyStart)
                let end = Int(member.keyEnd)
                let key = doc.stringHash(start, end, escaped: doc.hasBackslash(start, end), scratch: &scratchA)
                out.append(DiffHash.member(key: key, value: hasher.canonical(member.value, in: doc)))
            }
        case UInt8(ascii: "["):
            for element in doc.elements(of: value) { out.append(hasher.canonical(element, in: doc)) }
        default:
            out.append(hasher.canonical(value, in: doc))
        }
        out.sort()
        return out
    }

    /// How many hashes two sorted lists share, counting repeats.
    private static func common(_ a: [UInt64], _ b: [UInt64]) -> Int32 {
        var x = 0
        var y = 0
        var count: Int32 = 0
        while x < a.count && y < b.count {
            if a[x] < b[y] {
                x += 1
            } else if a[x] > b[y] {
                y += 1
            } else {
                count += 1
                x += 1
                y += 1
            }
        }
        return count
    }

    // MARK: - Paths

    private mutating func node(parent: Int32, step: Step?) -> Int32 {
        var node = PathNode(parent: parent, isKey: false, oldA: 0, oldB: 0, newA: 0, newB: 0)
        switch step {
        case .key(let oldKey, let newKey)?:
            node.isKey = true
            node.oldA = UInt32(truncatingIfNeeded: oldKey?.lowerBound ?? 0)
            node.oldB = UInt32(truncatingIfNeeded: oldKey?.upperBound ?? 0)
            node.newA = UInt32(truncatingIfNeeded: newKey?.lowerBound ?? 0)
            node.newB = UInt32(truncatingIfNeeded: newKey?.upperBound ?? 0)
        case .index(let oldIndex, let newIndex)?:
            node.oldA = UInt32(truncatingIfNeeded: oldIndex ?? 0)
            node.newA = UInt32(truncatingIfNeeded: newIndex ?? 0)
        case nil:
            node.parent = -2  // the top
        }
        nodes.append(node)
        return Int32(truncatingIfNeeded: nodes.count - 1)
    }

    /// The path, in the old or the new document, of the container pair `node`.
    private func path(_ node: Int32, old isOld: Bool) -> JSONPath {
        var reversed: [JSONPath.Component] = []
        var k = node
        while k >= 0 {
            let entry = nodes[Int(k)]
            if entry.parent == -2 { break }
            if entry.isKey {
                let range = isOld ? Int(entry.oldA)..<Int(entry.oldB) : Int(entry.newA)..<Int(entry.newB)
                reversed.append(.key(key(range, old: isOld)))
            } else {
                reversed.append(.index(Int(isOld ? entry.oldA : entry.newA)))
            }
            k = entry.parent
        }
        return JSONPath(reversed.reversed())
    }

    /// The path of a child of `parent` reached by `step`; nil when the step has no side there.
    private func path(_ parent: Int32, _ step: Step?, old isOld: Bool) -> JSONPath? {
        guard let step else { return JSONPath() }
        var path = self.path(parent, old: isOld)
        switch step {
        case .key(let oldKey, let newKey):
            guard let range = isOld ? oldKey : newKey else { return nil }
            path.components.append(.key(key(range, old: isOld)))
        case .index(let oldIndex, let newIndex):
            guard let index = isOld ? oldIndex : newIndex else { return nil }
            path.components.append(.index(index))
        }
        return path
    }

    /// The decoded text of a key token.
    private func key(_ range: Range<Int>, old isOld: Bool) -> String {
        let doc = isOld ? old : new
        return JSON.decodeString(UnsafeBufferPointer(start: doc.p + range.lowerBound, count: range.count))
    }
}
