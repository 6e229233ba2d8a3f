/// A source over a file that can be replaced underneath the browser (a restore from backup):
/// `r` asks it to open the file now at its path.
public protocol ReopeningSource: Sendable {
    /// Opens the store again when the file at its path is no longer the one that was opened.
    /// - Returns: whether it reopened.
    /// - Throws: when the file is gone or the new one cannot be opened (the old one stays open).
    func reopenIfReplaced() throws -> Bool
}
