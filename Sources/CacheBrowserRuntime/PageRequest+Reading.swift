import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

// A page request of any list, read by keyset: one way for the three lists and the three starts.
extension PageRequest {
    /// Reads the page from the store: at most `limit` rows, and whether there are more beyond.
    public func read(from source: any CacheBrowsing, limit: Int) throws -> ListPage {
        switch self {
        case .projects(let query, let start):
            return .projects(
                try Self.read(
                    start, limit: limit,
                    after: { try source.projectPage(after: $0, limit: $1, query: query) },
                    before: { try source.projectPage(before: $0, limit: $1, query: query) },
                    standIn: Self.standIn(for:later:)))
        case .apps(let project, let filter, let start):
            return .apps(
                try Self.read(
                    start, limit: limit,
                    after: { try source.appPage(project: project, after: $0, limit: $1, filter: filter) },
                    before: { try source.appPage(project: project, before: $0, limit: $1, filter: filter) },
                    standIn: { anchor, _ in anchor }))
        case .items(let project, let app, let sort, let filter, let start):
            return .items(
                try Self.read(
                    start, limit: limit,
                    after: { try source.itemPage(project: project, app: app, sort: sort, after: $0, limit: $1, filter: filter) },
                    before: {
                        try source.itemPage(project: project, app: app, sort: sort, before: $0, limit: $1, filter: filter)
                    },
                    standIn: { anchor, _ in anchor }))
        }
    }

    /// One row more than asked tells whether there are more; a window around a row is half a
    /// page before it and a page from the row before it on (the first page when there is none),
    /// so the anchor itself comes first in the second read.
    static func read<Row>(
        _ start: PageStart<Row>, limit: Int, after: (Row?, Int) throws -> [Row], before: (Row?, Int) throws -> [Row],
        standIn: (Row, [Row]) -> Row
    ) throws -> PageRows<Row> {
        switch start {
        case .after(let row):
            let rows = try after(row, limit + 1)
            return PageRows(rows: Array(rows.prefix(limit)), start: start, hasMore: rows.count > limit)
        case .before(let row):
            let rows = try before(row, limit + 1)
            return PageRows(rows: Array(rows.suffix(limit)), start: start, hasPrevious: rows.count > limit)
        case .around(let anchor):
            let half = max(1, limit / 2)
            let earlier = try before(anchor, half + 1)
            let rowsBefore = Array(earlier.suffix(half))
            let later = try after(rowsBefore.last, limit + 1)
            return PageRows(
                rows: rowsBefore + later.prefix(limit), start: .around(standIn(anchor, later)),
                hasPrevious: earlier.count > half, hasMore: later.count > limit)
        }
    }

    /// The project that stands for `anchor` in a window read around it: the anchor itself, or,
    /// when a fold now hides it (or it is gone), the first row after the rows before it.
    static func standIn(for anchor: ProjectSummary, later: [ProjectSummary]) -> ProjectSummary {
        if later.contains(where: { $0.project.uuid == anchor.project.uuid }) { return anchor }
        return later.first ?? anchor
    }
}
