import Foundation
import JSONKit

/// The diff view's rows, worked out off the UI loop: the changes from a version (old) to the
/// current payload (new), each with a few unchanged lines of the current payload around it;
/// the lines between changes folded.
public struct DiffLines: Sendable, Hashable {
    public var rows: [DiffRow]
    /// The first row of each change shown, in order (`]`/`[` jump between them).
    public var changeStarts: [Int]
    /// Each change's path as jq writes it (escaped): the status line shows the current one.
    public var paths: [String]
    /// "3 changes: 1 changed, 1 added, 1 removed", or that the two are equal.
    public var summary: String
    /// What the reader should know: arrays compared position by position past the search's
    /// bound, changes left out past the view's limit.
    public var notes: [String]
    public var isEqual: Bool

    public init(rows: [DiffRow], changeStarts: [Int], paths: [String], summary: String, notes: [String], isEqual: Bool) {
        self.rows = rows
        self.changeStarts = changeStarts
        self.paths = paths
        self.summary = summary
        self.notes = notes
        self.isEqual = isEqual
    }

    /// Unchanged lines kept on each side of a change.
    public static let context = 3
    /// Changes shown at most (`sodarcache diff` lists every one).
    public static let maxChanges = 2000
    /// Lines of one side of a change shown at most; the rest is one `cut` row.
    public static let maxValueLines = 60
    /// Source bytes read for one line: rows are cut at the screen's edge anyway.
    static let lineBytes = 4096

    /// Compares `old` with `new` (`JSONDiff`, numbers by text: both sides come from one store)
    /// and lays out the rows.
    /// - Throws: `JSONDiffError` naming the side that is not valid JSON.
    public static func build(
        old: Data, new: Data, context: Int = DiffLines.context, maxChanges: Int = DiffLines.maxChanges,
        maxValueLines: Int = DiffLines.maxValueLines, options: JSONDiffOptions = JSONDiffOptions()
    ) throws -> DiffLines {
        try lay(
            JSONDiff.compare(old, new, options: options), old: old, new: new, context: context, maxChanges: maxChanges,
            maxValueLines: maxValueLines)
    }

    /// The same for a diff that may be abandoned (the browser's, which the user may leave or
    /// replace): nil when `isCancelled` said stop (JSONDiff asks it now and then).
    /// - Throws: `JSONDiffError` naming the side that is not valid JSON.
    public static func build(
        old: Data, new: Data, context: Int = DiffLines.context, maxChanges: Int = DiffLines.maxChanges,
        maxValueLines: Int = DiffLines.maxValueLines, options: JSONDiffOptions = JSONDiffOptions(), isCancelled: () -> Bool
    ) throws -> DiffLines? {
        guard let result = try JSONDiff.compare(old, new, options: options, isCancelled: isCancelled), !isCancelled() else {
            return nil
        }
        return try lay(result, old: old, new: new, context: context, maxChanges: maxChanges, maxValueLines: maxValueLines)
    }

    /// The rows of a diff's result.
    private static func lay(
        _ result: JSONDiffResult, old: Data, new: Data, context: Int, maxChanges: Int, maxValueLines: Int
    ) throws -> DiffLines {
        var notes = result.positionalArrays.map {
            "\($0): compared position by position past the alignment bound (an insertion there may show as later elements changed)"
        }
        guard !result.isEqual else {
            return DiffLines(
                rows: [], changeStarts: [], paths: [], summary: "The two are equal: no change", notes: notes, isEqual: true)
        }
        let oldDoc: JSONDocument
        let newDoc: JSONDocument
        do { oldDoc = try JSONDocument(data: old) } catch let error as JSONError { throw JSONDiffError(side: .old, error: error) }
        do { newDoc = try JSONDocument(data: new) } catch let error as JSONError { throw JSONDiffError(side: .new, error: error) }
        let shown = Array(result.changes.prefix(max(0, maxChanges)))
        if shown.count < result.changes.count {
            notes.append("Showing the first \(shown.count) of \(result.changes.count) changes (sodarcache diff lists them all)")
        }
        var builder = Builder(
            result: result, oldDoc: oldDoc, newDoc: newDoc, context: max(0, context), maxValueLines: max(1, maxValueLines))
        builder.lay(shown)
        var counts: [JSONDiffChange.Kind: Int] = [:]
        for change in result.changes { counts[change.kind, default: 0] += 1 }
        let total = result.changes.count
        let summary = "\(total) change\(total == 1 ? "" : "s"): \(counts[.changed] ?? 0) changed, "
            + "\(counts[.added] ?? 0) added, \(counts[.removed] ?? 0) removed"
        return DiffLines(
            rows: builder.rows, changeStarts: builder.changeStarts, paths: shown.map(\.path.description), summary: summary,
            notes: notes, isEqual: false)
    }

