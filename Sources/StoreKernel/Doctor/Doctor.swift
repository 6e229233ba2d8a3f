import Foundation
import SodarCache

/// The store's health in one pass: stale, cleared, oversized, orphaned, duplicate and missing
/// items, per app and project, over the store protocols (every engine alike). `sodarcache
/// doctor`, `sodarcache metrics` and the browser's findings view all run this.
///
/// It reads every item's summary once, from one snapshot (`forEachItemPage`: sizes and times,
/// no payloads), the site-wide items once more by an exact keyset (two rows of one app and name
/// would sit on one key), the orphans as `deletecache --orphans` finds them, and the payloads
/// of the tiny items only, to tell a cleared one (`{}`, `[]`, `null`) from a small one.
public enum Doctor {
    /// What the doctor reads a store through.
    public typealias Store = CacheMaintenance & ProjectDirectory & CacheBrowsing & StoreAdministration

    /// Payloads up to this many bytes are read: `{}`, `[]` and `null` with some whitespace.
    static let clearedCandidateBytes = 16
    /// Summaries per page of the pass: a page is a round trip on PostgreSQL, and 10,000 of
    /// them are a few MB.
    static let pageSize = 10_000

    /// Examines the store.
    /// - Parameters:
    ///   - scope: `-p`, `--subtree` and `-a`.
    ///   - registeredApps: the apps the config registers, nil when there is no config: then
    ///     every app but the built-in ones would count as an orphan, and orphans are not checked.
    ///   - now: what ages are measured against.
    /// - Throws: `CacheError.projectNotFound` for an unknown `scope.project`, or a store error.
    public static func examine(
        _ store: any Store, scope: DoctorScope = DoctorScope(), settings: DoctorSettings, registeredApps: Set<String>?,
        now: Date = Date()
    ) throws -> DoctorReport {
        let started = ContinuousClock.now
        let projects = try store.allProjects()
        let directory = Dictionary(projects.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        var pass = Pass(settings: settings, directory: directory, staleBefore: now.addingTimeInterval(-settings.staleAfter))

        // The scopes of the pass, and the projects the expectations apply to.
        var filters: [CacheFilter]
        var expectedIn: [Project]
        if let uuid = scope.project {
            guard let project = directory[uuid] else { throw CacheError.projectNotFound(uuid.sodarString) }
            let uuids = scope.subtree && project.type == .category ? ProjectTree.subtree(of: uuid, in: projects) : [uuid]
            filters = uuids.map { CacheFilter(scope: .project($0), appName: scope.app) }
            expectedIn = uuids.compactMap { directory[$0] }.filter { $0.type == .project }
        } else {
            filters = [CacheFilter(scope: .all, appName: scope.app)]
            expectedIn = projects.filter { $0.type == .project }
        }
        var notChecked: [DoctorCheck: String] = [:]
        for check in settings.skipped { notChecked[check] = "skipped in the config ([doctor] skip)" }
        let expectations = settings.expectations.filter { scope.app == nil || $0.app == scope.app }
        if !settings.skipped.contains(.missing) {
            if expectations.isEmpty {
                notChecked[.missing] = settings.expectations.isEmpty
                    ? "nothing expected: no [apps.NAME] expect in the config" : "nothing expected of \(scope.app ?? "")"
            } else {
                pass.expected = Dictionary(
                    expectations.filter { !$0.siteWide }.flatMap { expectation in
                        expectation.names.map { (Pass.Name(project: nil, app: expectation.app, name: $0), Set<UUID>()) }
                    }, uniquingKeysWith: { first, _ in first })
                pass.expectedApps = Array(Set(pass.expected.keys.map(\.app)))
            }
        }
        if !scope.includesSite && !settings.skipped.contains(.duplicates) {
            notChecked[.duplicates] = "only site-wide items can be stored twice, and -p leaves them out"
        }
        if registeredApps == nil && !settings.skipped.contains(.orphans) {
            notChecked[.orphans] = "no config: every app but the built-in ones would count as an orphan"
        }

        // An app SODAR has installed is never an orphan, as `deletecache --orphans` counts it.
        var known: Set<String>?
        if let registeredApps { known = registeredApps.union(try store.installedApps().map { Set($0.keys) } ?? []) }

        // 1. Every item once, from one snapshot, in the engine's cheapest order.
        var site: [Pass.Name: [ItemSummary]] = [:]
        var orphansSeen: [String: Int] = [:]
        for filter in filters {
            try store.scanItems(scope: filter.scope, appName: filter.appName, pageSize: pageSize) { page in
                for item in page {
                    pass.look(at: item)
                    if item.project == nil { site[Pass.Name(project: nil, app: item.appName, name: item.name), default: []].append(item) }
                    if let known, !known.contains(item.appName), !settings.skipped.contains(.orphans) {
                        pass.add(.orphans, item, reason: "app not registered")
                        orphansSeen[item.appName, default: 0] += 1
                    }
                }
            }
        }
        // 2. Items of projects that are gone, which the pass leaves out: counted per app as
        //    `deletecache --orphans` counts them, less those the pass found (no project to name,
        //    nothing to jump to, so not listed: listing them took seconds on SQLite).
        if let registeredApps, scope.project == nil, !settings.skipped.contains(.orphans) {
            let counted = try store.countItems(matching: CacheFilter(appName: scope.app, appNotIn: registeredApps))
            for (app, count) in counted.sorted(by: { $0.key < $1.key }) {
                let gone = count - (orphansSeen[app] ?? 0)
                if gone > 0 { pass.addGone(app: app, count: gone) }
            }
        }
        // 4. The tiny payloads, read to tell a cleared one.
        if !settings.skipped.contains(.cleared) {
            for candidate in pass.tiny {
                guard let item = try store.item(uuid: candidate.uuid), isCleared(item.data) else { continue }
                pass.add(.cleared, candidate)
            }
        }
        // 5. Site-wide items stored twice.
        if scope.includesSite && !settings.skipped.contains(.duplicates) {
            for (key, rows) in site where rows.count > 1 {
                for row in rows.sorted(by: { $0.dateModified < $1.dateModified }) {
                    pass.add(.duplicates, row, names: [key.name])
                }
            }
        }
        // 6. Expected items missing.
        if !settings.skipped.contains(.missing) {
            for expectation in expectations {
                if expectation.siteWide {
                    guard scope.includesSite else { continue }
                    let missing = expectation.names.filter { site[Pass.Name(project: nil, app: expectation.app, name: $0)] == nil }
                    if !missing.isEmpty { pass.addMissing(app: expectation.app, project: nil, names: missing) }
                    continue
                }
                for project in expectedIn {
                    let missing = expectation.names.filter {
                        pass.expected[Pass.Name(project: nil, app: expectation.app, name: $0)]?.contains(project.uuid) != true
                    }
                    if !missing.isEmpty { pass.addMissing(app: expectation.app, project: project, names: missing) }
                }
            }
        }

        let checked = DoctorCheck.allCases.filter { notChecked[$0] == nil }
        let elapsed = ContinuousClock.now - started
        return DoctorReport(
            findings: pass.findings(ancestors: { ancestors(of: $0, in: directory) }), settings: settings,
            itemAges: store.itemAges, checked: checked, notChecked: notChecked, itemsExamined: pass.examined,
            checkedAt: now, duration: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Whether a payload is a cleared one: `{}`, `[]` or `null`, whitespace aside.
    public static func isCleared(_ data: Data) -> Bool {
        guard data.count <= clearedCandidateBytes else { return false }
        let bytes = data.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return bytes.elementsEqual("{}".utf8) || bytes.elementsEqual("[]".utf8) || bytes.elementsEqual("null".utf8)
    }

    /// The ancestors of a project, outermost first (a cycle, which no store writes, stops the walk).
    static func ancestors(of uuid: UUID, in directory: [UUID: Project]) -> [UUID] {
        var chain: [UUID] = []
        var seen: Set<UUID> = [uuid]
        var parent = directory[uuid]?.parent
        while let current = parent, seen.insert(current).inserted {
            chain.append(current)
            parent = directory[current]?.parent
        }
        return chain.reversed()
    }
}
