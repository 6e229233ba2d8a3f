import Foundation
import SodarCache

extension Doctor {
    /// What one pass has gathered: findings by group, the tiny payloads to read, the projects
    /// that have each expected item.
    struct Pass {
        /// An app's item name (by its bytes, as the store keeps names apart).
        typealias Name = ItemKey

        /// One finding's identity: a kind in one place and app (and, for duplicates, one name).
        struct Key: Hashable {
            var check: DoctorCheck
            var project: UUID?
            var gone: Bool
            var app: String
            var names: [String]
        }

        /// A finding while it is gathered.
        struct Group {
            var count = 0
            /// Nil when not read (orphans of projects that are gone).
            var bytes: Int? = 0
            var oldest: Date?
            var largest = 0
            var items: [ItemSummary] = []
            var reason: String?
        }

        let settings: DoctorSettings
        let directory: [UUID: Project]
        let staleBefore: Date
        let checksStale: Bool
        let checksOversized: Bool
        let checksCleared: Bool
        var groups: [Key: Group] = [:]
        /// Items small enough to be a cleared payload.
        var tiny: [ItemSummary] = []
        /// For each expected (app, name): the projects that have it.
        var expected: [Name: Set<UUID>] = [:]
        /// The apps of `expected`: most items are of none, told by a few comparisons.
        var expectedApps: [String] = []
        var examined = 0

        init(settings: DoctorSettings, directory: [UUID: Project], staleBefore: Date) {
            self.settings = settings
            self.directory = directory
            self.staleBefore = staleBefore
            checksStale = !settings.skipped.contains(.stale)
            checksOversized = !settings.skipped.contains(.oversized)
            checksCleared = !settings.skipped.contains(.cleared)
        }

        /// One item of the pass: its age, its size, and whether it is an expected one.
        mutating func look(at item: ItemSummary) {
            examined += 1
            if checksStale && item.dateModified < staleBefore { add(.stale, item) }
            if checksOversized && item.size > settings.oversizedBytes { add(.oversized, item) }
            if checksCleared && item.size <= Doctor.clearedCandidateBytes { tiny.append(item) }
            if let project = item.project, !expectedApps.isEmpty, expectedApps.contains(where: { $0 == item.appName }) {
                let name = Name(project: nil, app: item.appName, name: item.name)
                if expected[name] != nil { expected[name]?.insert(project) }
            }
        }

        /// Counts an item into its finding.
        mutating func add(
            _ check: DoctorCheck, _ item: ItemSummary, project: UUID?? = nil, gone: Bool = false, reason: String? = nil,
            names: [String] = []
        ) {
            let key = Key(check: check, project: project ?? item.project, gone: gone, app: item.appName, names: names)
            var group = groups[key] ?? Group()
            group.count += 1
            group.bytes = group.bytes.map { $0 + item.size }
            group.largest = max(group.largest, item.size)
            if group.oldest.map({ item.dateModified < $0 }) ?? true { group.oldest = item.dateModified }
            group.reason = reason
            group.items.append(item)
            if group.items.count > settings.examplesPerFinding {
                // Keep the items a person would look at first: the oldest stale ones, the
                // largest oversized ones, else the first found.
                switch check {
                case .stale: group.items.remove(at: group.items.indices.max { group.items[$0].dateModified < group.items[$1].dateModified }!)
                case .oversized: group.items.remove(at: group.items.indices.min { group.items[$0].size < group.items[$1].size }!)
                default: group.items.removeLast()
                }
            }
            groups[key] = group
        }

        /// Orphans of projects that are gone, counted but not read.
        mutating func addGone(app: String, count: Int) {
            let key = Key(check: .orphans, project: nil, gone: true, app: app, names: [])
            groups[key] = Group(count: count, bytes: nil, reason: "project gone")
        }

        /// A project (nil: the site) without some expected names of an app.
        mutating func addMissing(app: String, project: Project?, names: [String]) {
            let key = Key(check: .missing, project: project?.uuid, gone: false, app: app, names: names)
            groups[key] = Group(count: names.count, bytes: nil)
        }

        /// The findings, most severe first, then by kind, place and app.
        func findings(ancestors: (UUID) -> [UUID]) -> [DoctorFinding] {
            let findings = groups.map { key, group -> DoctorFinding in
                var items = group.items
                switch key.check {
                case .stale: items.sort { $0.dateModified < $1.dateModified }
                case .oversized: items.sort { $0.size > $1.size }
                default: break
                }
                return DoctorFinding(
                    check: key.check, severity: settings.severity(of: key.check), project: key.project.flatMap { directory[$0] },
                    projectGone: key.gone, ancestors: key.project.map(ancestors) ?? [], app: key.app, count: group.count,
                    bytes: group.bytes, oldest: group.oldest, largest: group.largest, items: items, names: key.names,
                    reason: group.reason)
            }
            return findings.sorted { a, b in
                if a.severity != b.severity { return a.severity > b.severity }
                if a.check != b.check { return a.check < b.check }
                // Site-wide first, projects by full title, the gone ones last.
                let rank = { (f: DoctorFinding) -> Int in f.project != nil ? 1 : (f.projectGone ? 2 : 0) }
                if rank(a) != rank(b) { return rank(a) < rank(b) }
                if a.place != b.place { return a.place < b.place }
                if a.app != b.app { return a.app < b.app }
                return a.names.lexicographicallyPrecedes(b.names)
            }
        }
    }
}
