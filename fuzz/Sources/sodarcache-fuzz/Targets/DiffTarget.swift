import Foundation
import JSONKit

/// JSONDiff: two documents from one input (split at its first NUL byte, which valid JSON
/// never holds raw; without one, the document against itself), compared with options from
/// the first byte (numbers by value, tiny bounds so that the position-by-position fallback
/// runs too). Accepts exactly when both validate, blaming the right side; a document against
/// itself or its pretty form has no change; equality is symmetric; every change's paths lead
/// to its byte ranges, its two values differ, and what it shows is safe for a terminal. A
/// cancellable diff not cancelled finds the same changes.
enum DiffTarget: FuzzTarget {
    static let name = "diff"

    static func run(_ data: Data) {
        guard let first = data.first else { return }
        let rest = data.dropFirst()
        let old: Data
        let new: Data
        if let split = rest.firstIndex(of: 0) {
            old = Data(rest[rest.startIndex..<split])
            new = Data(rest[(split + 1)...])
        } else {
            old = Data(rest)
            new = Data(rest)
        }
        var options = JSONDiffOptions(numbersByValue: first & 1 == 1)
        if first & 2 == 2 {
            options.maxEditDistance = Int(first >> 2) & 7
            options.maxAlignmentWork = Int(first >> 5) * 8
        }
        let oldError = validation(old)
        let newError = validation(new)
        let result: JSONDiffResult
        do {
            result = try JSONDiff.compare(old, new, options: options)
        } catch let error as JSONDiffError {
            if let oldError {
                check(error == JSONDiffError(side: .old, error: oldError), "old document: \(error) vs \(oldError)")
            } else {
                check(error == JSONDiffError(side: .new, error: newError ?? JSONError(line: 0, column: 0, message: "")),
                      "new document: \(error) vs \(String(describing: newError))")
            }
            return
        } catch {
            check(false, "not a JSONDiffError: \(error)")
            return
        }
        check(oldError == nil && newError == nil, "accepted what does not validate")
        // A diff that may be cancelled and is not finds the same; one told to stop, nothing.
        let uncancelled = try? JSONDiff.compare(old, new, options: options, isCancelled: { false })
        check(uncancelled?.changes == result.changes, "a diff nothing cancelled found other changes")
        check((try? JSONDiff.compare(old, new, options: options, isCancelled: { true })) == nil, "a cancelled diff gave a result")

        for doc in [old, new] {
            check((try? JSONDiff.compare(doc, doc, options: options))?.isEqual == true, "a document differs from itself")
            if let pretty = try? JSON.pretty(doc) {
                check((try? JSONDiff.compare(doc, pretty, options: options))?.isEqual == true, "a document differs from its pretty form")
            }
        }
        let reverse = try? JSONDiff.compare(new, old, options: options)
        check(reverse?.isEqual == result.isEqual, "equal one way, not the other")
        check(result.isBounded == !result.positionalArrays.isEmpty, "bounded without a path")
        for path in result.positionalArrays { safe(path.description, "positional path") }

        for change in result.changes {
            check((change.oldRange == nil) == (change.kind == .added), "old range of \(change.kind)")
            check((change.newRange == nil) == (change.kind == .removed), "new range of \(change.kind)")
            check((change.oldPath == nil) == (change.kind == .added), "old path of \(change.kind)")
            check((change.newPath == nil) == (change.kind == .removed), "new path of \(change.kind)")
            if let path = change.oldPath, let range = change.oldRange {
                check(resolve(path, in: old) == range, "old path \(path) does not lead to \(range)")
                preview(result, range, old: true)
            }
            if let path = change.newPath, let range = change.newRange {
                check(resolve(path, in: new) == range, "new path \(path) does not lead to \(range)")
                preview(result, range, old: false)
            }
            safe(change.path.description, "path")
            if change.kind == .changed, let a = result.oldValue(change), let b = result.newValue(change) {
                check((try? JSONDiff.compare(a, b, options: options))?.isEqual == false, "a change between equal values at \(change.path)")
            }
            if let delta = result.stringDelta(change) {
                let a = JSON.decodeString(result.oldValue(change) ?? Data())
                let b = JSON.decodeString(result.newValue(change) ?? Data())
                check(holds(a, delta.before + delta.removed + delta.after), "string delta not in the old string")
                check(holds(b, delta.before + delta.inserted + delta.after), "string delta not in the new string")
                check(a.utf8.starts(with: (delta.isCutBefore ? "" : delta.before).utf8), "string delta's start")
                for isOld in [true, false] {
                    let shown = delta.shown(old: isOld, maxChanged: 5)
                    safe(shown.lead + shown.changed + shown.trail, "string delta")
                }
            }
        }
    }

    /// Whether `part`'s UTF-8 lies in `text`'s: by bytes, as the delta cuts between scalars
    /// (String.contains compares characters, and Foundation's finds no empty string).
    static func holds(_ text: String, _ part: String) -> Bool {
        let haystack = Array(text.utf8)
        let needle = Array(part.utf8)
        guard needle.count <= haystack.count else { return false }
        if needle.isEmpty { return true }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    static func validation(_ data: Data) -> JSONError? {
        do { try JSON.validate(data); return nil } catch let error as JSONError { return error } catch { return nil }
    }

    static func preview(_ result: JSONDiffResult, _ range: Range<Int>, old: Bool) {
        safe(result.preview(range, old: old, limit: 7), "preview")
        check((try? JSON.validate(result.bytes(range, old: old))) != nil, "a change's bytes are not one JSON value")
    }

    static func safe(_ text: String, _ what: String) {
        check(!text.unicodeScalars.contains(where: Display.isUnsafe), "\(what) shows an unsafe scalar: \(text.debugDescription)")
    }

    /// The bytes at `path` in `data` (the last of duplicate keys), or nil.
    static func resolve(_ path: JSONPath, in data: Data) -> Range<Int>? {
        var range = 0..<data.count
        for component in path.components {
            let slice = Data(data[range])
            switch component {
            case .key(let key):
                guard let members = (try? JSON.objectMembers(slice)) ?? nil, let member = members.last(where: { $0.key == key }) else { return nil }
                range = (range.lowerBound + member.value.lowerBound)..<(range.lowerBound + member.value.upperBound)
            case .index(let index):
                guard let elements = (try? JSON.arrayElements(slice)) ?? nil, index >= 0, index < elements.count else { return nil }
                range = (range.lowerBound + elements[index].lowerBound)..<(range.lowerBound + elements[index].upperBound)
            }
        }
        if path.components.isEmpty {
            let bytes = Array(data)
            var lower = 0
            var upper = bytes.count
            while lower < upper, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[lower]) { lower += 1 }
            while upper > lower, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[upper - 1]) { upper -= 1 }
            range = lower..<upper
        }
        return range
    }
}
