/// Walks a keyset-paged list the way the browser and the command line do.
enum Paging {
    /// Every page of `pageSize` rows after the previous page's last row.
    static func forwards<T>(pageSize: Int = 4, _ fetch: (T?) throws -> [T]) throws -> [T] {
        var all: [T] = []
        var after: T?
        while true {
            let page = try fetch(after)
            all += page
            if page.count < pageSize { return all }
            after = page.last
        }
    }

    /// Every page of `pageSize` rows before the previous page's first row, from the last page
    /// (what `G` and paging up from there do), in list order.
    static func backwards<T>(pageSize: Int = 4, _ fetch: (T?) throws -> [T]) throws -> [T] {
        var all: [T] = []
        var before: T?
        while true {
            let page = try fetch(before)
            all = page + all
            if page.count < pageSize { return all }
            before = page.first
        }
    }
}
