import Foundation
import JSONKit
import SodarCache

/// Reads project lists as SODAR's REST API returns them (`sodar_uuid`, `title`, `type`,
/// `parent`, `description`), and as `project list --json` writes them (plus `path`), for
/// `project import`.
public enum ProjectImport {
    /// One project record. A field the record does not mention is nil here and keeps the
    /// stored value on import (a new project gets the default).
    public struct Record: Sendable, Hashable {
        public var uuid: UUID
        public var title: String
        public var type: Project.Kind?
        /// nil: not mentioned; `.some(nil)`: top level.
        public var parent: UUID??
        public var description: String?
        /// nil: not mentioned or null. An import never clears a stored path (`project set
        /// --path ""` does): a list from SODAR, which has no paths, must not erase them.
        public var path: String?
        /// Where the record is: its file (nil: stdin or unnamed), 1-based position and line.
        public var file: String?
        public var position: Int
        public var line: Int

        /// The project this record makes of `existing` (nil: a new project).
        public func project(merging existing: Project?) -> Project {
            Project(
                uuid: uuid, title: title, type: type ?? existing?.type ?? .project,
                parent: parent ?? existing?.parent, description: description ?? existing?.description ?? "",
                path: path ?? existing?.path)
        }
    }

    /// One parsed file: its records, and for a paginated REST response (`count`, `next`,
    /// `previous`, `results`) its links.
    public struct Page: Sendable, Hashable {
        public var file: String?
        public var records: [Record]
        public var isPaginated: Bool
        public var next: String?
        public var count: Int?
    }

    /// Parses one file: a JSON array of records, an object whose values are records, one
    /// record, or a paginated response. Unknown fields are ignored; `parent` is a UUID string,
    /// null, or an object with `sodar_uuid`.
    /// - Parameter file: names the file in messages.
    /// - Throws: `SyncError.importInvalid` (with line and column for bad JSON),
    ///   `.importRecord` naming the first bad record by its position and line.
    public static func parse(_ data: Data, file: String? = nil) throws -> Page {
        let root = ImportedJSON(data, offset: 0)
        let elements: [ImportedJSON]
        var page = Page(file: file, records: [], isPaginated: false)
        do {
            // JSONKit validates the whole file as it reads the top level: a syntax error
            // anywhere carries its line and column.
            if let array = try root.elements() {
                elements = array
            } else if let members = try root.members() {
                func member(_ key: String) -> ImportedJSON? { members.first { $0.key == key }?.value }
                if member("sodar_uuid") != nil {
                    elements = [root]
                } else if let results = member("results") {
                    guard let array = try results.elements() else {
                        throw SyncError.importInvalid(file: file, detail: "\"results\" must be an array of project records")
                    }
                    elements = array
                    page.isPaginated = true
                    page.next = member("next")?.string
                    if let count = member("count"), count.kind == .number { page.count = Int(count.text) }
                } else {
                    elements = members.map(\.value)
                }
            } else {
                throw SyncError.importInvalid(file: file, detail: "expected a JSON array or object of project records")
            }
        } catch let error as JSONError {
            throw SyncError.importInvalid(file: file, detail: "not JSON: \(error.description)")
        }
        // Records come in file order: their lines are counted along, once.
        var line = 1
        var counted = 0
        var seen = Set<UUID>()
        for (position, element) in elements.enumerated() {
            while counted < element.offset, counted < data.count {
                if data[data.startIndex + counted] == UInt8(ascii: "\n") { line += 1 }
                counted += 1
            }
            let record = try record(element, file: file, position: position + 1, line: line)
            guard seen.insert(record.uuid).inserted else {
                throw SyncError.importRecord(
                    file: file, position: record.position, line: record.line,
                    message: "duplicate sodar_uuid \(record.uuid.sodarString)")
            }
            page.records.append(record)
        }
        return page
    }

    /// The records of several files, imported together. A paginated response whose `next` is
    /// set needs its later pages in the same import: importing page 1 alone would silently
    /// leave the rest out.
    /// - Throws: `SyncError.importInvalid` for missing pages, `.importRecord` for a project
    ///   listed twice.
    public static func combine(_ pages: [Page]) throws -> [Record] {
        let paginated = pages.filter(\.isPaginated)
        if let first = paginated.first(where: { $0.next != nil }) {
            let lastGiven = paginated.contains { $0.next == nil }
            let held = paginated.reduce(0) { $0 + $1.records.count }
            let total = paginated.compactMap(\.count).max()
            if !lastGiven || (total.map { held < $0 } ?? false) {
                let of = total.map { " (the pages given hold \(held) of \($0) projects)" } ?? ""
                throw SyncError.importInvalid(
                    file: first.file,
                    detail: "a page of a paginated list whose \"next\" is set (\(first.next ?? "")), without the later pages\(of); import every page at once: project import page1.json page2.json ...")
            }
        }
        var seen: [UUID: Record] = [:]
        var records: [Record] = []
        for record in pages.flatMap(\.records) {
            if let earlier = seen[record.uuid] {
                let place = earlier.file.map { "\($0), " } ?? ""
                throw SyncError.importRecord(
                    file: record.file, position: record.position, line: record.line,
                    message: "duplicate sodar_uuid \(record.uuid.sodarString) (also \(place)record \(earlier.position))")
            }
            seen[record.uuid] = record
            records.append(record)
        }
        return records
    }

