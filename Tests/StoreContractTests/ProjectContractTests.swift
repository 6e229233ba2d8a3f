import Foundation
import SodarCache
import StoreKernel
import Testing

/// The project tree (`ProjectDirectory`) where sodarcache owns it, and its refusal where
/// SODAR does.
@Suite struct ProjectContractTests {
    @Test(arguments: StoreKind.ownProjects) func addMoveAndRenameKeepTheTree(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let cancer = try store.addProject(Project(title: "Cancer", type: .category))
        let liver = try store.addProject(Project(title: "Liver", parent: cancer.uuid, path: "/data/liver"))
        #expect(liver.fullTitle == "Cancer / Liver")
        #expect(try store.project(uuid: liver.uuid)?.path == "/data/liver")
        let other = try store.addProject(Project(title: "Other", type: .category))
        var moved = liver
        moved.parent = other.uuid
        moved.title = "Liver v2"
        #expect(try store.updateProject(moved).fullTitle == "Other / Liver v2")
        var renamed = other
        renamed.title = "Archive"
        try store.updateProject(renamed)
        #expect(try store.project(uuid: liver.uuid)?.fullTitle == "Archive / Liver v2")
        #expect(try store.allProjects().map(\.fullTitle) == ["Archive", "Archive / Liver v2", "Cancer"])
    }

    @Test(arguments: StoreKind.ownProjects) func treeRulesAreKept(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let category = try store.addProject(Project(title: "C", type: .category))
        let project = try store.addProject(Project(title: "P", parent: category.uuid))
        #expect(throws: CacheError.self) { try store.addProject(Project(title: "Q", parent: project.uuid)) }
        #expect(throws: CacheError.projectNotFound(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)).sodarString)) {
            try store.addProject(Project(title: "Q", parent: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))))
        }
        #expect(throws: CacheError.self) { try store.addProject(Project(uuid: project.uuid, title: "Again")) }
        #expect(throws: CacheError.self) { try store.addProject(Project(title: "P", parent: category.uuid)) }
        #expect(throws: CacheError.self) { try store.addProject(Project(title: "  ")) }
        var cycle = category
        let inner = try store.addProject(Project(title: "Inner", type: .category, parent: category.uuid))
        cycle.parent = inner.uuid
        #expect(throws: CacheError.self) { try store.updateProject(cycle) }
        #expect(try store.allProjects().count == 3)
    }

    @Test(arguments: StoreKind.ownProjects) func importCreatesAndUpdatesInOneTransaction(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let existing = try store.addProject(Project(title: "Old", path: "/kept"))
        let category = Project(title: "Cat", type: .category)
        let child = Project(title: "Child", parent: category.uuid)
        var renamed = existing
        renamed.title = "Renamed"
        renamed.path = nil
        // Parents may come after their children.
        let counts = try store.importProjects([child, category, renamed])
        #expect(counts.created == 2)
        #expect(counts.updated == 1)
        #expect(try store.project(uuid: child.uuid)?.fullTitle == "Cat / Child")
        #expect(try store.project(uuid: existing.uuid)?.title == "Renamed")
        #expect(try store.project(uuid: existing.uuid)?.path == "/kept")
        // A bad record refuses the whole import.
        let orphan = Project(title: "Lost", parent: UUID())
        #expect(throws: CacheError.self) { try store.importProjects([Project(title: "New"), orphan]) }
        #expect(throws: CacheError.self) { try store.importProjects([Project(title: "Renamed")]) }
        #expect(try store.allProjects().count == 3)
    }

    @Test(arguments: StoreKind.available.filter { $0 == .sodar }) func sodarProjectsAreReadOnly(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        for attempt in [
            { _ = try store.addProject(Project(title: "New")) },
            { _ = try store.updateProject(project) },
            { _ = try store.importProjects([Project(title: "New")]) },
        ] {
            let error = #expect(throws: CacheError.self) { try attempt() }
            #expect(error?.description.contains("Projects belong to SODAR") == true)
        }
        #expect(try store.allProjects().map(\.fullTitle) == ["TestCategory", "TestCategory / TestProject"])
    }
}
