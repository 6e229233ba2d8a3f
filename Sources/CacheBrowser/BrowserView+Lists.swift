import Foundation
import JSONKit
import SodarCache

extension BrowserView {
    static func drawLists(_ state: BrowserState, layout: BrowserLayout, into screen: inout Screen) {
        let top = layout.bodyTop
        for row in top..<(top + layout.bodyHeight) {
            screen.put("│", row: row, column: layout.leftWidth, style: CellStyle(.dim))
        }
        drawProjects(state, layout: layout, into: &screen)
        drawApps(state, layout: layout, into: &screen)
        drawItems(state, layout: layout, into: &screen)
    }

    static func paneTitle(
        _ title: String, count: String, focused: Bool, row: Int, column: Int, width: Int, into screen: inout Screen
    ) {
        let style = focused ? CellStyle(.title, bold: true, reverse: true) : CellStyle(.title, bold: true)
        screen.fill(row: row, from: column, count: width, style: style)
        let countWidth = Display.width(count)
        screen.put(" " + title, row: row, column: column, style: style, maxWidth: max(0, width - countWidth - 2))
        if countWidth + 1 < width {
            screen.put(count, row: row, column: column + width - countWidth - 1, style: style)
        }
    }

    /// "12/200+" (position / rows known, "+" when more follow); after a jump to the end of a
    /// list of unknown length, the distance from the end ("end", "end-3").
    static func countText<Row>(_ list: PagedList<Row>, total: Int) -> String {
        guard list.loaded else { return "" }
        guard let offset = list.offset else {
            if list.hasMore { return "…" }
            let fromEnd = max(0, total - 1 - list.cursor)
            return fromEnd == 0 ? "end" : "end-\(BrowserFormat.count(fromEnd))"
        }
        let position = total == 0 ? 0 : offset + list.cursor + 1
        return "\(BrowserFormat.count(position))/\(BrowserFormat.count(offset + total))\(list.hasMore ? "+" : "")"
    }

    /// A list row: stale mark, text, right-aligned columns (the one at `ageColumn` coloured
    /// stale with the mark); the selected row highlighted.
    static func drawRow(
        mark: Bool, marked: Bool = false, text: String, textStyle: CellStyle, columns: [(String, Int)], ageColumn: Int,
        barColumn: Int? = nil, selected: Bool,
        focused: Bool, row: Int, column: Int, width: Int, cutInTheMiddle: Bool = false, into screen: inout Screen
    ) {
        let rightWidth = columns.reduce(0) { $0 + $1.1 + 1 }
        let textWidth = max(1, width - 2 - rightWidth)
        screen.fill(row: row, from: column, count: width)
        if marked {
            screen.put(markedMark, row: row, column: column, style: CellStyle(.accent, bold: true))
        } else {
            screen.put(mark ? staleMark : " ", row: row, column: column, style: CellStyle(.stale, bold: true))
        }
        screen.put(
            cutInTheMiddle ? text.middleCut(to: textWidth) : text.padded(to: textWidth), row: row, column: column + 1,
            style: marked ? CellStyle(.accent, bold: true) : textStyle)
        if marked && mark {
            // The mark column shows the mark: the stale sign moves next to the age, so that it
            // still shows without colour.
            screen.put(staleMark, row: row, column: column + 1 + textWidth, style: CellStyle(.stale, bold: true))
        }
        var x = column + 1 + textWidth + 1
        var barCells = 0..<0
        for (index, (value, columnWidth)) in columns.enumerated() {
            let stale = mark && index == ageColumn
            let style = index == barColumn ? CellStyle(.accent) : stale ? CellStyle(.stale) : CellStyle(.dim)
            screen.put(value.rightAligned(to: columnWidth), row: row, column: x, style: style)
            if index == barColumn { barCells = x..<(x + columnWidth) }
            x += columnWidth + 1
        }
        if selected {
            for x in column..<(column + width) {
                // Reversed, a bar's empty cells would read as its filled part.
                if barCells.contains(x) { continue }
                var style = screen[row, x].style
                if focused {
                    style.reverse = true
                } else {
                    style.bold = true
                    style.underline = true
                }
                screen.restyle(row: row, from: x, count: 1, style: style)
            }
        }
    }

    static func placeholder(_ text: String, row: Int, column: Int, width: Int, into screen: inout Screen) {
        screen.put("  " + text, row: row, column: column, style: CellStyle(.dim), maxWidth: width)
    }

