import Foundation
import SodarCache

/// What one change on a site's tables takes and replaces, collected while its transaction runs
/// and written to the local store before the commit. The transaction's own value, handed to
/// the engine's statements that fill it: never a connection's.
public final class SiteChange {
    /// The rows its deletes took (the engine reads them back as it deletes them), until their
    /// payloads pass `maxBytes`: then none (the trash could not keep them).
    public private(set) var deleted: [TrashedItem] = []
    /// The deletes took more than the trash keeps: nothing of them is kept.
    public private(set) var tooLarge = false
    private var bytes: Int64 = 0
    private let maxBytes: Int64
    /// While the site's history is on: the versions its writes replace (the engine reads them
    /// before the writes).
    public var versions: SiteVersionCollector?

    public init(keepingVersions: Bool, maxBytes: Int64) {
        versions = keepingVersions ? SiteVersionCollector() : nil
        self.maxBytes = maxBytes
    }

    /// Collects a deleted row; past `maxBytes`, drops every row collected and stops.
    public func took(_ item: TrashedItem) {
        guard !tooLarge else { return }
        bytes += Int64(item.data.count)
        if bytes > maxBytes {
            tooLarge = true
            deleted = []
        } else {
            deleted.append(item)
        }
    }
}
