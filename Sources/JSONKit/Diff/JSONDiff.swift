#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A structural diff of two JSON documents: values added, removed and changed, by path.
///
/// - Objects compare by key, whatever the order of their members (PostgreSQL's `jsonb`
///   reorders keys). Of duplicate keys the last one counts, as `jsonb` keeps it.
/// - Arrays compare by position, with runs of inserted or removed elements found, so one
///   insertion shows as one added element and not as every later element changed. The
///   search is bounded (`JSONDiffOptions`); past a bound the rest of that array is compared
///   position by position and `JSONDiffResult.positionalArrays` names it.
/// - Strings compare by their text, escapes decoded (`"\u00e9"` is `"é"`). Numbers compare by
///   spelling, or by exact decimal value with `numbersByValue` (never through `Double`).
/// - Whitespace never counts. A value that changes type is one change.
///
/// Both documents are validated first, strictly (`JSON.validate`), and stay bytes: nothing is
/// decoded into dictionaries. Cost: one scan of each document plus the containers on the
/// way to each change; memory: 12 bytes per container, and per array entered 12 bytes an
/// element on each side.
public enum JSONDiff {
    /// The changes from `old` to `new`, in document order.
    /// - Throws: `JSONDiffError` naming the side that is not valid JSON.
    public static func compare(_ old: Data, _ new: Data, options: JSONDiffOptions = JSONDiffOptions()) throws -> JSONDiffResult {
        let run = try diff(old, new, options: options, isCancelled: nil)
        return JSONDiffResult(old: old, new: new, options: options, changes: run.changes, positionalArrays: run.positional)
    }

    /// The changes from `old` to `new`, or nil when `isCancelled` said stop: for a diff that
    /// may be abandoned (a 50 MB one the user left). `isCancelled` is asked between the two
    /// documents' scans and every 64 containers or array runs compared, so it should be cheap
    /// (an atomic or a lock), and a stop comes after at most one array's alignment.
    /// - Throws: `JSONDiffError` naming the side that is not valid JSON.
    public static func compare(
        _ old: Data, _ new: Data, options: JSONDiffOptions = JSONDiffOptions(), isCancelled: () -> Bool
    ) throws -> JSONDiffResult? {
        let run = try withoutActuallyEscaping(isCancelled) { isCancelled in
            try diff(old, new, options: options, isCancelled: isCancelled)
        }
        guard run.finished else { return nil }
        return JSONDiffResult(old: old, new: new, options: options, changes: run.changes, positionalArrays: run.positional)
    }

    /// The walk; `finished` is false when `isCancelled` stopped it (never when it is nil).
    private static func diff(
        _ old: Data, _ new: Data, options: JSONDiffOptions, isCancelled: (() -> Bool)?
    ) throws -> (changes: [JSONDiffChange], positional: [JSONPath], finished: Bool) {
        try old.withUnsafeBytes { rawOld in
            try new.withUnsafeBytes { rawNew in
                let oldDoc = try DiffDocument(bytes: rawOld.assumingMemoryBound(to: UInt8.self), side: .old, maxDepth: options.maxDepth)
                if let isCancelled, isCancelled() { return ([], [], false) }
                let newDoc = try DiffDocument(bytes: rawNew.assumingMemoryBound(to: UInt8.self), side: .new, maxDepth: options.maxDepth)
                var engine = DiffEngine(old: oldDoc, new: newDoc, options: options, isCancelled: isCancelled)
                let finished = engine.run()
                return (engine.changes, engine.positional, finished)
            }
        }
    }
}
