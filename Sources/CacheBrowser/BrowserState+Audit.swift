import Foundation
import JSONKit
import SodarCache
import StoreKernel

// The audit pane (`L`, as lazygit's command log): this session's entries, then the store's
// recent ones, newest first; Enter on an entry that names one item goes to it.
extension BrowserState {
    /// Entries read per visit.
    static let auditLimit = 200

    /// The pane's rows: a heading before each part, then its entries.
    public var auditRows: [AuditRow] {
        // Nothing read yet, or nothing could be: no heading counts what is not known (the view
        // says that it is reading, or the summary line why it could not).
        guard let trail = auditTrail, !trail.entries.isEmpty || (trail.failure == nil && !trail.loading) else { return [] }
        var rows: [AuditRow] = []
        if options.sessionAttribution != nil {
            rows.append(.heading("This session: " + BrowserFormat.counted(trail.session.count, "change")))
            rows += trail.session.map(AuditRow.entry)
        }
        rows.append(.heading("The store's recent entries: \(BrowserFormat.count(trail.recent.count))"))
        rows += trail.recent.map(AuditRow.entry)
        return rows
    }

    /// `L`: opens the pane and reads the trail (what was read before stays on screen meanwhile).
    mutating func showAudit() -> [BrowserEffect] {
        overlay = .audit(cursor: 0)
        return loadAudit()
    }

    mutating func loadAudit() -> [BrowserEffect] {
        let generation = nextGeneration()
        var trail = auditTrail ?? AuditTrail(generation: generation)
        trail.generation = generation
        trail.loading = true
        auditTrail = trail
        return [.loadAudit(AuditRequest(generation: generation, limit: Self.auditLimit))]
    }

    /// Another write landed: an open audit pane reads the trail again (its new entry with it).
    mutating func refreshAudit() -> [BrowserEffect] {
        guard case .audit? = overlay else { return [] }
        return loadAudit()
    }

    mutating func auditLoaded(generation: Int, entries: [AuditEntry]) -> [BrowserEffect] {
        guard generation == auditTrail?.generation else { return [] }
        let who = options.sessionStart == nil ? nil : options.sessionAttribution
        let (session, recent) = AuditTrail.split(entries, by: who, since: options.sessionStart ?? .distantPast)
        auditTrail = AuditTrail(generation: generation, loading: false, session: session, recent: recent)
        if case .audit(let cursor) = overlay { overlay = .audit(cursor: min(cursor, max(0, auditRows.count - 1))) }
        return []
    }

    mutating func auditFailed(generation: Int, text: String) -> [BrowserEffect] {
        guard generation == auditTrail?.generation else { return [] }
        auditTrail?.loading = false
        auditTrail?.failure = text
        if overlay == nil { message = StatusMessage("Could not read the audit trail: \(text)", isError: true) }
        return []
    }

    mutating func handleAudit(cursor: Int, key: Key) -> [BrowserEffect] {
        if let moved = listCursor(key, cursor: cursor, count: auditRows.count) {
            overlay = .audit(cursor: moved)
            return []
        }
        switch key {
        case .enter, .right, .char("l"):
            return openAuditRow(cursor)
        case .char("r"):
            return loadAudit()
        case .ctrl("c"):
            overlay = nil
            return quit()
        case .escape, .left, .char("h"), .backspace, .char("q"), .char("L"):
            overlay = nil
        default:
            break
        }
        return []
    }

    mutating func auditMouse(_ event: MouseEvent, cursor: Int) -> [BrowserEffect] {
        switch listPointing(event, cursor: cursor, count: auditRows.count) {
        case .select(let entry): overlay = .audit(cursor: entry)
        case .open(let entry): return openAuditRow(entry)
        case nil: break
        }
        return []
    }

    // MARK: - Project titles

    /// An entry's text with each `project UUID` the browser knows (the project list's rows,
    /// the apps pane's project) shown as `project "Full / Title"`; the others stay UUIDs, as
    /// does any other UUID (an item's name may hold one) and one its title already follows
    /// (`project UUID "Title"`, a project's creation). The title is the store's text: the
    /// screen escapes it as it escapes the entry.
    public func namingProjects(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let word = Array("project ".utf8)
        guard bytes.count >= word.count + 36 else { return text }
        var out = ""
        var copied = 0
        var i = word.count
        while i + 36 <= bytes.count {
            guard Self.isUUID(bytes, at: i), bytes[(i - word.count)..<i].elementsEqual(word) else {
                i += 1
                continue
            }
            let end = i + 36
            let titled = bytes[end...].starts(with: Array(#" ""#.utf8))
            if !titled, let uuid = UUID(uuidString: String(decoding: bytes[i..<end], as: UTF8.self)),
                let title = knownProjectTitle(uuid)
            {
                out += String(decoding: bytes[copied..<i], as: UTF8.self) + "\"" + title + "\""
                copied = end
            }
            i = end
        }
        return out + String(decoding: bytes[copied...], as: UTF8.self)
    }

    /// The full title of a project the browser has read, or nil.
    func knownProjectTitle(_ uuid: UUID) -> String? {
        if let row = projects.rows.first(where: { $0.project.uuid == uuid }) { return row.project.fullTitle }
        if case .project(let summary)? = appsOwner, summary.project.uuid == uuid { return summary.project.fullTitle }
        return nil
    }

    /// Whether the 36 bytes at `start` are a UUID (8-4-4-4-12 hex digits) standing alone, not
    /// part of a longer run of hex digits and hyphens.
    static func isUUID(_ bytes: [UInt8], at start: Int) -> Bool {
        func hexOrHyphen(_ b: UInt8) -> Bool { b == UInt8(ascii: "-") || isHex(b) }
        func isHex(_ b: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(b)
        }
        guard start + 36 <= bytes.count else { return false }
        if start > 0 && hexOrHyphen(bytes[start - 1]) { return false }
        if start + 36 < bytes.count && hexOrHyphen(bytes[start + 36]) { return false }
        for offset in 0..<36 {
            let b = bytes[start + offset]
            if [8, 13, 18, 23].contains(offset) ? b != UInt8(ascii: "-") : !isHex(b) { return false }
        }
        return true
    }

    private mutating func openAuditRow(_ cursor: Int) -> [BrowserEffect] {
        let rows = auditRows
        guard rows.indices.contains(cursor), case .entry(let entry) = rows[cursor] else { return [] }
        guard let item = AuditedItem(entry) else {
            message = StatusMessage("This entry names no single item (\(Display.escape(entry.action)): \(Display.escape(entry.what)))")
            return []
        }
        return locate(project: item.project, app: item.app, name: item.name, open: false)
    }
}
