import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

@Suite("Project import")
struct ProjectImportTests {
    /// Shaped like SODAR's `project/api/list` output, with fields we do not use.
    let realistic = """
        [
          {"title": "Cancer", "type": "CATEGORY", "parent": null, "description": "Cancer research",
           "readme": "", "public_guest_access": false, "archive": false, "full_title": "Cancer",
           "roles": {"8b3b...": {"user": {"username": "alice"}, "role": "project owner"}},
           "sodar_uuid": "5e9c6c52-8a3d-4c55-9c0a-2b8f7a0f1e11"},
          {"title": "Lung WGS", "type": "PROJECT", "parent": "5e9c6c52-8a3d-4c55-9c0a-2b8f7a0f1e11",
           "description": "Whole genomes", "sodar_uuid": "0b6f4f8e-3c1d-4d1e-8f3e-6a2b1c0d9e22", "starred": true},
          {"title": "Colon RNA", "type": "PROJECT",
           "parent": {"sodar_uuid": "5e9c6c52-8a3d-4c55-9c0a-2b8f7a0f1e11", "title": "Cancer"},
           "description": null, "sodar_uuid": "7d2e9a10-1f2b-4c3d-9e8f-0a1b2c3d4e33"}
        ]
        """

    @Test("reads a realistic SODAR project list, keeping the category tree")
    func realisticList() throws {
        let projects = try ProjectImport.projects(in: Data(realistic.utf8))
        #expect(projects.map(\.title) == ["Cancer", "Lung WGS", "Colon RNA"])
        #expect(projects.map(\.type) == [.category, .project, .project])
        let cancer = projects[0].uuid
        #expect(cancer.sodarString == "5e9c6c52-8a3d-4c55-9c0a-2b8f7a0f1e11")
        #expect(projects[0].parent == nil)
        #expect(projects[1].parent == cancer)
        #expect(projects[2].parent == cancer)
        #expect(projects[1].description == "Whole genomes")
        #expect(projects[2].description == "")
        let store = MemoryStore()
        let counts = try store.importProjects(projects)
        #expect(counts.created == 3)
    }

    @Test("an object of records keeps the file's order")
    func objectOfRecords() throws {
        let text = """
            {"b0000000-0000-4000-8000-000000000002": {"sodar_uuid": "b0000000-0000-4000-8000-000000000002", "title": "B"},
             "a0000000-0000-4000-8000-000000000001": {"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A", "type": "CATEGORY"}}
            """
        let projects = try ProjectImport.projects(in: Data(text.utf8))
        #expect(projects.map(\.title) == ["B", "A"])
        #expect(projects[0].type == .project)
    }

