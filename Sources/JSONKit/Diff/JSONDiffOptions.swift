/// How `JSONDiff` compares.
public struct JSONDiffOptions: Hashable, Sendable {
    /// Numbers compare by value, exactly as decimals (`1.0` = `1`, `1e2` = `100`, `-0` = `0`),
    /// not by spelling. For two sides stored by different engines: PostgreSQL's `jsonb`
    /// respells numbers. Off: numbers compare by their text, as stored.
    public var numbersByValue: Bool
    /// The most inserted plus removed elements searched for in one run of an array that
    /// has no element unique to both sides (Myers' edit distance D). Past it, that run is
    /// compared position by position and the result says so.
    public var maxEditDistance: Int
    /// The most steps the search for insertions and removals may take in one array (each
    /// element comparison or table entry is a step). Past it, what is left of that array is
    /// compared position by position and the result says so.
    public var maxAlignmentWork: Int
    /// Nesting limit of both documents.
    public var maxDepth: Int

    public init(
        numbersByValue: Bool = false, maxEditDistance: Int = 1000, maxAlignmentWork: Int = 20_000_000,
        maxDepth: Int = JSON.defaultMaxDepth
    ) {
        self.numbersByValue = numbersByValue
        self.maxEditDistance = maxEditDistance
        self.maxAlignmentWork = maxAlignmentWork
        self.maxDepth = maxDepth
    }
}
