import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheSync
import Testing

/// Issue 13: nothing lost by accident (saving a payload, tiny terminals, marks).
@Suite struct SafetyTests {
    /// A fresh directory with a fake store file in it (a real SQLite header).
    final class Scratch {
        let directory: String
        var store: String { directory + "/victim.sqlite3" }

        init() throws {
            directory = NSTemporaryDirectory() + "browser-safety-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data("SQLite format 3\u{0}the rest of a store".utf8).write(to: URL(fileURLWithPath: store))
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func contents(_ path: String) -> String? {
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The payload of irods/shortcuts/assay/aaaa open, in a browser on the scratch store.
    static func payloadBrowser(_ scratch: Scratch, source: FakeSource = Fixture.source(), width: Int = 80, height: Int = 24)
        -> ScriptedBrowser
    {
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: scratch.store), now: Fixture.now, width: width,
            height: height, timeZone: Fixture.utc, actions: FakeActions(source: source), buildDocument: Fixture.builder)
        browser.press(.down, .down, .enter, .enter, .enter)
        #expect(browser.state.pane == .payload)
        return browser
    }

    /// The save key, from the key map (`e`; it was `y` before `y` copied to the clipboard).
    static let saveKey = KeyMap.standard.keys(for: .saveJSON, in: .payload)[0]

    static func save(_ browser: ScriptedBrowser, to path: String) {
        browser.press(Self.saveKey)
        browser.type(path)
        browser.press(.enter)
    }

    static func status(_ browser: ScriptedBrowser) -> String {
        row(browser.screen, browser.state.layout.statusRow)
    }

    // MARK: - Item 1: saving a payload

    @Test func savingOverTheOpenStoreItsSideFilesOrAnySQLiteDatabaseIsRefused() throws {
        let scratch = try Scratch()
        let browser = Self.payloadBrowser(scratch)
        let before = scratch.contents(scratch.store)
        // The store by its path, by another spelling, by a symlink and by a hard link.
        try FileManager.default.createSymbolicLink(atPath: scratch.directory + "/link", withDestinationPath: scratch.store)
        #expect(link(scratch.store, scratch.directory + "/hard") == 0)
        let spellings = [
            scratch.store, scratch.directory + "/./victim.sqlite3", scratch.directory + "/link", scratch.directory + "/hard",
        ]
        for path in spellings {
            Self.save(browser, to: path)
            #expect(browser.state.overlay == nil)
            #expect(Self.status(browser).contains("refused: it is the open store"), "\(path)")
            #expect(scratch.contents(scratch.store) == before)
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            Self.save(browser, to: scratch.store + suffix)
            #expect(Self.status(browser).contains("refused: it is the open store's \(suffix) file"))
            #expect(!FileManager.default.fileExists(atPath: scratch.store + suffix))
        }
        // Any other SQLite database.
        let other = scratch.directory + "/other.db"
        try Data("SQLite format 3\u{0}xyz".utf8).write(to: URL(fileURLWithPath: other))
        Self.save(browser, to: other)
        #expect(Self.status(browser).contains("refused: it is a SQLite database"))
        #expect(scratch.contents(other) == "SQLite format 3\u{0}xyz")
    }

