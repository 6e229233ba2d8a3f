import Foundation
import SodarCache
import StoreKernel

/// The opened item: its record, its document, the cursor and the folds.
public struct PayloadState: Sendable {
    /// The list row it was opened from.
    public var summary: ItemSummary
    public var item: CacheItem?
    public var projectTitle: String?
    public var document: (any PayloadDocument)?
    public var loading = true
    /// Why there is no document (invalid JSON, item gone, store error).
    public var failure: String?
    public var generation: Int
    /// Document line of the cursor (always a visible line).
    public var cursor = 0
    /// Document line shown first.
    public var top = 0
    /// When true every container is folded except those in `foldExceptions`;
    /// when false only those in `foldExceptions` are folded.
    public var foldAll = false
    public var foldExceptions: Set<Int> = []
    public var lastSearch: String?
    /// The search running off the UI loop.
    public var searching: PayloadSearch?

    public init(summary: ItemSummary, generation: Int) {
        self.summary = summary
        self.generation = generation
    }

    /// Whether the container opening at `line` is folded.
    public func isFolded(_ line: Int) -> Bool {
        foldAll != foldExceptions.contains(line)
    }
}
