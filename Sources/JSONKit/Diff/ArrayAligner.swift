/// What becomes of an array element once the two arrays are aligned.
enum AlignOp: Equatable {
    /// Old element `i` and new element `j` are to be compared (equal by hash, or facing each
    /// other in a run that was replaced).
    case pair(Int, Int)
    /// Old element `i` has nothing facing it: removed.
    case removed(Int)
    /// New element `j` has nothing facing it: added.
    case added(Int)
    /// These old elements were replaced by these new ones (both runs non-empty, no hash in
    /// common): which of them face each other is for the caller to decide.
    case replaced(Range<Int>, Range<Int>)
}

/// Aligns two sequences of element hashes so that a run of inserted or removed elements
/// shows as that run, not as every later element changed.
///
/// Patience first: elements whose hash occurs once on each side anchor the alignment (their
/// longest common order), and the runs between anchors are aligned the same way in turn; a
/// run with no such anchor but hashes in common goes to Myers' O(ND) search. Both are
/// bounded: `work` steps in all (each table entry or comparison costs one) and at most
/// `maxEditDistance` edits in one Myers run. Past a bound the run is paired position by
/// position and `fellBack` says so. Runs that share no hash at all come out as replaced, for
/// the caller to pair by what the elements hold.
struct ArrayAligner {
    /// Steps left.
    var work: Int
    let maxEditDistance: Int
    /// A run was paired by position because a bound was reached.
    private(set) var fellBack = false

    init(work: Int, maxEditDistance: Int) {
        self.work = work
        self.maxEditDistance = max(0, maxEditDistance)
    }

    private struct Counts {
        var inA: Int32 = 0
        var lastA: Int32 = 0
        var inB: Int32 = 0
        var lastB: Int32 = 0
    }

    /// The pairs of elements unique to each side with equal hashes, in their longest common
    /// order, and whether the two ranges share any hash at all. Nil when out of steps.
    mutating func uniqueAnchors(
        _ a: [UInt64], _ aRange: Range<Int>, _ b: [UInt64], _ bRange: Range<Int>
    ) -> (anchors: [(Int, Int)], anyCommon: Bool)? {
        work -= aRange.count + bRange.count
        guard work >= 0 else { return nil }
        var table: [UInt64: Counts] = [:]
        table.reserveCapacity(aRange.count)
        for i in aRange {
            table[a[i], default: Counts()].inA += 1
            table[a[i]]!.lastA = Int32(truncatingIfNeeded: i)
        }
        var anyCommon = false
        for j in bRange {
            guard table[b[j]] != nil else { continue }
            anyCommon = true
            table[b[j]]!.inB += 1
            table[b[j]]!.lastB = Int32(truncatingIfNeeded: j)
        }
        guard anyCommon else { return ([], false) }
        var candidates: [(Int, Int)] = []
        for i in aRange {
            if let counts = table[a[i]], counts.inA == 1, counts.inB == 1 {
                candidates.append((i, Int(counts.lastB)))
            }
        }
        return (Self.longestIncreasing(candidates), true)
    }

