import Foundation
import Testing
@testable import SodarCacheSync

/// Inputs libFuzzer found (`fuzz/run.sh config`, `fuzz/run.sh arguments`), kept as regression tests.
@Suite struct FuzzFindingsTests {
    /// TOMLKit's toml++ (the C++ reader before `TOMLReader`) aborted the process, a failed
    /// assertion, on a table header whose first key starts with neither a bare-key character
    /// nor a quote: a half-typed `[`, a third bracket, a non-ASCII letter, a replacement
    /// character from a damaged file.
    @Test(arguments: [
        ("[", 1, 2), ("[\na]\n", 1, 2), ("[[[a]]]\n", 1, 3), ("[[ [a]]]\n", 1, 4), ("[=]\n", 1, 2), ("[.a]\n", 1, 2),
        ("[é]\n", 1, 2), ("[apps.a]\ntitle = \"A\"\n\n[\u{FFFD}\ntimeout = \"soon\"\n", 4, 2), ("  [ é ]\n", 1, 5),
    ])
    func badTableHeaderIsASyntaxErrorWithItsLine(text: String, line: Int, column: Int) throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        #expect(error == .configSyntax(file: "c.toml", line: line, column: column, key: nil, message: (error.configMessage ?? "")))
        #expect(error.configMessage?.contains("expected a table name after '['") == true)
    }

    /// toml++ also aborted on a `}` where an array expects a value.
    @Test(arguments: [
        ("x = [}]\n", 1, 6, "x"), ("[apps.x]\nkommanZd = [\"/bin/sh\", \"-c\",}\"]\n", 2, 29, "apps.x.kommanZd"),
        ("x = [\n  # c\n}]\n", 3, 1, "x"), ("x = [[}]]\n", 1, 7, "x"),
    ])
    func closingBraceInAnArrayIsASyntaxError(text: String, line: Int, column: Int, key: String) throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        #expect(error == .configSyntax(
            file: "c.toml", line: line, column: column, key: key, message: "expected a value or ']' in the array, found '}'"))
    }

    /// toml++ aborted (release builds too) in `parse_time` on a date whose time part does not
    /// start `HH:MM`: issue 19's `1979-05-27T%07:30:00`, and the fuzzer's `T)07` inside an array.
    @Test(arguments: [
        ("[apps.x]\nitem = 1979-05-27T%07:30:00\n", 2, 19, "apps.x.item", "'%'"),
        ("x = [\"a\", 1979-05-27T)07:32:\"e\"]\n", 1, 22, "x", "')'"), ("x = 1979-05-27t07-30\n", 1, 18, "x", "'-'"),
    ])
    func aMalformedTimeAfterADateIsASyntaxError(text: String, line: Int, column: Int, key: String, found: String) throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        #expect(error == .configSyntax(
            file: "c.toml", line: line, column: column, key: key,
            message: "expected a time (HH:MM:SS) after the date's 'T', found \(found)"))
    }

    @Test func wellFormedDatesAndTimesStillParse() throws {
        let text = "[browser]\n# 1979-05-27T%07\n[apps.x]\ntitle = \"1979-05-27T)07\"\n"
        _ = try SodarConfig.parse(text, file: "c.toml")
        for value in ["1979-05-27T07:32:00Z", "1979-05-27 07:32:00", "1979-05-27", "[1979-05-27, 1979-05-27t07:32:00.5]"] {
            // Valid TOML: whatever the config then says of the key, it is not the preflight's error.
            do { _ = try SodarConfig.parse("[apps.x]\ntitle = \"a\"\nitem = \(value)\n", file: "c.toml") } catch let error as SyncError {
                #expect(!(error.configMessage ?? "").contains("expected a time"), "\(value): \(error)")
            }
        }
    }

    @Test func nonASCIIOutsideAStringIsASyntaxErrorWithItsLine() throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse("[apps.a]\ntitle = é\n", file: "c.toml") }
        guard case .configSyntax(_, let line, let column, let key, let message) = error else {
            Issue.record("not a syntax error: \(error)")
            return
        }
        #expect(line == 2 && column == 9 && key == "apps.a.title" && message.contains("outside a string"))
    }

    /// toml++ aborted (a failed assertion in parse_time) on a date-time whose time does not
    /// start with digits; valid date-times still parse.
    @Test(arguments: [
        ("[apps.sodar]\ncomd = 1980-05-27T-27T07:cat_uuid\n", 2, 19, "apps.sodar.comd"), ("x = 1979-05-27T%07:30:00\n", 1, 16, "x"),
        ("x = [1979-05-27T07:3]\n", 1, 21, "x"), ("x = 1979-05-27T07:30:x\n", 1, 22, "x"),
    ])
    func aDateTimeWithoutItsTimeIsASyntaxError(text: String, line: Int, column: Int, key: String) throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        guard case .configSyntax("c.toml", line, column, key, let message) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(message.hasPrefix("expected a time (HH:MM:SS) after the date's 'T', found "))
        let valid = try TOMLDocument(parsing: "x = 1979-05-27T07:32:00Z\ny = 1979-05-27t07:32:00.5-07:00\nz = 1979-05-27\nw = \"1979-05-27T\"\n")
        #expect(valid.root.keys == ["x", "y", "z", "w"])
    }

    /// An empty quoted key (`[""]`) was named by nothing in the error; issue 19's finding is
    /// `[""]` and two line breaks.
    @Test(arguments: [("[apps]\n[\"\"]\n", 2), ("[\"\"]\n\n", 1), ("['']\n\n", 1), ("\"\" = 1\n", 1)])
    func anEmptyKeyIsNamedAsQuotes(text: String, line: Int) throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        #expect(error == .configValue(
            file: "c.toml", line: line, key: "\"\"",
            message: "unknown key (expected [apps.NAME] tables, [project_paths], [postgres], [browser], [trash], [history], [doctor] and [profiles.NAME] tables)"))
    }

    /// A quoted key's own spaces were trimmed by the key finder (`[" =;x"]`): TOMLKit keeps
    /// them, so the key was not found and the error had no line.
    @Test func aQuotedKeyWithSpacesAtItsEndsHasItsLine() throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse("\n[\" =;x \"]\n", file: "c.toml") }
        #expect(error.description.hasPrefix("c.toml:2: \" =;x \": unknown key"))
        let document = try TOMLDocument(parsing: #"apps . " a.b " . 'c' = 1"#)
        #expect(document["apps"]?.table?[" a.b "]?.table?["c"] == .integer(1))
    }

    /// A CR LF line end was not a line end to the key finder (one Character in Swift): the
    /// header after it was never seen, and the error had no line.
    @Test func aHeaderAfterACRLFLineEndHasItsLine() throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse("\r\n[a.a]\nx = 1\n", file: "c.toml") }
        #expect(error.description == "c.toml:2: a: unknown key (expected [apps.NAME] tables, [project_paths], [postgres], [browser], [trash], [history], [doctor] and [profiles.NAME] tables)")
        let value = try #require(throws: SyncError.self) {
            try SodarConfig.parse("[apps.a]\r\ncommand = [\"x\"]\r\ntimeout = \"soon\"\r\n", file: "c.toml")
        }
        #expect(value.description.hasPrefix("c.toml:3: apps.a.timeout:"))
    }

    /// `[axsp.p]` makes a table `axsp` no line names by itself: the error had no line.
    @Test func aTableOnlyImpliedByADottedHeaderHasTheHeadersLine() throws {
        let text = "# site apps\n\n[axsp.p]\ncommand = [\"/bin/sh\"]\n"
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        guard case .configValue(_, let line, let key, _) = error else {
            Issue.record("not a value error: \(error)")
            return
        }
        #expect(key == "axsp" && line == 3)
    }

    @Test func anEmptyTableNameIsNamedQuoted() throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse("['']\n\n", file: "c.toml") }
        guard case .configValue(_, let line, let key, _) = error else { Issue.record("\(error)"); return }
        #expect(key == "\"\"" && line == 1)
    }

    /// A quoted key holding `]` (`['apps.x~]…']`), or escapes (`"\u0041"`): the error had no line.
    @Test(arguments: [
        ("# c\n['apps.x~]0n:command = x}']\n", "\"apps.x~]0n:command = x}\"", 2),
        ("\n\n[\"\\u0041pps\"]\nx = 1\n", "Apps", 3),
        ("[apps.a]\ntitle = \"A\"\n\"t\\tx\" = 1\n", "apps.a.\"t\\tx\"", 3),
    ])
    func quotedKeysKeepTheirLine(text: String, key: String, line: Int) throws {
        // Keys that are not bare are named quoted, as TOML writes them (the fuzzer's `['']`: an
        // error without a key otherwise).
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        guard case .configValue(_, let found, let named, _) = error else {
            Issue.record("not a value error: \(error)")
            return
        }
        #expect(named == key && found == line)
    }

    @Test func arraysOfTablesAndArraysSpanningLinesAreFine() throws {
        let text = "[apps.a]\ncommand = [\n  \"/bin/x\",\n  \"[y]\", # }\n]\nenv = { A = \"}\", B = \"x\" }\n[apps.'b']\ntitle = \"B\"\n"
        #expect(try SodarConfig.parse(text, file: "c.toml").apps.map(\.name) == ["a", "b"])
    }

    @Test func nonASCIIInStringsCommentsAndQuotedKeysIsFine() throws {
        let text = """
            # Café config, 東京
            [apps."ssheets.é"]   # a comment with 🧬
            title = "Sample sheets \\"é\\" 東京"
            command = ['/opt/bin/x', "--name=é", '''multi
            é line''', \"\"\"more
            \\
              东京 \\"\"\" still\"\"\"]
            """
        let config = try SodarConfig.parse(text, file: "c.toml")
        #expect(config.apps.map(\.name) == ["ssheets.é"])
        #expect(config.apps.first?.command?.count == 4)
    }

    /// Foundation reads some malformed UUID text as another UUID: an import must refuse it.
    @Test func importRefusesAMalformedUUID() throws {
        let text = #"[{"sodar_uuid": "3f0e6c1a-1b2c-4d5e-8f90-12345670-123", "title": "A"}]"#
        #expect(throws: SyncError.self) { try ProjectImport.parse(Data(text.utf8), file: "p.json") }
    }
}

extension SyncError {
    /// The message of a config syntax error.
    var configMessage: String? {
        if case .configSyntax(_, _, _, _, let message) = self { return message }
        return nil
    }
}