    // MARK: - Projects

    static func drawProjects(_ state: BrowserState, layout: BrowserLayout, into screen: inout Screen) {
        let width = layout.leftWidth
        let focused = state.pane == .projects
        var title = "Projects"
        if state.projectOrder != .name { title += " ↓" + (state.projectOrder == .size ? "size" : "latest") }
        if let filter = state.projects.filter { title += " /" + filter }
        paneTitle(
            title, count: countText(state.projects, total: state.projectEntryCount), focused: focused,
            row: layout.bodyTop, column: 0, width: width, into: &screen)
        let visible = layout.visibleRows(.projects)
        let list = state.projects
        if state.projectEntryCount == 0 {
            let text = list.loaded ? (list.filter == nil ? "(no projects)" : "(no project matches)") : spinner(state) + " loading"
            placeholder(text, row: layout.bodyTop + 1, column: 0, width: width, into: &screen)
            return
        }
        let columns = ProjectColumns(width: width)
        for i in 0..<visible {
            let index = list.top + i
            guard let entry = state.projectEntry(index) else { break }
            let row = layout.bodyTop + 1 + i
            switch entry {
            case .site:
                let count = state.totals?.siteItems ?? 0
                drawRow(
                    mark: false, text: "  (site-wide)", textStyle: CellStyle(.accent, bold: true),
                    columns: columns.cells(count: BrowserFormat.shortCount(count), size: "", share: nil, age: ""),
                    ageColumn: columns.ageIndex, selected: index == list.cursor, focused: focused, row: row, column: 0,
                    width: width, into: &screen)
            case .project(let summary):
                let indent = String(repeating: " ", count: columns.indent(depth: summary.depth))
                let isCategory = summary.project.type == .category
                let marker = BrowserState.canFold(summary) ? (state.isFolded(summary) ? "▸ " : "▾ ") : "  "
                let name = indent + marker + Display.escape(summary.project.title) + (isCategory ? "/" : "")
                // A category shows its whole subtree's totals ("…" while they are being counted).
                let totals = summary.subtree
                let unknown = totals == nil ? "…" : ""
                let latest = totals?.latestUpdate
                let age = latest.map { BrowserFormat.shortAge(of: $0, now: state.now) } ?? unknown
                let items = totals?.items ?? 0
                let count = totals.map { $0.items > 0 || !isCategory ? BrowserFormat.shortCount($0.items) : "" } ?? unknown
                // Bytes not counted yet (a large SODAR table, seconds after launch): "…", not 0 B.
                let size = totals.map { $0.items > 0 ? (summary.estimated ? "…" : BrowserFormat.shortSize($0.bytes)) : "" } ?? unknown
                drawRow(
                    mark: items > 0 && state.isStale(latest), text: name,
                    textStyle: isCategory ? CellStyle(.category, bold: true) : .normal,
                    columns: columns.cells(count: count, size: size, share: items > 0 ? summary.share : nil, age: age),
                    ageColumn: columns.ageIndex, barColumn: columns.barIndex, selected: index == list.cursor,
                    focused: focused, row: row, column: 0, width: width, into: &screen)
            }
        }
    }

    // MARK: - Apps

    static func drawApps(_ state: BrowserState, layout: BrowserLayout, into screen: inout Screen) {
        let width = layout.rightWidth
        let column = layout.rightColumn
        let focused = state.pane == .apps
        let count = countText(state.apps, total: state.apps.rows.count)
        let title = appsTitle(
            filter: state.apps.filter, owner: state.appsOwner, room: width - Display.width(count) - 3)
        paneTitle(title, count: count, focused: focused, row: layout.bodyTop, column: column, width: width, into: &screen)
        let list = state.apps
        if list.rows.isEmpty {
            let text: String
            if state.appsOwner == nil {
                text = ""
            } else if list.loaded {
                text = "(no cached items)"
            } else {
                text = spinner(state) + " loading"
            }
            placeholder(text, row: layout.bodyTop + 1, column: column, width: width, into: &screen)
            return
        }
        // Sizes and bars against the project's own bytes (site-wide: the apps listed).
        var ownerBytes = list.rows.reduce(0) { $0 + $1.totalSize }
        if case .project(let summary)? = state.appsOwner, !summary.estimated, summary.bytes > 0 { ownerBytes = summary.bytes }
        let showSize = width >= 40
        let barWidth = width >= 50 ? 6 : 0
        for i in 0..<layout.visibleRows(.apps) {
            let index = list.top + i
            guard index < list.rows.count else { break }
            let app = list.rows[index]
            let age = app.latestUpdate.map { BrowserFormat.age(of: $0, now: state.now) } ?? ""
            var columns: [(String, Int)] = [(BrowserFormat.count(app.itemCount), 5)]
            if showSize { columns.append((BrowserFormat.shortSize(app.totalSize), 5)) }
            if barWidth > 0 {
                let share = ownerBytes > 0 ? Double(app.totalSize) / Double(ownerBytes) : 0
                columns.append((BrowserFormat.bar(share, width: barWidth), barWidth))
            }
            columns.append((age, 8))
            drawRow(
                mark: state.isStale(app.latestUpdate), text: app.appName, textStyle: .normal,
                columns: columns, ageColumn: columns.count - 1, barColumn: barWidth > 0 ? columns.count - 2 : nil,
                selected: index == list.cursor, focused: focused, row: layout.bodyTop + 1 + i, column: column,
                width: width, cutInTheMiddle: true, into: &screen)
        }
    }

