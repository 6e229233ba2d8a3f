/// Walks a keyset-paged list the way the browser and the command line do.
public enum Paging {
    /// A walk that returned more rows than any contract list holds: its pages go round (an
    /// order that disagrees with its keyset), and it would never end.
    public struct Endless: Error, CustomStringConvertible {
        public var rows: Int
        public var description: String { "the page walk passed \(rows) rows without ending: its order disagrees with its keyset" }
    }

    /// More rows than any list a contract test builds.
    public static let mostRows = 50_000

    /// Every page of `pageSize` rows after the previous page's last row.
    public static func forwards<T>(pageSize: Int = 4, _ fetch: (T?) throws -> [T]) throws -> [T] {
        var all: [T] = []
        var after: T?
        while true {
            let page = try fetch(after)
            all += page
            if page.count < pageSize { return all }
            if all.count > mostRows { throw Endless(rows: all.count) }
            after = page.last
        }
    }

    /// Every page of `pageSize` rows before the previous page's first row, from the last page
    /// (what `G` and paging up from there do), in list order.
    public static func backwards<T>(pageSize: Int = 4, _ fetch: (T?) throws -> [T]) throws -> [T] {
        var all: [T] = []
        var before: T?
        while true {
            let page = try fetch(before)
            all = page + all
            if page.count < pageSize { return all }
            if all.count > mostRows { throw Endless(rows: all.count) }
            before = page.first
        }
    }
}
