import Foundation
import JSONKit
import SodarCache

/// JSONKit's `JSONDocument` as the browser's `PayloadDocument`, with the closing-line and
/// parent indexes folding needs (built once, off the UI thread, with the document).
public final class JSONPayloadDocument: PayloadDocument {
    public let document: JSONDocument
    /// Container indexes ordered by `endLine`.
    private let byEnd: [Int32]
    /// The enclosing container of each container, or -1.
    private let parents: [Int32]
    /// Paths already worked out, by line: the header shows the cursor line's path on every
    /// frame, and in a long array finding an element's index walks the array.
    private let paths = Locked<[Int: String]>([:])

    /// Validates and indexes a payload. - Throws: `JSONError`.
    public init(data: Data) throws {
        let document = try JSONDocument(data: data)
        self.document = document
        let containers = document.containers
        var byEnd: [Int32] = []
        var parents = [Int32](repeating: -1, count: containers.count)
        byEnd.reserveCapacity(containers.count)
        var stack: [Int32] = []
        for (i, container) in containers.enumerated() {
            while let top = stack.last, containers[Int(top)].endLine < container.startLine {
                byEnd.append(stack.removeLast())
            }
            parents[i] = stack.last ?? -1
            stack.append(Int32(i))
        }
        while let top = stack.popLast() { byEnd.append(top) }
        self.byEnd = byEnd
        self.parents = parents
    }

    /// The builder `EffectRunner` takes.
    @Sendable public static func build(_ data: Data) throws -> any PayloadDocument {
        try JSONPayloadDocument(data: data)
    }

    public var lineCount: Int { document.lineCount }

    public func payloadLine(_ index: Int) -> JSONLine { document.line(index) }

    public func payloadLine(_ index: Int, maxBytes: Int) -> JSONLine { document.line(index, maxBytes: maxBytes) }

    static func fold(_ container: JSONContainer) -> PayloadFold {
        PayloadFold(
            startLine: container.startLine, endLine: container.endLine, childCount: container.childCount,
            isArray: container.isArray)
    }

    public func fold(openingAt line: Int) -> PayloadFold? {
        document.container(openingAt: line).map(Self.fold)
    }

    public func fold(closingAt line: Int) -> PayloadFold? {
        let containers = document.containers
        var low = 0
        var high = byEnd.count
        while low < high {
            let mid = (low + high) / 2
            if containers[Int(byEnd[mid])].endLine < line { low = mid + 1 } else { high = mid }
        }
        guard low < byEnd.count else { return nil }
        let container = containers[Int(byEnd[low])]
        return container.endLine == line && container.startLine < line ? Self.fold(container) : nil
    }

    public func enclosingFolds(ofLine line: Int) -> [PayloadFold] {
        let containers = document.containers
        // The last container starting before the line, then up its parents to those that
        // reach past it.
        var low = 0
        var high = containers.count
        while low < high {
            let mid = (low + high) / 2
            if containers[mid].startLine < line { low = mid + 1 } else { high = mid }
        }
        var k = low - 1
        var result: [PayloadFold] = []
        while k >= 0 {
            if containers[k].endLine >= line { result.append(Self.fold(containers[k])) }
            k = Int(parents[k])
        }
        return result
    }

    public func path(ofLine line: Int) -> String {
        if let known = paths.withLock({ $0[line] }) { return known }
        let path = document.path(ofLine: line)
        paths.withLock { cache in
            if cache.count >= 1024 { cache.removeAll(keepingCapacity: true) }
            cache[line] = path
        }
        return path
    }

    public func compactValue(ofLine line: Int, limit: Int) -> CompactValue {
        document.compactValue(ofLine: line, limit: limit)
    }

    public func search(_ needle: String, fromLine: Int, forward: Bool, isCancelled: () -> Bool) -> Int? {
        document.search(needle, fromLine: fromLine, forward: forward, isCancelled: isCancelled)
    }
}
