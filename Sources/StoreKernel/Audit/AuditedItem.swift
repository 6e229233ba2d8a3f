import Foundation
import SodarCache

/// The one item an audit entry names, read back from the words `AuditNote` records it in: a
/// single write (`app:name in project UUID`, `app:name site-wide`) or a delete of one item
/// (`deleted 1 item (app:name in project UUID)`). Entries about several items name none.
public typealias AuditedItem = ItemKey

extension ItemKey {
    /// The item `entry` names, or nil when it names none or several.
    public init?(_ entry: AuditEntry) {
        var spec = Substring(entry.what)
        switch entry.action {
        case "write":
            break
        case "delete":
            // `committed(deleting:writing:deleted:)`: one item asked for, nothing written with it.
            let head = "deleted 1 item ("
            guard spec.hasPrefix(head), !spec.contains("; ") else { return nil }
            spec = spec.dropFirst(head.count)
            // " (trash N)" when the trash keeps it.
            if spec.hasSuffix(")"), let trash = spec.range(of: ") (trash ", options: .backwards) {
                spec = spec[..<trash.lowerBound]
            } else if spec.hasSuffix(")") {
                spec = spec.dropLast()
            } else {
                return nil
            }
        default:
            return nil
        }
        guard let parsed = Self.parse(spec) else { return nil }
        self = parsed
    }

    /// `app:name in project UUID` or `app:name site-wide` (`AuditNote.wrote`'s words).
    static func parse(_ spec: Substring) -> ItemKey? {
        var rest = spec
        var project: UUID?
        if rest.hasSuffix(" site-wide") {
            rest = rest.dropLast(" site-wide".count)
        } else if let marker = rest.range(of: " in project ", options: .backwards),
            let uuid = UUID(uuidString: String(rest[marker.upperBound...]))
        {
            project = uuid
            rest = rest[..<marker.lowerBound]
        } else {
            return nil
        }
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let app = rest[..<colon]
        let name = rest[rest.index(after: colon)...]
        guard !app.isEmpty, !name.isEmpty, !app.contains(" ") else { return nil }
        return ItemKey(project: project, app: String(app), name: String(name))
    }
}