    // MARK: - Laying out

    /// One change placed in the current payload: before line `anchor` (removed values), or on
    /// its own lines from there.
    struct Block {
        var anchor: Int
        var index: Int
        var change: JSONDiffChange
        var oldLines: ClosedRange<Int>?
        var newLines: ClosedRange<Int>?
    }

    struct Builder {
        let result: JSONDiffResult
        let oldDoc: JSONDocument
        let newDoc: JSONDocument
        let context: Int
        let maxValueLines: Int
        var rows: [DiffRow] = []
        var changeStarts: [Int] = []
        /// Where paths of the current payload were found: (opening line, closing line).
        var found: [JSONPath: (Int, Int)?] = [:]

        init(result: JSONDiffResult, oldDoc: JSONDocument, newDoc: JSONDocument, context: Int, maxValueLines: Int) {
            self.result = result
            self.oldDoc = oldDoc
            self.newDoc = newDoc
            self.context = context
            self.maxValueLines = maxValueLines
        }

        mutating func lay(_ changes: [JSONDiffChange]) {
            var blocks: [Block] = []
            blocks.reserveCapacity(changes.count)
            for (index, change) in changes.enumerated() {
                let oldLines = change.oldRange.map { lines(of: $0, in: oldDoc) }
                let newLines = change.newRange.map { lines(of: $0, in: newDoc) }
                let anchor = newLines?.lowerBound ?? removalAnchor(index, changes) ?? blocks.last?.anchor ?? 0
                blocks.append(Block(anchor: anchor, index: index, change: change, oldLines: oldLines, newLines: newLines))
            }
            // Removed values go before what starts on their anchor line; otherwise list order.
            blocks.sort { a, b in
                if a.anchor != b.anchor { return a.anchor < b.anchor }
                let aRemoved = a.newLines == nil, bRemoved = b.newLines == nil
                return aRemoved != bRemoved ? aRemoved : a.index < b.index
            }
            var next = 0
            var afterChange = false
            for block in blocks {
                if block.anchor > next {
                    gap(next..<block.anchor, head: afterChange ? context : 0, tail: context)
                    next = block.anchor
                }
                changeStarts.append(rows.count)
                if let oldLines = block.oldLines {
                    side(oldLines, of: oldDoc, kind: .removed, block: block, isOld: true)
                }
                if let newLines = block.newLines {
                    side(newLines, of: newDoc, kind: .added, block: block, isOld: false)
                    next = max(next, newLines.upperBound + 1)
                }
                afterChange = true
            }
            if next < newDoc.lineCount { gap(next..<newDoc.lineCount, head: context, tail: 0) }
        }

        /// The pretty lines a value's bytes take.
        func lines(of range: Range<Int>, in doc: JSONDocument) -> ClosedRange<Int> {
            let first = doc.line(ofOffset: range.lowerBound)
            return first...max(first, doc.line(ofOffset: max(range.lowerBound, range.upperBound - 1)))
        }

        /// Where a removed value shows in the current payload: before the next change of the
        /// same container that the current payload has, or else before the container's
        /// closing line.
        mutating func removalAnchor(_ index: Int, _ changes: [JSONDiffChange]) -> Int? {
            guard let path = changes[index].oldPath, !path.components.isEmpty else { return nil }
            let parent = JSONPath(Array(path.components.dropLast()))
            for later in changes[(index + 1)...] {
                guard let newPath = later.newPath, let range = later.newRange else { continue }
                if JSONPath(Array(newPath.components.dropLast())) == parent {
                    return newDoc.line(ofOffset: range.lowerBound)
                }
                break
            }
            return locate(parent).map { $0.1 }
        }