    /// The projects to import: each record merged with the stored project of its UUID (fields
    /// a record does not mention are kept), with every parent checked before anything is
    /// written: it must be a category, in the list or already in the store.
    /// - Throws: `SyncError.importRecord` for the first record whose parent is unusable.
    public static func resolve(_ records: [Record], existing: (UUID) throws -> Project?) throws -> [Project] {
        let projects = try records.map { try $0.project(merging: existing($0.uuid)) }
        let listed = Dictionary(projects.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        for (record, project) in zip(records, projects) {
            guard let parentUUID = project.parent else { continue }
            func fail(_ message: String) -> SyncError {
                .importRecord(file: record.file, position: record.position, line: record.line, message: message)
            }
            guard let parent = try listed[parentUUID] ?? existing(parentUUID) else {
                throw fail("parent \(parentUUID.sodarString) is neither in the list nor in the store")
            }
            guard parent.type == .category else {
                throw fail("parent \"\(parent.title)\" (\(parentUUID.sodarString)) is not a category")
            }
        }
        return projects
    }

    /// The projects of one list, as new projects (parse, combine and resolve against nothing).
    public static func projects(in data: Data, file: String? = nil) throws -> [Project] {
        try resolve(combine([parse(data, file: file)])) { _ in nil }
    }

    // MARK: - Records

    private static func record(_ value: ImportedJSON, file: String?, position: Int, line: Int) throws -> Record {
        func fail(_ message: String) -> SyncError {
            .importRecord(file: file, position: position, line: line, message: message)
        }
        guard let members = try value.members() else { throw fail("expected an object") }
        func member(_ key: String) -> ImportedJSON? { members.first { $0.key == key }?.value }
        guard let uuidValue = member("sodar_uuid") else { throw fail("missing \"sodar_uuid\"") }
        guard let uuidText = uuidValue.string, let uuid = UUID.strict(uuidText) else {
            throw fail("\"sodar_uuid\" is not a valid UUID: \(uuidValue.shown)")
        }
        guard let titleValue = member("title") else { throw fail("missing \"title\"") }
        guard let title = titleValue.string, !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail("\"title\" must be a non-empty string, got \(titleValue.shown)")
        }
        var record = Record(uuid: uuid, title: title, file: file, position: position, line: line)
        if let typeValue = member("type"), !typeValue.isNull {
            guard let text = typeValue.string, let parsed = Project.Kind(rawValue: text.uppercased()) else {
                throw fail("\"type\" must be \"CATEGORY\" or \"PROJECT\", got \(typeValue.shown)")
            }
            record.type = parsed
        }
        if let parentValue = member("parent") {
            if parentValue.isNull {
                record.parent = .some(nil)
            } else {
                let text = try parentValue.string ?? parentValue.member("sodar_uuid")?.string
                guard let text, let parsed = UUID.strict(text) else {
                    throw fail("\"parent\" must be a UUID, null or an object with \"sodar_uuid\", got \(parentValue.shown)")
                }
                guard parsed != uuid else { throw fail("project \(uuid.sodarString) is its own parent") }
                record.parent = .some(parsed)
            }
        }
        if let descriptionValue = member("description") {
            // SODAR writes null for no description; that clears it, as "" does.
            if descriptionValue.isNull {
                record.description = ""
            } else {
                guard let text = descriptionValue.string else {
                    throw fail("\"description\" must be a string, got \(descriptionValue.shown)")
                }
                record.description = text
            }
        }
        if let pathValue = member("path"), !pathValue.isNull {
            guard let text = pathValue.string, text.hasPrefix("/") else {
                throw fail("\"path\" must be an absolute path or null, got \(pathValue.shown)")
            }
            record.path = text
        }
        return record
    }
}

extension ProjectImport.Record {
    init(uuid: UUID, title: String, file: String?, position: Int, line: Int) {
        self.uuid = uuid
        self.title = title
        self.file = file
        self.position = position
        self.line = line
    }
}
