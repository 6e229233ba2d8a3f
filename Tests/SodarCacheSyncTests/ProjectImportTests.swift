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
            (#"[{"sodar_uuid": "nope", "title": "A"}]"#, #"record 1: "sodar_uuid" is not a valid UUID: "nope""#),
            (#"[{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A", "type": "FOLDER"}]"#, #"record 1: "type" must be "CATEGORY" or "PROJECT", got "FOLDER""#),
            (#"[{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A", "parent": 7}]"#, #"record 1: "parent" must be a UUID"#),
            (#"[1]"#, "record 1: expected an object"),
            (#"[{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "A"}, {"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "B"}]"#, "record 2: duplicate sodar_uuid"),
            ("{not json", "not JSON: line 1, column 2"),
            ("\"text\"", "expected a JSON array or object"),
        ]
        for (text, fragment) in cases {
            let error = try #require(throws: SyncError.self) { try ProjectImport.projects(in: Data(text.utf8)) }
            #expect(error.description.contains(fragment), "\(error)")
        }
    }
}