    @Test func anExistingFileIsReplacedOnlyAfterAYesAndNoIsTheDefault() throws {
        let scratch = try Scratch()
        let browser = Self.payloadBrowser(scratch)
        let precious = scratch.directory + "/precious.txt"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: precious))
        #expect(chmod(precious, 0o640) == 0)
        Self.save(browser, to: precious)
        let screen = browser.screen.text
        #expect(screen.contains("Replace the file?"))
        #expect(screen.contains("The file exists (9 B):"))
        // Enter on the default answer (No) keeps the file.
        browser.press(.enter)
        #expect(scratch.contents(precious) == "precious\n")
        #expect(Self.status(browser).hasPrefix("Nothing written:"))
        // Esc keeps it too.
        Self.save(browser, to: precious)
        browser.press(.escape)
        #expect(scratch.contents(precious) == "precious\n")
        // Yes replaces it, keeping its permissions; no temporary file is left behind.
        Self.save(browser, to: precious)
        browser.press(.char("y"))
        #expect(scratch.contents(precious)?.contains("\"track_hubs\"") == true)
        var info = stat()
        #expect(stat(precious, &info) == 0 && info.st_mode & 0o777 == 0o640)
        #expect(Self.status(browser).hasPrefix("Wrote "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.directory).sorted() == ["precious.txt", "victim.sqlite3"])
    }

    @Test func aNewFileIsWrittenWithoutAsking() throws {
        let scratch = try Scratch()
        let browser = Self.payloadBrowser(scratch)
        Self.save(browser, to: scratch.directory + "/new.json")
        #expect(browser.state.overlay == nil)
        #expect(scratch.contents(scratch.directory + "/new.json")?.hasSuffix("}\n") == true)
    }

    @Test func anItemDeletedMeanwhileIsNotWritten() throws {
        let scratch = try Scratch()
        let source = Fixture.source()
        let browser = Self.payloadBrowser(scratch, source: source)
        source.remove(uuid: Fixture.uuid(101))
        Self.save(browser, to: scratch.directory + "/gone.json")
        #expect(!FileManager.default.fileExists(atPath: scratch.directory + "/gone.json"))
        #expect(Self.status(browser).contains("the item is gone"))
        // Not to stdout either.
        browser.press(Self.saveKey, .enter)
        #expect(browser.state.stdoutAfterExit == nil)
    }

    @Test func aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws {
        let scratch = try Scratch()
        let target = scratch.directory + "/keep.json"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
        #expect(throws: PayloadFile.Failure.self) {
            try PayloadFile.write(
                Data(repeating: 65, count: 100_000), to: target, storePath: scratch.store, overwrite: true,
                writeAll: { descriptor, buffer in
                    // Half the bytes land, then the disk is full.
                    _ = PayloadFile.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[..<50_000]))
                    errno = ENOSPC
                    return false
                })
        }
        #expect(scratch.contents(target) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.directory).sorted() == ["keep.json", "victim.sqlite3"])
    }

    // MARK: - Item 3: keys while the terminal is too small

    @Test func keysDoNothingWhileTheTerminalIsTooSmall() {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source, width: 30, height: 8)
        #expect(browser.screen.text.hasPrefix("terminal too small"))
        browser.press(.char("D"), .char("y"), .down, .down, .char("D"), .char("y"), .char("x"), .char("y"), .char("d"), .char("y"))
        #expect(source.allItems.count == 7)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.pane == .projects)
        #expect(browser.state.projects.cursor == 0)
        browser.press(.char("q"))
        #expect(browser.state.quitting)
    }

    @Test func shrinkingTheTerminalCancelsAnOpenDialog() {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source)
        ActionTests.alphaItems(browser)
        browser.press(.char("D"))
        #expect(browser.screen.text.contains("Delete 2 items?"))
        browser.send(.resize(width: 30, height: 8))
        #expect(browser.state.overlay == nil)
        browser.press(.char("y"))
        browser.send(.resize(width: 100, height: 20))
        browser.press(.char("y"))
        #expect(source.allItems.count == 7)
        #expect(browser.state.overlay == nil)
    }

    // MARK: - Item 5: marks belong to their list; dialogs say what goes

    @Test func marksAreClearedWhenTheirListIsLeft() {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source)
        ActionTests.alphaItems(browser)
        browser.press(.char(" "), .char(" "))
        #expect(browser.state.marks.count == 2)
        // Back to the apps pane: the same list is still on screen, the marks stay.
        browser.press(.escape)
        #expect(browser.state.marks.count == 2)
        // Another app.
        browser.press(.down)
        #expect(browser.state.marks.isEmpty)
        #expect(Self.status(browser).hasPrefix("2 marks cleared"))
        browser.press(.up, .enter, .char(" "))
        #expect(browser.state.marks.count == 1)
        // Back to a category in the project list.
        browser.press(.escape, .escape, .up)
        #expect(browser.state.marks.isEmpty)
        #expect(Self.status(browser).hasPrefix("1 mark cleared"))
        browser.press(.char("d"))
        #expect(!browser.screen.text.contains("marked"))
        #expect(source.allItems.count == 7)
    }

    @Test func deleteDialogsNameTheProjectTheAppAndUpToFiveItems() {
        let project = Project(uuid: Fixture.uuid(9), title: "Liver Cohort")
        let items = (0..<8).map { i in
            CacheItem(
                uuid: Fixture.uuid(200 + i), project: project.uuid, appName: "samplesheets", name: "sheet/\(i)", user: nil,
                data: Data("{}".utf8), dateModified: Fixture.now)
        }
        let source = FakeSource(projects: [project], items: items)
        let (browser, _) = ActionTests.browser(source: source, width: 100, height: 30)
        browser.press(.enter, .enter)
        for _ in 0..<7 { browser.press(.char(" ")) }
        browser.press(.char("d"))
        var text = browser.screen.text
        #expect(text.contains("Delete 7 items?"))
        #expect(text.contains("Project: Liver Cohort"))
        #expect(text.contains("App: samplesheets"))
        for i in 0..<5 { #expect(text.contains("  sheet/\(i) ")) }
        #expect(!text.contains("sheet/5 "))
        #expect(text.contains("and 2 more"))
        browser.press(.escape)
        // D names them too (the first five of the app).
        browser.press(.char("U"), .char("D"))
        text = browser.screen.text
        #expect(text.contains("Delete 8 items?"))
        #expect(text.contains("Project: Liver Cohort"))
        #expect(text.contains("App: samplesheets"))
        #expect(text.contains("and 3 more"))
        browser.press(.escape)
        // One item: the item itself.
        browser.press(.char("d"))
        text = browser.screen.text
        #expect(text.contains("Delete 1 item?"))
        #expect(text.contains("Item:"))
        #expect(!text.contains("more"))
    }
}
