import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache

extension TestJSON {
    /// Compact JSON text.
    var text: String {
        switch self {
        case .object(let members): return "{" + members.map { "\"\($0.0)\":\($0.1.text)" }.joined(separator: ",") + "}"
        case .array(let elements): return "[" + elements.map(\.text).joined(separator: ",") + "]"
        case .string(let s): return "\"\(s)\""
        case .number(let s), .literal(let s): return s
        }
    }
}

struct FixtureError: Error {}

/// A small SODAR-like store: two categories, four projects, site-wide items; a fixed clock.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00:00 UTC
    static let utc = TimeZone(identifier: "UTC")!

    static func uuid(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))!
    }

    static let cancer = Project(uuid: uuid(1), title: "Cancer Research", type: .category)
    static let alpha = Project(
        uuid: uuid(2), title: "Project Alpha", parent: uuid(1), fullTitle: "Cancer Research / Project Alpha")
    static let beta = Project(
        uuid: uuid(3), title: "Project Beta", parent: uuid(1), fullTitle: "Cancer Research / Project Beta")
    static let germline = Project(uuid: uuid(4), title: "Germline", type: .category)
    static let tokyo = Project(uuid: uuid(5), title: "東京 Family Study", parent: uuid(4), fullTitle: "Germline / 東京 Family Study")
    static let zeta = Project(uuid: uuid(6), title: "Zeta Lab")

    static let shortcuts = TestJSON.object([
        ("shortcuts", .object([
            ("results_reports", .literal("true")),
            ("misc_files", .literal("false")),
            ("track_hubs", .array([.string("/sodarZone/projects/00/hub1"), .string("/sodarZone/projects/00/hub2")])),
        ]))
    ])

    static let rows = TestJSON.object([
        ("paths", .object([
            ("/sodarZone/a/row1", .object([("file_count", .number("12")), ("total_size", .number("73400320"))])),
            ("/sodarZone/a/row2", .literal("null")),
            ("/sodarZone/a/row3", .object([("file_count", .number("3")), ("total_size", .number("1024"))])),
        ]))
    ])

    static func item(
        _ n: Int, _ project: Project?, _ app: String, _ name: String, age: TimeInterval, user: String? = "alice",
        json: TestJSON = .object([("n", .number("1"))])
    ) -> (CacheItem, TestJSON) {
        let item = CacheItem(
            uuid: uuid(100 + n), project: project?.uuid, appName: app, name: name,
            user: user.map { User(username: $0) }, data: Data(json.text.utf8),
            dateModified: now.addingTimeInterval(-age))
        return (item, json)
    }

    static let entries: [(CacheItem, TestJSON)] = [
        item(1, alpha, "samplesheets", "irods/shortcuts/assay/aaaa", age: 180, json: shortcuts),
        item(2, alpha, "samplesheets", "sheet/tables/study/ssss", age: 7200, user: "bob",
             json: .object([("study", .object([("top_header", .array([]))]))])),
        item(3, alpha, "samplesheets.assayapps.cytof", "irods/rows/cccc", age: 86400 * 2, json: rows),
        item(4, alpha, "samplesheets.assayapps.cytof", "irods/rows/dddd", age: 86400 * 10, user: nil, json: rows),
        item(5, beta, "samplesheets", "irods/shortcuts/assay/bbbb", age: 86400 * 40, json: shortcuts),
        item(6, tokyo, "samplesheets.studyapps.germline", "irods/\u{1B}[31mred\u{7}", age: 45,
             json: .object([("bam", .object([("山田 太郎", .string("/sodarZone/bam/yamada.bam")), ("🧬", .literal("null"))]))])),
        item(7, nil, "sodarcache", "site/settings", age: 600, user: "admin",
             json: .object([("enabled", .literal("true"))])),
    ]

    static func source() -> FakeSource {
        FakeSource(projects: [cancer, alpha, beta, germline, tokyo, zeta], items: entries.map(\.0))
    }

    static let documents: [Data: TestJSON] = Dictionary(
        entries.map { ($0.0.data, $0.1) }, uniquingKeysWith: { a, _ in a })

    /// The real JSONKit document, as the browser uses it.
    static let builder: EffectRunner.DocumentBuilder = JSONPayloadDocument.build

    /// The test's own pretty-printer, to check the browser against a second implementation.
    static let treeBuilder: EffectRunner.DocumentBuilder = { data in
        guard let json = documents[data] else { throw FixtureError() }
        return TreeDocument(json)
    }

    static func browser(
        source: FakeSource? = nil, width: Int = 80, height: Int = 24, staleAfter: TimeInterval = 7 * 86400,
        builder: @escaping EffectRunner.DocumentBuilder = Fixture.builder
    ) -> ScriptedBrowser {
        ScriptedBrowser(
            source: source ?? Self.source(),
            options: BrowserOptions(storePath: "/srv/cache.db", staleAfter: staleAfter), now: now, width: width,
            height: height, timeZone: utc, buildDocument: builder)
    }
}