    /// "Apps /filter · Translational Oncology · Cancer Research / Solid Tumours": the filter,
    /// the project's own name, then its parents. The parents are cut first (at their end, the
    /// root kept), and only when they are all gone is the name cut: the name says which
    /// project this is, and the tree beside shows where it sits (issue 18).
    /// - Parameter room: the columns the title may take.
    static func appsTitle(filter: String?, owner: ProjectSelection?, room: Int) -> String {
        let head = "Apps" + (filter.map { " /" + Display.escape($0) } ?? "") + " · "
        guard case .project(let summary)? = owner else { return head + (owner?.title ?? "") }
        let name = Display.escape(summary.project.title)
        let full = Display.escape(summary.project.fullTitle)
        let suffix = " / " + name
        let parents = full.hasSuffix(suffix) && full.count > suffix.count ? String(full.dropLast(suffix.count)) : ""
        let own = head + name
        guard !parents.isEmpty else { return own }
        let left = room - Display.width(own + " · ")
        if Display.width(parents) <= left { return own + " · " + parents }
        // Less than a word of the parents says nothing: then the name alone.
        return left >= 6 ? own + " · " + parents.cut(to: left) : own
    }

    // MARK: - Items

    static func drawItems(_ state: BrowserState, layout: BrowserLayout, into screen: inout Screen) {
        let width = layout.rightWidth
        let column = layout.rightColumn
        let focused = state.pane == .items
        var title = "Items"
        // What the rows' ages are, where they are not the last write (SODAR's tables).
        switch state.options.itemAges {
        case .lastWrite: break
        case .creation: title += " · ages: created"
        case .commitTime: title += " · ages: last commit"
        }
        if state.itemSort != .name { title += " ↓" + state.itemSort.rawValue }
        if let filter = state.items.filter { title += " /" + filter }
        if !state.marks.isEmpty { title += " · \(state.marks.count) marked" }
        paneTitle(
            title, count: countText(state.items, total: state.items.rows.count), focused: focused,
            row: layout.itemsTop, column: column, width: width, into: &screen)
        let list = state.items
        if list.rows.isEmpty {
            let text: String
            if state.itemsApp == nil {
                text = state.apps.rows.isEmpty ? "" : "(select an app)"
            } else if list.loaded {
                text = list.filter == nil ? "(no items)" : "(no item matches)"
            } else {
                text = spinner(state) + " loading"
            }
            placeholder(text, row: layout.itemsTop + 1, column: column, width: width, into: &screen)
            return
        }
        let showUser = width >= 52
        for i in 0..<layout.visibleRows(.items) {
            let index = list.top + i
            guard index < list.rows.count else { break }
            let item = list.rows[index]
            var columns: [(String, Int)] = [
                (BrowserFormat.age(of: item.dateModified, now: state.now), 8), (BrowserFormat.size(item.size), 9),
            ]
            if showUser { columns.append(((item.user ?? "-").padded(to: 10), 10)) }
            drawRow(
                mark: state.isStale(item.dateModified), marked: state.marks[item.uuid] != nil, text: item.name,
                textStyle: .normal, columns: columns, ageColumn: 0,
                selected: index == list.cursor, focused: focused, row: layout.itemsTop + 1 + i, column: column,
                width: width, cutInTheMiddle: true, into: &screen)
        }
    }
}