    /// The longest run of `candidates` (ascending in their first element) whose second
    /// elements increase too: patience sorting, O(k log k).
    static func longestIncreasing(_ candidates: [(Int, Int)]) -> [(Int, Int)] {
        guard !candidates.isEmpty else { return [] }
        var tails: [Int] = []
        var previous = [Int](repeating: -1, count: candidates.count)
        for (c, candidate) in candidates.enumerated() {
            var low = 0
            var high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if candidates[tails[mid]].1 < candidate.1 { low = mid + 1 } else { high = mid }
            }
            previous[c] = low > 0 ? tails[low - 1] : -1
            if low == tails.count { tails.append(c) } else { tails[low] = c }
        }
        var out: [(Int, Int)] = []
        out.reserveCapacity(tails.count)
        var c = tails[tails.count - 1]
        while c >= 0 {
            out.append(candidates[c])
            c = previous[c]
        }
        return out.reversed()
    }

    // MARK: - Full alignment

    private enum Item {
        case run(Range<Int>, Range<Int>)
        case pair(Int, Int)
    }

    /// Aligns `a[aRange]` with `b[bRange]`, appending the operations in order to `ops`.
    mutating func align(_ a: [UInt64], _ aRange: Range<Int>, _ b: [UInt64], _ bRange: Range<Int>, into ops: inout [AlignOp]) {
        // Later items below earlier ones: whatever is popped comes next in order.
        var stack: [Item] = [.run(aRange, bRange)]
        while let item = stack.popLast() {
            guard case .run(let ar, let br) = item else {
                if case .pair(let i, let j) = item { ops.append(.pair(i, j)) }
                continue
            }
            var aLo = ar.lowerBound
            var bLo = br.lowerBound
            var aHi = ar.upperBound
            var bHi = br.upperBound
            while aLo < aHi && bLo < bHi && a[aLo] == b[bLo] {
                ops.append(.pair(aLo, bLo))
                aLo += 1
                bLo += 1
            }
            while aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1] {
                aHi -= 1
                bHi -= 1
                stack.append(.pair(aHi, bHi))
            }
            if aLo == aHi || bLo == bHi {
                for i in aLo..<aHi { ops.append(.removed(i)) }
                for j in bLo..<bHi { ops.append(.added(j)) }
                continue
            }
            guard let (anchors, anyCommon) = uniqueAnchors(a, aLo..<aHi, b, bLo..<bHi) else {
                fellBack = true
                Self.byPosition(aLo..<aHi, bLo..<bHi, into: &ops)
                continue
            }
            if !anchors.isEmpty {
                var after = (aHi, bHi)
                for (i, j) in anchors.reversed() {
                    stack.append(.run((i + 1)..<after.0, (j + 1)..<after.1))
                    stack.append(.pair(i, j))
                    after = (i, j)
                }
                stack.append(.run(aLo..<after.0, bLo..<after.1))
            } else if !anyCommon {
                ops.append(.replaced(aLo..<aHi, bLo..<bHi))
            } else if let found = myers(a, aLo..<aHi, b, bLo..<bHi) {
                ops.append(contentsOf: found)
            } else {
                fellBack = true
                Self.byPosition(aLo..<aHi, bLo..<bHi, into: &ops)
            }
        }
    }

    /// Elements facing each other paired, the longer side's rest removed or added.
    static func byPosition(_ aRange: Range<Int>, _ bRange: Range<Int>, into ops: inout [AlignOp]) {
        let common = min(aRange.count, bRange.count)
        for k in 0..<common { ops.append(.pair(aRange.lowerBound + k, bRange.lowerBound + k)) }
        for i in (aRange.lowerBound + common)..<aRange.upperBound { ops.append(.removed(i)) }
        for j in (bRange.lowerBound + common)..<bRange.upperBound { ops.append(.added(j)) }
    }

    /// Myers' greedy shortest edit script over hashes, each run of edits between equal
    /// elements one `replaced` (or its removals, or its additions). Nil past
    /// `maxEditDistance` edits or out of steps.
    mutating func myers(_ a: [UInt64], _ aRange: Range<Int>, _ b: [UInt64], _ bRange: Range<Int>) -> [AlignOp]? {
        let n = aRange.count
        let m = bRange.count
        let aLo = aRange.lowerBound
        let bLo = bRange.lowerBound
        let maxD = min(maxEditDistance, n + m)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        // V after each round d, for k in -d...d: round d starts at d * d.
        var trace: [Int] = []
        var found = -1
        rounds: for d in 0...maxD {
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                let startX = x
                while x < n && y < m && a[aLo + x] == b[bLo + y] {
                    x += 1
                    y += 1
                }
                work -= 1 + (x - startX)
                v[offset + k] = x
                if x >= n && y >= m {
                    trace.append(contentsOf: v[(offset - d)...(offset + d)])
                    found = d
                    break rounds
                }
            }
            trace.append(contentsOf: v[(offset - d)...(offset + d)])
            if work < 0 { return nil }
        }
        guard found >= 0 else { return nil }

        // Back from the end, one edit per round, with the equal run before it.
        var reversed: [AlignOp] = []
        var x = n
        var y = m
        for d in stride(from: found, through: 1, by: -1) {
            let base = (d - 1) * (d - 1) + (d - 1)
            let k = x - y
            let down = k == -d || (k != d && trace[base + k - 1] < trace[base + k + 1])
            let previousK = down ? k + 1 : k - 1
            let previousX = trace[base + previousK]
            let previousY = previousX - previousK
            let startX = down ? previousX : previousX + 1
            let startY = startX - k
            while x > startX && y > startY {
                x -= 1
                y -= 1
                reversed.append(.pair(aLo + x, bLo + y))
            }
            reversed.append(down ? .added(bLo + previousY) : .removed(aLo + previousX))
            x = previousX
            y = previousY
        }
        while x > 0 && y > 0 {
            x -= 1
            y -= 1
            reversed.append(.pair(aLo + x, bLo + y))
        }

        // Each run of edits between equal elements: contiguous on both sides.
        var out: [AlignOp] = []
        out.reserveCapacity(reversed.count)
        var removed: [Int] = []
        var added: [Int] = []
        func flush() {
            if let i = removed.first, let j = added.first {
                out.append(.replaced(i..<(i + removed.count), j..<(j + added.count)))
            } else {
                for i in removed { out.append(.removed(i)) }
                for j in added { out.append(.added(j)) }
            }
            removed.removeAll(keepingCapacity: true)
            added.removeAll(keepingCapacity: true)
        }
        for op in reversed.reversed() {
            switch op {
            case .pair:
                flush()
                out.append(op)
            case .removed(let i): removed.append(i)
            case .added(let j): added.append(j)
            case .replaced: break
            }
        }
        flush()
        return out
    }
}