        /// The opening and closing lines of the value at `path` in the current payload.
        mutating func locate(_ path: JSONPath) -> (Int, Int)? {
            if let known = found[path] { return known }
            var span: (Int, Int)?
            if path.components.isEmpty {
                span = (0, newDoc.container(openingAt: 0)?.endLine ?? 0)
            } else if let parent = locate(JSONPath(Array(path.components.dropLast()))),
                let container = newDoc.container(openingAt: parent.0), let last = path.components.last
            {
                var line = parent.0 + 1
                var position = 0
                while line < container.endLine {
                    let end = newDoc.container(openingAt: line)?.endLine ?? line
                    if matches(line: line, position: position, last) {
                        span = (line, end)
                        break
                    }
                    line = end + 1
                    position += 1
                }
            }
            found[path] = span
            return span
        }

        func matches(line: Int, position: Int, _ component: JSONPath.Component) -> Bool {
            switch component {
            case .index(let index): return index == position
            case .key(let key):
                guard let first = newDoc.line(line, maxBytes: key.utf8.count * 6 + 16).segments.first, first.kind == .key else {
                    return false
                }
                return JSON.decodeString(Array(first.text.utf8)) == key
            }
        }

        /// Unchanged lines `range` of the current payload: `head` shown after a change, `tail`
        /// before the next, the rest folded.
        mutating func gap(_ range: Range<Int>, head: Int, tail: Int) {
            // A fold of one line would hide nothing: it takes a row too.
            guard head + tail + 1 < range.count else {
                for line in range { rows.append(row(line, of: newDoc, kind: .context)) }
                return
            }
            for line in range.lowerBound..<(range.lowerBound + head) { rows.append(row(line, of: newDoc, kind: .context)) }
            rows.append(DiffRow(kind: .fold(hidden: range.count - head - tail)))
            for line in (range.upperBound - tail)..<range.upperBound { rows.append(row(line, of: newDoc, kind: .context)) }
        }

        /// One side of a change: its lines, a string's changed part marked, a long value cut.
        mutating func side(_ lines: ClosedRange<Int>, of doc: JSONDocument, kind: DiffRow.Kind, block: Block, isOld: Bool) {
            // A string's changed part with its text around it: most of a short string.
            if lines.count == 1, let delta = result.stringDelta(block.change, context: 40) {
                var shown = row(lines.lowerBound, of: doc, kind: kind, change: block.index)
                let (lead, changed, trail) = delta.shown(old: isOld, maxChanged: 200)
                if let at = shown.segments.firstIndex(where: { $0.kind == .string }) {
                    shown.segments.replaceSubrange(
                        at...at,
                        with: [
                            DiffRow.Segment(lead, .string), DiffRow.Segment(changed, .string, emphasis: true),
                            DiffRow.Segment(trail, .string),
                        ])
                }
                rows.append(shown)
                return
            }
            let last = min(lines.upperBound, lines.lowerBound + maxValueLines - 1)
            for line in lines.lowerBound...last { rows.append(row(line, of: doc, kind: kind, change: block.index)) }
            if last < lines.upperBound {
                rows.append(DiffRow(kind: .cut(hidden: lines.upperBound - last), indent: 0, change: block.index))
            }
        }

        func row(_ line: Int, of doc: JSONDocument, kind: DiffRow.Kind, change: Int? = nil) -> DiffRow {
            let text = doc.line(line, maxBytes: DiffLines.lineBytes)
            var segments = text.segments.map { DiffRow.Segment($0.text, $0.kind) }
            if text.isCut { segments.append(DiffRow.Segment("…", .punctuation)) }
            return DiffRow(kind: kind, indent: text.indent, segments: segments, change: change)
        }
    }
}