    @Test("a broken list names the bad record by position and yields nothing")
    func broken() throws {
        let text = """
            [{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A"},
             {"sodar_uuid": "a0000000-0000-4000-8000-000000000002", "title": "B"},
             {"sodar_uuid": "a0000000-0000-4000-8000-000000000003", "type": "PROJECT"}]
            """
        let store = MemoryStore()
        let error = try #require(throws: SyncError.self) {
            let projects = try ProjectImport.projects(in: Data(text.utf8))
            _ = try store.importProjects(projects)
        }
        #expect(error.description == #"Invalid project list: record 3 (line 3): missing "title""#)
        #expect(try store.allProjects().isEmpty)
    }

    @Test("bad values are named")
    func badValues() throws {
        let cases: [(String, String)] = [
            (#"[{"sodar_uuid": "nope", "title": "A"}]"#, #"record 1 (line 1): "sodar_uuid" is not a valid UUID: "nope""#),
            (#"[{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A", "type": "FOLDER"}]"#, #"record 1 (line 1): "type" must be "CATEGORY" or "PROJECT", got "FOLDER""#),
            (#"[{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A", "parent": 7}]"#, #"record 1 (line 1): "parent" must be a UUID"#),
            (#"[1]"#, "record 1 (line 1): expected an object"),
            (#"[{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A"}, {"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "B"}]"#, "record 2 (line 1): duplicate sodar_uuid"),
            ("{not json", "not JSON: line 1, column 2"),
            ("\"text\"", "expected a JSON array or object"),
        ]
        for (text, fragment) in cases {
            let error = try #require(throws: SyncError.self) { try ProjectImport.projects(in: Data(text.utf8)) }
            #expect(error.description.contains(fragment), "\(error)")
        }
    }
}

/// Issue 13: paginated lists, several files, and round trips that keep every field.
@Suite("Project import: pages and round trips")
struct ProjectImportPagesTests {
    func page(_ uuids: [Int], next: String?, count: Int = 3) -> Data {
        let records = uuids.map { #"{"sodar_uuid": "a0000000-0000-4000-8000-00000000000\#($0)", "title": "P\#($0)"}"# }
        let nextText = next.map { "\"\($0)\"" } ?? "null"
        return Data(#"{"count": \#(count), "next": \#(nextText), "previous": null, "results": [\#(records.joined(separator: ", "))]}"#.utf8)
    }

    @Test("a page whose next is set is refused without the later pages; all pages together import")
    func pagination() throws {
        let first = try ProjectImport.parse(page([1, 2], next: "https://sodar/project/api/list?page=2"), file: "p1.json")
        let error = try #require(throws: SyncError.self) { try ProjectImport.combine([first]) }
        #expect(error.description.hasPrefix(#"Invalid project list p1.json: a page of a paginated list whose "next" is set (https://sodar/project/api/list?page=2), without the later pages (the pages given hold 2 of 3 projects)"#))
        let second = try ProjectImport.parse(page([3], next: nil), file: "p2.json")
        let records = try ProjectImport.combine([first, second])
        #expect(records.map(\.title) == ["P1", "P2", "P3"])
        // The last page alone is a complete answer only when count says so.
        #expect(throws: Never.self) { try ProjectImport.combine([ProjectImport.parse(self.page([1], next: nil, count: 1))]) }
    }

    @Test("a project in two files is named with both places")
    func duplicateAcrossFiles() throws {
        let a = try ProjectImport.parse(page([1], next: nil, count: 1), file: "a.json")
        let b = try ProjectImport.parse(page([1], next: nil, count: 1), file: "b.json")
        let error = try #require(throws: SyncError.self) { try ProjectImport.combine([a, b]) }
        #expect(error.description.contains("b.json: record 1 (line 1): duplicate sodar_uuid a0000000-0000-4000-8000-000000000001 (also a.json, record 1)"))
    }

    @Test("fields a record does not mention keep their stored values; path is read back")
    func merging() throws {
        let store = MemoryStore()
        let cat = try store.addProject(Project(title: "Cat", type: .category))
        let stored = try store.addProject(Project(title: "Old", parent: cat.uuid, description: "kept", path: "/data/old"))
        let text = """
            [{"sodar_uuid": "\(stored.uuid.sodarString)", "title": "New"},
             {"sodar_uuid": "a0000000-0000-4000-8000-000000000009", "title": "Fresh", "path": "/data/fresh", "description": "d"}]
            """
        let records = try ProjectImport.combine([ProjectImport.parse(Data(text.utf8))])
        let projects = try ProjectImport.resolve(records) { try store.project(uuid: $0) }
        #expect(projects[0].title == "New")
        #expect(projects[0].description == "kept")
        #expect(projects[0].path == "/data/old")
        #expect(projects[0].parent == cat.uuid)
        #expect(projects[1].path == "/data/fresh")
        #expect(projects[1].description == "d")
    }

    @Test("a bad record is named by its position and the line it starts on, in every shape of list")
    func recordLines() throws {
        let good = #"{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A"}"#
        let bad = #"{"sodar_uuid": "a0000000-0000-4000-8000-000000000002"}"#
        let cases: [(String, String)] = [
            ("[\n  \(good),\n\n  \(bad)\n]", #"record 2 (line 4): missing "title""#),
            ("{\n\"a\": \(good),\n\"b\":\n\n \(bad)}", #"record 2 (line 5): missing "title""#),
            ("\n\n  \(bad)", #"record 1 (line 3): missing "title""#),
            ("{\"count\": 2, \"next\": null,\n \"results\": [\(good),\n\n\(bad)]}", #"record 2 (line 4): missing "title""#),
        ]
        for (text, fragment) in cases {
            let error = try #require(throws: SyncError.self) { try ProjectImport.parse(Data(text.utf8), file: "l.json") }
            #expect(error.description == "Invalid project list l.json: \(fragment)")
        }
    }

    @Test("values in messages are quoted on one line, control characters escaped")
    func escapedValues() throws {
        let text = #"[{"sodar_uuid": "a\u001b[2Jb\nc", "title": "A"}]"#
        let error = try #require(throws: SyncError.self) { try ProjectImport.parse(Data(text.utf8)) }
        #expect(error.description == #"Invalid project list: record 1 (line 1): "sodar_uuid" is not a valid UUID: "a\u001b[2Jb\nc""#)
        let results = try #require(throws: SyncError.self) { try ProjectImport.parse(Data(#"{"results": {"a": 1}}"#.utf8)) }
        #expect(results.description == #"Invalid project list: "results" must be an array of project records"#)
        let nested = try #require(throws: SyncError.self) { try ProjectImport.parse(Data("[{\"sodar_uuid\": [1, }]".utf8)) }
        #expect(nested.description == "Invalid project list: not JSON: line 1, column 21: expected a JSON value, found '}'")
    }

    @Test("bad JSON is reported with its line and column")
    func syntaxPosition() throws {
        let error = try #require(throws: SyncError.self) {
            try ProjectImport.parse(Data("[\n  {\"sodar_uuid\": 1,,}\n]".utf8), file: "x.json")
        }
        #expect(error.description.hasPrefix("Invalid project list x.json: not JSON: line 2, column"))
    }
}
