import Foundation
import SodarCache

/// Reads project lists as SODAR's REST API returns them (`sodar_uuid`, `title`, `type`,
/// `parent`, `description`), for `project import`.
public enum ProjectImport {
    /// The projects of a JSON array of records, or of an object whose values are records.
    /// Unknown fields are ignored; `parent` is a UUID string, null, or an object with `sodar_uuid`.
    /// - Throws: `SyncError.importInvalid` for a list that is not JSON or not records,
    ///   `.importRecord` naming the first bad record by its 1-based position.
    /// Checks the parsed list against the store before anything is written, so that a bad
    /// parent is reported by its record's position: each parent must be a category, in the
    /// list or already in the store.
    /// - Throws: `SyncError.importRecord` for the first record whose parent is unusable.
    public static func checkParents(_ projects: [Project], existing: (UUID) throws -> Project?) throws {
        let listed = Dictionary(projects.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        for (offset, project) in projects.enumerated() {
            guard let parentUUID = project.parent else { continue }
            let position = offset + 1
            guard let parent = try listed[parentUUID] ?? existing(parentUUID) else {
                throw SyncError.importRecord(
                    position: position, message: "parent \(parentUUID.sodarString) is neither in the list nor in the store")
            }
            guard parent.type == .category else {
                throw SyncError.importRecord(
                    position: position, message: "parent \"\(parent.title)\" (\(parentUUID.sodarString)) is not a category")
            }
        }
    }

    public static func parse(_ data: Data) throws -> [Project] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw SyncError.importInvalid("not JSON (\((error as NSError).localizedDescription))")
        }
        let records: [Any]
        if let array = root as? [Any] {
            records = array
        } else if let object = root as? [String: Any] {
            if let results = object["results"] as? [Any], object["sodar_uuid"] == nil {
                records = results  // a paginated REST response
            } else if object["sodar_uuid"] != nil {
                records = [object]
            } else {
                // Foundation loses key order; keep the file's order where the keys are UUIDs.
                records = orderedValues(of: object, in: data)
            }
        } else {
            throw SyncError.importInvalid("expected a JSON array or object of project records")
        }
        var projects: [Project] = []
        var seen = Set<UUID>()
        for (offset, value) in records.enumerated() {
            let position = offset + 1
            let project = try record(value, position: position)
            guard seen.insert(project.uuid).inserted else {
                throw SyncError.importRecord(position: position, message: "duplicate sodar_uuid \(project.uuid.sodarString)")
            }
            projects.append(project)
        }
        return projects
    }

    private static func record(_ value: Any, position: Int) throws -> Project {
        func fail(_ message: String) -> SyncError { .importRecord(position: position, message: message) }
        guard let fields = value as? [String: Any] else { throw fail("expected an object") }
        guard let uuidValue = fields["sodar_uuid"] else { throw fail("missing \"sodar_uuid\"") }
        guard let uuidText = uuidValue as? String, let uuid = UUID(uuidString: uuidText) else {
            throw fail("\"sodar_uuid\" is not a valid UUID: \(show(uuidValue))")
        }
        guard let titleValue = fields["title"] else { throw fail("missing \"title\"") }
        guard let title = titleValue as? String, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail("\"title\" must be a non-empty string, got \(show(titleValue))")
        }
        var kind = Project.Kind.project
        if let typeValue = fields["type"], !(typeValue is NSNull) {
            guard let text = typeValue as? String, let parsed = Project.Kind(rawValue: text.uppercased()) else {
                throw fail("\"type\" must be \"CATEGORY\" or \"PROJECT\", got \(show(typeValue))")
            }
            kind = parsed
        }
        var parent: UUID? = nil
        if let parentValue = fields["parent"], !(parentValue is NSNull) {
            let text = (parentValue as? String) ?? ((parentValue as? [String: Any])?["sodar_uuid"] as? String)
            guard let text, let parsed = UUID(uuidString: text) else {
                throw fail("\"parent\" must be a UUID, null or an object with \"sodar_uuid\", got \(show(parentValue))")
            }
            guard parsed != uuid else { throw fail("project \(uuid.sodarString) is its own parent") }
            parent = parsed
        }
        var description = ""
        if let descriptionValue = fields["description"], !(descriptionValue is NSNull) {
            guard let text = descriptionValue as? String else {
                throw fail("\"description\" must be a string, got \(show(descriptionValue))")
            }
            description = text
        }
        return Project(uuid: uuid, title: title, type: kind, parent: parent, description: description)
    }

    private static func show(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let s as String: return "\"\(s)\""
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(value)"
        }
    }

    /// An object's values in the order their keys appear in the text.
    private static func orderedValues(of object: [String: Any], in data: Data) -> [Any] {
        // The file's own key order, read by the same splitter command apps' output goes through
        // (Foundation's dictionary has none).
        guard let members = try? JSONObjectSplitter.split(data) else {
            return object.keys.sorted().compactMap { object[$0] }
        }
        return members.compactMap { object[$0.key] }
    }
}
