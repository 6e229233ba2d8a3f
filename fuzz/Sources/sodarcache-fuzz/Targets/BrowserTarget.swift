import CacheBrowser
import CacheBrowserRuntime
import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// The browser's real loop (`BrowserLoop`) on a scripted terminal over a small in-memory store:
/// random keys, clicks, resizes, clock ticks, store changes and effects answered in any order,
/// late, failed, dropped, or forged with a stale generation (the effects are held by a
/// `ManualEffectExecutor` and run as the input says). After every turn of the loop: each cursor
/// inside its list, the frame on the terminal the state's (once one is drawn), each drawn cell inside the grid (a
/// wide character whole, never cut at the edge), and no raw control or bidi character on it.
enum BrowserTarget: FuzzTarget {
    static let name = "browser"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func uuid(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))!
    }

    /// Keys of the key map, text for prompts (a control character among it), and a few unbound ones.
    static let keys: [Key] = {
        var keys: [Key] = []
        for binding in KeyMap.standard.bindings { keys += binding.keys }
        keys += ["a", "e", "1", "é", "東", "\u{1B}", "\u{7}", "\u{9B}", "\u{202E}", ".", "~"].map { Key.char($0) }
        keys += [.ctrl("a"), .ctrl("u"), .delete, .backspace, .enter, .escape]
        return keys
    }()

    static func source() -> FakeSource {
        let category = Project(uuid: uuid(1), title: "Cancer \u{1B}[2J Research", type: .category)
        var projects = [category]
        for n in 2...6 {
            projects.append(Project(
                uuid: uuid(n), title: n == 4 ? "東京 \u{202E}evil" : "Project \(n)", parent: n < 5 ? uuid(1) : nil,
                fullTitle: n < 5 ? "Cancer \u{1B}[2J Research / Project \(n)" : "Project \(n)"))
        }
        let payloads: [String] = [
            #"{"a":{"b":[1,2,{"c":"\u001b[31m"}]},"d":"\#u{9B}31m","e":[]}"#,
            "[" + (0..<40).map { "{\"n\":\($0),\"s\":\"\u{202E}x\u{7F}\"}" }.joined(separator: ",") + "]",
            "{not json",
            #""東京🧬e\u0301""#,
            "{}",
        ]
        var items: [CacheItem] = []
        for n in 0..<23 {
            let project: UUID? = n % 5 == 0 ? nil : uuid(2 + n % 5)
            items.append(CacheItem(
                uuid: uuid(100 + n), project: project, appName: ["samplesheets", "app.\u{1B}x", "東京app"][n % 3],
                name: n % 4 == 0 ? "irods/\u{1B}[31mred\u{7}/\(n)" : "item/\(n)/東京/e\u{301}",
                user: n % 2 == 0 ? User(username: "alice\u{9B}") : nil,
                data: Data(payloads[n % payloads.count].utf8), dateModified: now.addingTimeInterval(-Double(n * n * 4000))))
        }
        return FakeSource(projects: projects, items: items)
    }

    /// Reads the input as a stream of small numbers.
    struct Reader {
        var bytes: [UInt8]
        var at = 0
        var atEnd: Bool { at >= bytes.count }
        mutating func next() -> Int {
            defer { at += 1 }
            return at < bytes.count ? Int(bytes[at]) : 0
        }
    }

    static func run(_ data: Data) {
        var input = Reader(bytes: Array(data.prefix(600)))
        let source = source()
        let jobs = ManualEffectExecutor()
        let readOnly = input.next() % 5 == 0
        let terminal = ScriptedTerminal(width: 20 + input.next() % 100, height: 3 + input.next() % 40, now: now)
        // Small pages: paging, reverse keyset and windows are reached with a few keys.
        let browser = BrowserLoop(
            terminal: terminal, source: source, options: BrowserOptions(storePath: "/tmp/fuzz.sqlite3", readOnly: readOnly),
            actions: FakeActions(source: source), timeZone: TimeZone(identifier: "UTC")!, executor: jobs,
            pageSize: 1 + input.next() % 6, buildDocument: JSONPayloadDocument.build)
        browser.start()
        var token = 0
        var added = 0
        while !input.atEnd {
            let op = input.next() % 16
            switch op {
            case 0..<6:
                terminal.send(.key(keys[input.next() % keys.count]))
            case 6:
                // A click or a wheel notch anywhere, off the screen too.
                let actions: [MouseEvent.Action] = [.press, .press, .wheelUp, .wheelDown]
                let action = actions[input.next() % actions.count]
                let row = input.next() % 50 - 2
                let column = input.next() % 140 - 2
                terminal.send(.mouse(MouseEvent(action, row: row, column: column)))
            case 7:
                terminal.send(.resize(width: input.next() % 130, height: input.next() % 45))
            case 8, 9:
                // Answer a held effect (any one, not only the oldest).
                let held = jobs.pending.count
                guard held > 0 else { continue }
                answer(jobs.take(at: input.next() % held), runner: browser.runner)
            case 10:
                // Fail a held effect, or drop it unanswered.
                let held = jobs.pending.count
                guard held > 0 else { continue }
                let job = jobs.take(at: input.next() % held)
                if input.next() % 2 == 0, let failure = failure(for: job.effect) { browser.mailbox.post(failure) }
            case 11:
                // Another process writes or deletes; the watcher reports it.
                let n = input.next()
                if n % 2 == 0 {
                    added += 1
                    source.put(CacheItem(
                        uuid: uuid(1000 + added), project: n % 3 == 0 ? nil : uuid(2 + n % 5), appName: "samplesheets",
                        name: "new/\(added)\u{1B}", user: nil, data: Data("[\(n)]".utf8), dateModified: terminal.now()))
                } else if let victim = source.allItems.dropFirst(n % max(1, source.allItems.count)).first {
                    source.remove(uuid: victim.uuid)
                }
                token += 1
                browser.mailbox.post(.storeChanged(token: token))
            case 12:
                terminal.advanceClock(by: Double(input.next() * 977))
            case 13:
                browser.mailbox.post(forged(&input, state: browser.state, source: source))
            case 14:
                browser.mailbox.post(
                    input.next() % 2 == 0 ? .storeUnavailable(message: "gone\u{1B}]0;title\u{7}") : .storeReopened)
            default:
                // Answer everything, as a quiet moment of the real loop does.
                var rounds = 0
                while !jobs.pending.isEmpty && rounds < 50 {
                    answer(jobs.take(at: 0), runner: browser.runner)
                    browser.step(timeout: .zero)
                    rounds += 1
                }
            }
            while jobs.pending.count > 64 { _ = jobs.take(at: 0) }
            browser.step(timeout: .zero)
            // Until the first frame (held while the first pages load) nothing is on the terminal.
            verify(browser.state, drawn: terminal.frames > 0 ? terminal.screen : nil)
        }
    }

    /// Does a held effect as its lane would, without touching files (a save goes to "stdout").
    static func answer(_ job: EffectJob, runner: EffectRunner) {
        if case .saveJSON(let request) = job.effect, request.path != nil {
            var toStdout = request
            toStdout.path = nil
            for message in runner.perform(.saveJSON(toStdout)) { runner.mailbox.post(message) }
        } else {
            job.run()
        }
    }

    /// The failure a store error would bring for an effect.
    static func failure(for effect: BrowserEffect) -> BrowserMessage? {
        let message = "Store error: database is locked\u{1B}[2J"
        switch effect {
        case .loadPage(let g, let request, _):
            return .loadFailed(pane: request.pane, generation: g, message: message)
        case .loadTotals:
            return .loadFailed(pane: nil, generation: 0, message: message)
        case .loadPayload(let g, _), .refreshPayload(let g, _, _):
            return .payloadFailed(generation: g, item: nil, projectTitle: nil, message: message)
        case .countForDelete(let target), .delete(let target):
            return .deleteFailed(target, message: message)
        case .sync, .previewSync:
            return .syncFailed(message: message)
        case .locateItem(let lookup):
            return .itemLookupFailed(lookup, message: message)
        case .loadAudit(let request):
            return .auditFailed(generation: request.generation, message: message)
        case .saveJSON(let request):
            return .saveFailed(path: request.path, message: message)
        default:
            return nil
        }
    }

    /// A load result nobody asked for: an old or future generation, rows in any order.
    static func forged(_ input: inout Reader, state: BrowserState, source: FakeSource) -> BrowserMessage {
        let generation = input.next() % (state.lastGeneration + 3)
        let more = input.next() % 2 == 0
        let count = input.next() % 5
        var random = SplitMix(seed: UInt64(input.next()))
        let shuffled = source.allItems.shuffled(using: &random).map {
            ItemSummary(
                uuid: $0.uuid, project: $0.project, appName: $0.appName, name: $0.name, user: $0.user?.username,
                dateModified: $0.dateModified, size: $0.size)
        }
        let items = Array(shuffled.prefix(count))
        let projects = (try? source.projectPage(after: nil, limit: 10, filter: nil)) ?? []
        let apps = (try? source.appPage(project: uuid(2 + count), after: nil, limit: 10, filter: nil)) ?? []
        let page: ListPage
        switch input.next() % 7 {
        case 0: page = .projects(PageRows(rows: Array(projects.prefix(count)), start: .after(nil), hasMore: more))
        case 1: page = .apps(PageRows(rows: Array(apps.prefix(count)), start: .before(nil), hasPrevious: more))
        case 2: page = .items(PageRows(rows: items, start: .after(nil), hasMore: more))
        case 3: page = .items(PageRows(rows: items, start: .before(nil), hasPrevious: more))
        // Windows around an anchor that may be among the rows or not (gone, folded away).
        case 4 where !shuffled.isEmpty:
            let anchor = shuffled[count % shuffled.count]
            page = .items(PageRows(rows: items, start: .around(anchor), hasPrevious: more, hasMore: !more))
        case 5 where !apps.isEmpty:
            let anchor = apps[count % apps.count]
            page = .apps(PageRows(rows: Array(apps.prefix(count)), start: .around(anchor), hasPrevious: more, hasMore: !more))
        case 6 where !projects.isEmpty:
            let anchor = projects[count % projects.count]
            page = .projects(
                PageRows(rows: Array(projects.prefix(count)), start: .around(anchor), hasPrevious: more, hasMore: !more))
        default: page = .items(PageRows(rows: [], start: .after(nil)))
        }
        return .pageLoaded(generation: generation, page: page)
    }

    static func verify(_ state: BrowserState, drawn: Screen?) {
        func inside<Row>(_ list: PagedList<Row>, count: Int, _ name: String) {
            check(list.cursor >= 0 && (count == 0 ? list.cursor == 0 : list.cursor < count),
                  "\(name) cursor \(list.cursor) outside \(count) rows")
            check(list.top >= 0 && list.top <= max(0, list.cursor), "\(name) top \(list.top) after cursor \(list.cursor)")
        }
        inside(state.projects, count: state.projectEntryCount, "project")
        inside(state.apps, count: state.apps.rows.count, "app")
        inside(state.items, count: state.items.rows.count, "item")
        if let payload = state.payload, let document = payload.document {
            check(payload.cursor >= 0 && payload.cursor < max(1, document.lineCount),
                  "payload cursor \(payload.cursor) outside \(document.lineCount) lines")
            check(payload.top >= 0 && payload.top <= max(0, payload.cursor), "payload top \(payload.top) after cursor \(payload.cursor)")
        }
        let screen = BrowserView.render(state)
        if let drawn { check(drawn == screen, "the frame on the terminal is not the state's (\(drawn.width)x\(drawn.height))") }
        check(screen.width == max(0, state.width) && screen.height == max(0, state.height),
              "screen \(screen.width)x\(screen.height) for \(state.width)x\(state.height)")
        check(screen.cells.count == screen.width * screen.height, "cell count")
        for row in 0..<screen.height {
            for column in 0..<screen.width {
                let cell = screen[row, column]
                check(cell.width <= 2, "cell width \(cell.width)")
                check(!cell.text.unicodeScalars.contains(where: Display.isUnsafe),
                      "raw control on screen at \(row),\(column): \(cell.text.debugDescription)")
                if cell.width == 2 {
                    check(column + 1 < screen.width && screen[row, column + 1].width == 0,
                          "wide cell at \(row),\(column) without its right half: \(rowText(screen, row).debugDescription) \(state.width)x\(state.height) overlay \(String(describing: state.overlay).prefix(80)) prompt \(String(describing: state.prompt))")
                }
                if cell.width == 0 {
                    check(column > 0 && screen[row, column - 1].width == 2,
                          "right half at \(row),\(column) without a wide cell: \(rowText(screen, row).debugDescription)")
                }
            }
        }
    }
}

func rowText(_ screen: Screen, _ row: Int) -> String {
    (0..<screen.width).map { screen[row, $0].text }.joined()
}

/// A seeded generator, so a forged page is the same every time an input is replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
