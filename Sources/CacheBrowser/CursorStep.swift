/// Where a key moves the cursor.
public enum CursorStep: Sendable, Hashable {
    /// Down (positive) or up (negative) by this many rows or visible lines.
    case rows(Int)
    /// The first row or line loaded.
    case first
    /// The last row or line loaded.
    case last
}
