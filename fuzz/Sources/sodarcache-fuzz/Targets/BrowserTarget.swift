import CacheBrowser
import CacheBrowserRuntime
import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// The browser core: random keys, resizes, clock ticks, store changes and load results (in
/// any order, late, failed, or forged with a stale generation) through `update` and `view`
/// over a small in-memory store. After every step: each cursor inside its list, each drawn
/// cell inside the grid (a wide character whole, never cut at the edge), and no raw control
/// or bidi character on the screen.
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
        let actions = FakeActions(source: source)
        let runner = EffectRunner(
            source: source, mailbox: BrowserMailbox(), actions: actions, buildDocument: JSONPayloadDocument.build)
        var state = BrowserState(
            options: BrowserOptions(storePath: "/tmp/fuzz.sqlite3", readOnly: input.next() % 5 == 0), now: now,
            width: 20 + input.next() % 100, height: 3 + input.next() % 40, timeZone: TimeZone(identifier: "UTC")!)
        state.actionsAvailable = true
        // Small pages: paging, reverse keyset and windows are reached with a few keys.
        state.pageSize = 1 + input.next() % 6
        var pending = state.start()
        var clock = now
        var token = 0
        var added = 0
        while !input.atEnd {
            let op = input.next() % 16
            switch op {
            case 0..<6:
                pending += state.update(.key(keys[input.next() % keys.count]))
            case 6:
                // A click or a wheel notch anywhere, off the screen too.
                let actions: [MouseEvent.Action] = [.press, .press, .wheelUp, .wheelDown]
                let action = actions[input.next() % actions.count]
                let row = input.next() % 50 - 2
                let column = input.next() % 140 - 2
                pending += state.update(.mouse(MouseEvent(action, row: row, column: column)))
            case 7:
                pending += state.update(.resize(width: input.next() % 130, height: input.next() % 45))
            case 8, 9:
                // Answer a pending effect (any one, not only the oldest).
                guard !pending.isEmpty else { continue }
                let effect = pending.remove(at: input.next() % pending.count)
                for action in perform(effect, runner: runner) { pending += state.update(action) }
            case 10:
                guard !pending.isEmpty else { continue }
                let effect = pending.remove(at: input.next() % pending.count)
                if input.next() % 2 == 0, let failure = failure(for: effect) { pending += state.update(failure) }
            case 11:
                // Another process writes or deletes; the watcher reports it.
                let n = input.next()
                if n % 2 == 0 {
                    added += 1
                    source.put(CacheItem(
                        uuid: uuid(1000 + added), project: n % 3 == 0 ? nil : uuid(2 + n % 5), appName: "samplesheets",
                        name: "new/\(added)\u{1B}", user: nil, data: Data("[\(n)]".utf8), dateModified: clock))
                } else if let victim = source.allItems.dropFirst(n % max(1, source.allItems.count)).first {
                    source.remove(uuid: victim.uuid)
                }
                token += 1
                pending += state.update(.storeChanged(token: token))
            case 12:
                clock = clock.addingTimeInterval(Double(input.next() * 977))
                pending += state.update(.tick(clock))
            case 13:
                pending += state.update(forged(&input, state: state, source: source))
            case 14:
                pending += state.update(input.next() % 2 == 0 ? .storeUnavailable(message: "gone\u{1B}]0;title\u{7}") : .storeReopened)
            default:
                // Drain everything, as a quiet moment of the real loop does.
                var rounds = 0
                while !pending.isEmpty && rounds < 50 {
                    let effect = pending.removeFirst()
                    for action in perform(effect, runner: runner) { pending += state.update(action) }
                    rounds += 1
                }
            }
            if pending.count > 64 { pending.removeFirst(pending.count - 64) }
            verify(state)
        }
    }

    /// Does an effect as the runner would, without touching files (a save goes to "stdout").
    static func perform(_ effect: BrowserEffect, runner: EffectRunner) -> [BrowserMessage] {
        switch effect {
        case .saveJSON(let request):
            var toStdout = request
            toStdout.path = nil
            return runner.perform(.saveJSON(toStdout))
        case .quit:
            return []
        default:
            return runner.perform(effect)
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
        case .sync:
            return .syncFailed(message: message)
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

    static func verify(_ state: BrowserState) {
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
