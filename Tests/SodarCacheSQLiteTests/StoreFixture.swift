import Foundation
import Logging
import SodarCache
@testable import SodarCacheSQLite

/// A store in a fresh temporary directory, removed when the fixture goes away.
final class StoreFixture {
    static let apps = ["filesfolders", "samplesheets", "samplesheets.assayapps.cytof", "timeline"]

    let directory: URL
    let store: SQLiteCacheStore
    var path: String { store.path }

    init(apps: [String] = StoreFixture.apps) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sodarcache-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteCacheStore(
            path: directory.appendingPathComponent("cache.sqlite3").path, registeredApps: apps,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// A second store instance on the same file, as another process would open it.
    func reopen(readOnly: Bool = false, busyTimeout: TimeInterval = 5) throws -> SQLiteCacheStore {
        try SQLiteCacheStore(
            path: path, registeredApps: StoreFixture.apps, readOnly: readOnly,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), busyTimeout: busyTimeout)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A category with one project inside, as in SODAR's test suite.
    func makeProject(title: String = "TestProject") throws -> Project {
        let category = try store.addProject(Project(title: "TestCategory", type: .category))
        return try store.addProject(Project(title: title, type: .project, parent: category.uuid))
    }
}

func json(_ text: String) -> Data { Data(text.utf8) }
