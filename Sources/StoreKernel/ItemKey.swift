import Foundation

/// An item's identity in a store: its project (nil: site-wide), app and name, with the names
/// compared as the stores compare them, by their UTF-8 bytes.
///
/// Swift's `String` compares by canonical equivalence ("café" composed equals "café"
/// decomposed), while SQLite, PostgreSQL and SODAR's Python compare code points and keep the
/// two as two items: a dictionary keyed by `String` names would merge items the store keeps
/// apart (one write of a sync's two dropped, a change report's row lost).
public struct ItemKey: Hashable, Comparable, Sendable {
    public var project: UUID?
    public var app: String
    public var name: String

    public init(project: UUID?, app: String, name: String) {
        self.project = project
        self.app = app
        self.name = name
    }

    public static func == (a: ItemKey, b: ItemKey) -> Bool {
        a.project == b.project && same(a.app, b.app) && same(a.name, b.name)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(project)
        Self.combine(app, into: &hasher)
        Self.combine(name, into: &hasher)
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    /// The text's bytes in one call, then 0xFF (no UTF-8 byte) to end it, so that ("ab", "c")
    /// and ("a", "bc") differ.
    private static func combine(_ text: String, into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xFF as UInt8)
    }

    /// By project (site-wide first, then by UUID text), then app and name in byte order.
    public static func < (a: ItemKey, b: ItemKey) -> Bool {
        let (x, y) = (a.project?.uuidString ?? "", b.project?.uuidString ?? "")
        if x != y { return x < y }
        if !same(a.app, b.app) { return a.app.utf8.lexicographicallyPrecedes(b.app.utf8) }
        return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
    }
}
