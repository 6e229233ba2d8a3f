import Foundation
import SodarCache

/// What `y` asks the runtime to copy: the value on a document line, as compact JSON (worked
/// out off the UI loop: the value may be a whole 50 MB payload).
public struct CopyRequest: Sendable, Hashable {
    /// Tells one copy from another.
    public var id: Int
    public var document: any PayloadDocument
    public var line: Int
    /// The line's path, as the status line shows it.
    public var path: String
    /// The most bytes to copy (`BrowserState.clipboardLimit`).
    public var limit: Int

    public init(id: Int, document: any PayloadDocument, line: Int, path: String, limit: Int) {
        self.id = id
        self.document = document
        self.line = line
        self.path = path
        self.limit = limit
    }

    /// Requests are equal by id: the document is the one the copy was asked in.
    public static func == (lhs: CopyRequest, rhs: CopyRequest) -> Bool { lhs.id == rhs.id }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
