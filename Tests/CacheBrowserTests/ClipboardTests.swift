import CacheBrowser
import CacheBrowserRuntime
import CursesTerminal
import Foundation
import JSONKit
import SodarCache
import Testing

/// Issue 10, item 2: `y` copies the value at the cursor, `Y` its path, through OSC 52.
@Suite struct ClipboardTests {
    /// A payload written with spaces everywhere JSON allows them, and inside strings too.
    static let spacious = #"""
        { "study" : { "title" : "Tumour \"A\" , { x }" ,
          "top_header" : [ { "name" : "Source Name" , "cols" : [ 1 , 2.50 , null ] } , [ ] , { } ] ,
          "\#u{202E}k" : true } }
        """#

    /// The payload of a site-wide item holding `json`, open at its first line.
    static func open(_ json: String, clipboard: Bool = true, width: Int = 100, height: Int = 30) -> ScriptedBrowser {
        let item = CacheItem(
            uuid: Fixture.uuid(900), project: nil, appName: "samplesheets", name: "sheet", user: nil,
            data: Data(json.utf8), dateModified: Fixture.now)
        let browser = ScriptedBrowser(
            source: FakeSource(projects: [], items: [item]),
            options: BrowserOptions(storePath: "/srv/cache.db", clipboard: clipboard), now: Fixture.now, width: width,
            height: height, timeZone: Fixture.utc, buildDocument: Fixture.builder)
        browser.press(.enter, .enter, .enter)
        #expect(browser.state.pane == .payload)
        #expect(browser.state.payload?.document != nil)
        return browser
    }

    /// Moves the cursor down to the first line showing `text` (`exactly`: nothing else).
    static func moveTo(
        _ browser: ScriptedBrowser, _ text: String, exactly: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let document = browser.state.payload?.document else { return }
        let target = (0..<document.lineCount).first { line in
            let shown = document.payloadLine(line).segments.map(\.text).joined()
            return exactly ? shown == text : shown.contains(text)
        }
        #expect(target != nil, "no line shows \(text)", sourceLocation: sourceLocation)
        while let cursor = browser.state.payload?.cursor, let target, cursor < target { browser.press(.down) }
    }

    static func status(_ browser: ScriptedBrowser) -> String {
        row(browser.screen, browser.state.layout.statusRow)
    }

    static func copied(_ browser: ScriptedBrowser) -> [String] {
        browser.clipboard.map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: - y

    @Test func yOnAStringCopiesItAsJSONWithItsQuotesAndEscapes() {
        let browser = Self.open(Self.spacious)
        Self.moveTo(browser, "\"title\"")
        browser.press(.char("y"))
        #expect(Self.copied(browser) == [#""Tumour \"A\" , { x }""#])
        #expect(Self.status(browser) == "Copied value of .study.title (22 bytes)")
    }

    @Test func yOnANumberOrLiteralCopiesItsJSONText() {
        let browser = Self.open(Self.spacious)
        Self.moveTo(browser, "2.50")
        browser.press(.char("y"))
        Self.moveTo(browser, "null")
        browser.press(.char("y"))
        #expect(Self.copied(browser) == ["2.50", "null"])
        #expect(Self.status(browser) == "Copied value of .study.top_header[0].cols[2] (4 bytes)")
    }

    @Test func yOnAContainerCopiesCompactJSONKeepingSpacesInsideStrings() {
        let browser = Self.open(Self.spacious)
        Self.moveTo(browser, "\"top_header\"")
        browser.press(.char("y"))
        let expected = #"[{"name":"Source Name","cols":[1,2.50,null]},[],{}]"#
        #expect(Self.copied(browser) == [expected])
        #expect(Self.status(browser) == "Copied value of .study.top_header (\(expected.utf8.count) bytes)")
        // Its closing bracket's line stands for the same array; a folded one too.
        Self.moveTo(browser, "],", exactly: true)
        #expect(Self.status(browser) == ".study.top_header")
        browser.press(.char("y"))
        browser.press(.char("g"), .down, .down, .down, .enter, .char("y"))
        #expect(browser.state.payload?.isFolded(3) == true)
        #expect(Self.copied(browser) == [expected, expected, expected])
    }

    @Test func yOnAnEmptyContainerAndOnTheRootCopyThem() {
        let browser = Self.open(Self.spacious)
        Self.moveTo(browser, "[],", exactly: true)
        browser.press(.char("y"))
        browser.press(.char("g"), .char("y"))
        #expect(Self.copied(browser).first == "[]")
        #expect(Self.copied(browser).last == (try? String(decoding: JSON.compact(Data(Self.spacious.utf8)), as: UTF8.self)))
        #expect(Self.status(browser).hasPrefix("Copied the whole payload ("))
    }

    @Test func yOnATopLevelScalarCopiesIt() {
        let browser = Self.open(#"  "just text"  "#)
        browser.press(.char("y"))
        #expect(Self.copied(browser) == [#""just text""#])
    }

    // MARK: - Y

    @Test func capitalYCopiesThePathAsTheStatusLineShowsIt() {
        let browser = Self.open(Self.spacious)
        Self.moveTo(browser, "\"Source Name\"")
        #expect(Self.status(browser) == ".study.top_header[0].name")
        browser.press(.char("Y"))
        #expect(Self.copied(browser) == [".study.top_header[0].name"])
        #expect(Self.status(browser) == "Copied path .study.top_header[0].name (25 bytes)")
    }

    @Test func aPathWithAnUnsafeCharacterIsCopiedAndShownEscaped() {
        let browser = Self.open(Self.spacious)
        Self.moveTo(browser, "true")
        let shown = #".study["\u202ek"]"#
        #expect(Self.status(browser) == shown)
        browser.press(.char("Y"))
        #expect(Self.copied(browser) == [shown])
        #expect(Self.status(browser) == "Copied path \(shown) (\(shown.utf8.count) bytes)")
        #expect(!Self.status(browser).unicodeScalars.contains { Display.isUnsafe($0) })
    }

    // MARK: - Limits and settings

    @Test func aValueOverTheLimitIsNotCopiedAndESaveIsOffered() {
        let element = #""/sodarZone/projects/00/a-rather-long-irods-path/file.fastq.gz""#
        let count = BrowserState.clipboardLimit / element.utf8.count + 1
        let json = "{\"files\": [" + Array(repeating: element, count: count).joined(separator: ", ") + "], \"n\": 1}"
        let browser = Self.open(json)
        browser.press(.down, .char("y"))
        #expect(browser.clipboard.isEmpty)
        let size = element.utf8.count * count + (count - 1) + 2
        #expect(size > BrowserState.clipboardLimit)
        #expect(
            Self.status(browser)
                == "Value is \(BrowserFormat.size(size)): too large for the clipboard (limit 100.0 KiB); e writes the item to a file")
        #expect(browser.state.message?.isError == true)
        // Just over the limit, the size is exact rather than the limit's rounded one.
        let justOver = Self.open("{\"s\": \"" + String(repeating: "x", count: BrowserState.clipboardLimit - 1) + "\"}")
        justOver.press(.down, .char("y"))
        #expect(Self.status(justOver).hasPrefix("Value is 102,401 bytes: too large for the clipboard (limit 100.0 KiB)"))
        #expect(justOver.clipboard.isEmpty)
        // A small value of the same payload still copies.
        browser.press(.char("G"), .up, .char("y"))
        #expect(Self.copied(browser) == ["1"])
    }

    @Test func theLimitCountsTheCompactFormNotTheSpacesOfThePayload() {
        // 120 KiB of indentation around 50 KiB of values: the compact array fits.
        let element = "\n" + String(repeating: " ", count: 60) + "\"abcdefghijklmnopqrstuvw\""
        let count = 50 * 1024 / 25
        let json = "[" + Array(repeating: element, count: count).joined(separator: ",") + "\n]"
        #expect(json.utf8.count > BrowserState.clipboardLimit)
        let browser = Self.open(json)
        browser.press(.char("y"))
        #expect(browser.clipboard.first?.count == count * 25 + count - 1 + 2)
    }

    @Test func withTheClipboardOffNothingIsSentAndESaveIsOffered() {
        let browser = Self.open(Self.spacious, clipboard: false)
        browser.press(.down, .char("y"))
        let off = "The clipboard is off (--no-clipboard or [browser] clipboard = false); e writes the item to a file"
        #expect(Self.status(browser) == off)
        browser.press(.char("Y"))
        #expect(Self.status(browser) == off)
        #expect(browser.clipboard.isEmpty)
    }

    @Test func nothingIsCopiedFromAPayloadThatIsNotShown() {
        let browser = Self.open("{}")
        var state = browser.state
        state.payload?.document = nil
        state.payload?.failure = "Invalid JSON"
        #expect(state.update(.key(.char("y"))).isEmpty)
        #expect(state.message?.text == "Nothing to copy: the payload is not shown (e writes the item to a file)")
    }

    // MARK: - Keys, help and hints

    @Test func eOpensTheSaveDialogAndHelpAndHintsNameTheNewKeys() {
        let browser = Self.open(Self.spacious)
        #expect(row(browser.screen, 29).hasSuffix("q quit  y copy  w wrap  e save"))
        browser.press(.char("e"))
        #expect(Self.status(browser) == "Write JSON to file (empty: stdout after exit): █")
        browser.press(.escape)
        let help = BrowserView.helpLines(.standard)
        func line(_ key: String) -> String? {
            help.first { $0.hasPrefix("  \(key) ") }?.split(separator: " ", maxSplits: 1).last.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(line("y") == "copy the value at the cursor as JSON (clipboard, OSC 52)")
        #expect(line("Y") == "copy the path of the value at the cursor")
        #expect(line("e") == "write the item's JSON to a file (empty: stdout after exit)")
        // y/Y answer a confirmation's question before they copy anything.
        #expect(KeyMap.standard.intent(for: .char("y"), in: .lists) == nil)
    }

    // MARK: - OSC 52

    @Test func theOSC52SequenceCarriesTheTextAsBase64() {
        #expect(OSC52.sequence(for: Data("hi\u{1B}".utf8)) == Data("\u{1B}]52;c;aGkb\u{07}".utf8))
        let text = Data(#"{"k":"\u001b]0;pwned\u0007"}"#.utf8) + Data([0x1B, 0x07, 0x9C])
        let sequence = OSC52.sequence(for: text)
        // Only the frame itself has control bytes: the payload cannot end it or start another.
        #expect(sequence.filter { $0 < 0x20 || $0 >= 0x7F } == Data([0x1B, 0x07]))
        let body = sequence.dropFirst(7).dropLast()
        #expect(Data(base64Encoded: Data(body)) == text)
    }
}
