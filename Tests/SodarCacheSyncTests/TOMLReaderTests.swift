import JSONKit
import Testing

@testable import SodarCacheSync

/// The config's TOML reader against TOML 1.0, case by case: the kinds of document the official
/// toml-test suite (github.com/toml-lang/toml-test, its 1.0.0 list) holds, written here as a
/// table of inputs and expected values. Each document is rendered in one compact form (tables
/// in file order, strings JSON-quoted) so that one string states the whole expected result.
@Suite("TOML reader")
struct TOMLReaderTests {
    // MARK: - Valid documents

    @Test(arguments: [
        // Strings: basic, literal, escapes, Unicode escapes, multi-line forms.
        (#"s = "a \"b\" \\ \b\t\n\f\r \u00e9 \U0001F600""#, #"{s="a \"b\" \\ \u0008\t\n\u000c\r é 😀"}"#),
        (#"s = 'C:\Users\x "as is"'"#, #"{s="C:\\Users\\x \"as is\""}"#),
        (#"s = "|\u007F.|\u001F.""#, #"{s="|\u007f.|\u001f."}"#),
        ("s = \"\"\"\nline 1\nline 2\"\"\"", #"{s="line 1\nline 2"}"#),
        ("s = \"\"\"\r\nwindows\r\nlines\"\"\"", #"{s="windows\nlines"}"#),
        ("s = \"\"\"a \\\n    b \\\n\n   c\"\"\"", #"{s="a b c"}"#),
        ("s = \"\"\"a \\   \n  b\"\"\"", #"{s="a b"}"#),
        (#"s = """"one quote"""""#, #"{s="\"one quote\""}"#),
        (#"s = """""two quotes""""""#, #"{s="\"\"two quotes\"\""}"#),
        (#"s = """lol\"""""""#, #"{s="lol\"\"\""}"#),
        ("s = '''\nraw \\n '' ok'''", #"{s="raw \\n '' ok"}"#),
        (#"s = '''''two'''''"#, #"{s="''two''"}"#),
        (#"s = """aaa'''bbb""""#, #"{s="aaa'''bbb"}"#),
        ("s = \"tab\there\"", #"{s="tab\there"}"#),
        (#"s = """#, #"{s=""}"#),
        (#"s = 'é 東京 🧬'"#, #"{s="é 東京 🧬"}"#),
        // Integers.
        ("i = [0, +0, -0, 42, -17, 1_000, 5_349_221, 1_2_3]", "{i=[0,0,0,42,-17,1000,5349221,123]}"),
        ("i = [0xDEADBEEF, 0xdead_beef, 0x00ff, 0o755, 0o0_7, 0b1101_0110, 0b0]", "{i=[3735928559,3735928559,255,493,7,214,0]}"),
        ("i = [9223372036854775807, -9223372036854775808, 0x7FFFFFFFFFFFFFFF]", "{i=[9223372036854775807,-9223372036854775808,9223372036854775807]}"),
        // Floats.
        ("f = [1.0, +1.5, -0.01, 3.1415, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, 1e1_0]",
         "{f=[1.0,1.5,-0.01,3.1415,5e+22,1000000.0,-0.02,6.626e-34,224617.445991,10000000000.0]}"),
        ("f = [0.0, -0.0, +0.0, 0e0, 0.1e-0_1]", "{f=[0.0,-0.0,0.0,0.0,0.01]}"),
        ("f = [inf, +inf, -inf, nan, +nan, -nan]", "{f=[inf,inf,-inf,nan,nan,nan]}"),
        // Booleans.
        ("t = true\nf = false", "{t=true,f=false}"),
        // Dates and times, offset and local, `T`, `t` or a space, fractions.
        ("d = 1979-05-27T07:32:00Z", "{d=1979-05-27T07:32:00Z}"),
        ("d = 1979-05-27t07:32:00z", "{d=1979-05-27T07:32:00Z}"),
        ("d = 1979-05-27 00:32:00.999999-07:00", "{d=1979-05-27T00:32:00.999999-07:00}"),
        ("d = 1979-05-27T00:32:00+05:30", "{d=1979-05-27T00:32:00+05:30}"),
        ("d = 1979-05-27T07:32:00", "{d=1979-05-27T07:32:00}"),
        ("d = 1979-05-27T00:32:00.5", "{d=1979-05-27T00:32:00.5}"),
        ("d = 1979-05-27", "{d=1979-05-27}"),
        ("d = 07:32:00\ne = 00:32:00.999999", "{d=07:32:00,e=00:32:00.999999}"),
        ("d = [2000-02-29, 2024-02-29, 1990-12-31T23:59:60Z, 0001-01-01]", "{d=[2000-02-29,2024-02-29,1990-12-31T23:59:60Z,0001-01-01]}"),
        ("d = 1979-05-27 # a date, then a comment", "{d=1979-05-27}"),
        // Arrays: mixed kinds, nested, over lines with comments, a trailing comma.
        ("a = [1, \"two\", 3.0, [4, [5]], {x = 6}]", #"{a=[1,"two",3.0,[4,[5]],{x=6}]}"#),
        ("a = [\n  1, # one\n  2,\n  # nothing\n]", "{a=[1,2]}"),
        ("a = []\nb = [ ]\nc = [\n]", "{a=[],b=[],c=[]}"),
        ("a = [[],[[]],[[],[]]]", "{a=[[],[[]],[[],[]]]}"),
        // Inline tables, dotted keys inside them.
        ("t = {}\nu = { x = 1, y.z = 2, y.w = 3 }", "{t={},u={x=1,y={z=2,w=3}}}"),
        ("p = { name = { first = \"Tom\" }, tags = [\"a\"] }", #"{p={name={first="Tom"},tags=["a"]}}"#),
        // Keys: bare, quoted, empty, dotted with blanks, numbers and words as keys.
        ("A-z_09 = 1\n\"ʎǝʞ\" = 2\n'quoted \"value\"' = 3\n\"\" = 4", #"{A-z_09=1,"ʎǝʞ"=2,"quoted \"value\""=3,""=4}"#),
        ("a . b . 'c' = 1\na.\"b.c\" = 2", #"{a={b={c=1},"b.c"=2}}"#),
        ("3.14159 = \"pi\"\n1 = 2\ntrue = false\ninf = 1", #"{3={14159="pi"},1=2,true=false,inf=1}"#),
        (#""\n" = 1"#, #"{"\n"=1}"#),
        ("site.\"google.com\" = true", #"{site={"google.com"=true}}"#),
        ("a=1\nb =2\nc= 3", "{a=1,b=2,c=3}"),
        // Tables: headers, implied super-tables defined afterwards, arrays of tables.
        ("[a]\nx = 1\n[b.c]\ny = 2", "{a={x=1},b={c={y=2}}}"),
        ("[x.y.z.w]\n[x]\nk = 1", "{x={y={z={w={}}},k=1}}"),
        ("[ a . \"b\" ]\n[ 'c' ]", #"{a={b={}},c={}}"#),
        ("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
         #"{fruit={apple={color="red",taste={sweet=true},texture={smooth=true}}}}"#),
        ("[[p]]\nn = 1\n[[p]]\n[[p]]\nn = 3", "{p=[{n=1},{},{n=3}]}"),
        ("[[fruit]]\nname = \"apple\"\n[fruit.physical]\ncolor = \"red\"\n[[fruit.variety]]\nname = \"red\"\n[[fruit]]\nname = \"banana\"",
         #"{fruit=[{name="apple",physical={color="red"},variety=[{name="red"}]},{name="banana"}]}"#),
        ("[[a.b]]\nx = 1\n[a]\ny = 2", "{a={b=[{x=1}],y=2}}"),
        ("[\"\"]\nx = 1\n[[\"\".'']]", #"{""={x=1,""=[{}]}}"#),
        // Blank documents, comments, CR LF, a byte order mark, no final line break.
        ("", "{}"),
        (" \t\n\r\n# only a comment\n", "{}"),
        ("a = 1\r\nb = 2\r\n", "{a=1,b=2}"),
        ("\u{FEFF}a = 1", "{a=1}"),
        ("# comment with 🧬 and \t tab\na = \"#not\" # but this one", ##"{a="#not"}"##),
    ] as [(String, String)])
    func validDocument(_ text: String, _ expected: String) throws {
        let document = try TOMLDocument(parsing: text)
        #expect(Self.render(.table(document.root)) == expected)
    }

    /// A dotted key may not add to a table a header made, even one it only implied (the suite's
    /// `append-with-dotted-keys` cases).
    @Test func dottedKeysDoNotReachIntoATableWithAHeader() {
        let error = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: "[a.b.c]\nz = 1\n[a]\nb.d = 2") }
        #expect(error?.line == 4 && error?.key == ["a", "b"])
    }

    // MARK: - Lines of keys

    @Test func everyKeyHasTheLineThatDefinesIt() throws {
        let text = """
            top = 1
            [apps.a]
            title = "A"
            env = { X = "1" }
            command = [
              "x",
            ]
            timeout = 5

            [apps."b.c"]
            sub.key = true
            [[list]]
            [[list]]
            n = 2
            """
        let document = try TOMLDocument(parsing: text)
        #expect(document.line(of: ["top"]) == 1)
        #expect(document.line(of: ["apps"]) == 2)
        #expect(document.line(of: ["apps", "a"]) == 2)
        #expect(document.line(of: ["apps", "a", "env", "X"]) == 4)
        #expect(document.line(of: ["apps", "a", "command"]) == 5)
        #expect(document.line(of: ["apps", "a", "timeout"]) == 8)
        #expect(document.line(of: ["apps", "b.c"]) == 10)
        #expect(document.line(of: ["apps", "b.c", "sub"]) == 11)
        #expect(document.line(of: ["apps", "b.c", "sub", "key"]) == 11)
        #expect(document.line(of: ["list"]) == 12)
        // A missing key: its nearest table's line.
        #expect(document.line(of: ["apps", "a", "missing"]) == 2)
        #expect(document.line(of: ["nothing"]) == nil)
        #expect(document.root.keys == ["top", "apps", "list"])
    }

    @Test func aTableDefinedAfterADeeperHeaderHasItsOwnHeadersLine() throws {
        let document = try TOMLDocument(parsing: "[a.b]\n\n[a]\nx = 1\n")
        #expect(document.line(of: ["a"]) == 3)
        #expect(document.line(of: ["a", "b"]) == 1)
    }

    // MARK: - Invalid documents

    /// Every malformed document is one error, on one line, naming the line, the column and
    /// (where there is one) the key; never a crash.
    @Test(arguments: [
        // Keys defined twice, tables redefined, arrays and inline tables extended.
        ("a = 1\na = 2", 2, 1, "a", "defined twice (first on line 1)"),
        ("a = 1\n\"a\" = 2", 2, 1, "a", "defined twice"),
        ("a.b = 1\na.b = 2", 2, 1, "a.b", "defined twice"),
        ("a = 1\na.b = 2", 2, 1, "a", "an integer (line 1), not a table"),
        ("[a]\nx = 1\n[a]", 3, 1, "a", "a table defined twice (first on line 1)"),
        ("[a]\nb = 1\n[a.b]", 3, 1, "a.b", "an integer (line 2), not a table"),
        ("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 1, "fruit.apple", "a table defined by dotted keys (line 2)"),
        ("[a.b.c]\n[a]\nb.c.t = 1", 3, 1, "a.b", "a table with its own header"),
        ("a = [1]\n[[a]]", 2, 1, "a", "an array (line 1), not an array of tables"),
        ("[[a]]\n[a]", 2, 1, "a", "an array of tables (line 1), not a table"),
        ("[a]\n[[a]]", 2, 1, "a", "a table (line 1), not an array of tables"),
        ("a = {x = 1}\na.y = 2", 2, 1, "a", "an inline table (line 1), not a table"),
        ("a = {x = 1}\n[a.b]", 2, 1, "a", "an inline table (line 1), not a table"),
        ("a = {x = 1, x = 2}", 1, 13, "a.x", "defined twice"),
        ("a = {b = {c = 1}, b.d = 2}", 1, 19, "a.b", "an inline table (line 1), not a table"),
        // Escapes and strings.
        (#"s = "\x41""#, 1, 6, "s", #"an unknown escape: \x"#),
        (#"s = "\e""#, 1, 6, "s", #"an unknown escape: \e"#),
        (#"s = "\uD800""#, 1, 6, "s", #"\uD800 is not a Unicode scalar value"#),
        (#"s = "\U00110000""#, 1, 6, "s", "is not a Unicode scalar value"),
        (#"s = "\u12""#, 1, 10, "s", "expected 4 hexadecimal digits"),
        ("s = \"no end\nt = 1", 1, 12, "s", "expected '\"' to close the string on its line"),
        ("s = 'no end", 1, 5, "s", "a string opened here is not closed"),
        ("s = \"\"\"never closed\n", 1, 5, "s", "a multi-line string opened here is not closed"),
        ("s = \"\"\"a\"\"\"\"\"\"", 1, 14, "s", "6 quotes in a row"),
        ("s = \"\"\"a \\ b\"\"\"", 1, 10, "s", "an unknown escape"),
        ("s = \"bell\u{7}\"", 1, 10, "s", #"control character \u0007 in a string"#),
        ("s = 'del\u{7F}'", 1, 9, "s", #"control character \u007f in a string"#),
        ("s = \"\"\"a\rb\"\"\"", 1, 9, "s", "a carriage return without a line feed"),
        ("\"\"\"k\"\"\" = 1", 1, 1, nil, "found a multi-line string (a key is one line)"),
        // Dates and times.
        ("d = 1979-13-01", 1, 10, "d", "month 13 does not exist"),
        ("d = 1979-02-29", 1, 13, "d", "day 29 does not exist in month 2 of 1979"),
        ("d = 1900-02-29", 1, 13, "d", "day 29 does not exist"),
        ("d = 1979-04-31", 1, 13, "d", "day 31 does not exist"),
        ("d = 1979-05-27T24:00:00", 1, 16, "d", "hour 24 does not exist"),
        ("d = 1979-05-27T07:60:00", 1, 19, "d", "minute 60 does not exist"),
        ("d = 1979-05-27T07:32:61", 1, 22, "d", "second 61 does not exist"),
        ("d = 1979-05-27T07:32", 1, 21, "d", "expected a time (HH:MM:SS) after the date's 'T'"),
        ("d = 07:32", 1, 10, "d", "expected a time (HH:MM:SS)"),
        ("d = 1979-05-27T07:32:00.", 1, 25, "d", "expected a digit after the seconds' '.'"),
        ("d = 1979-05-27T07:32:00+7:00", 1, 26, "d", "expected an offset (+HH:MM or -HH:MM)"),
        ("d = 1979-05-27T07:32:00+24:00", 1, 24, "d", "offset +24:00 out of range"),
        ("d = 1979-5-27", 1, 11, "d", "expected a two-digit month"),
        ("d = 1979-05-27X07:32:00", 1, 15, "d", "expected 'T' and a time after the date"),
        ("d = 07:32:00Z", 1, 13, "d", "expected the end of the date-time"),
        ("d = 1979-05-27T07:32:00Zx", 1, 25, "d", "expected the end of the date-time"),
        // Numbers.
        ("n = 01", 1, 5, "n", "a leading zero in a number"),
        ("n = -007.5", 1, 6, "n", "a leading zero in a number"),
        ("n = 1__0", 1, 6, "n", "a '_' in a number must stand between two digits"),
        ("n = 10_", 1, 7, "n", "a '_' in a number must stand between two digits"),
        ("n = _10", 1, 5, "n", "expected a value, found '_'"),
        ("n = 0x", 1, 7, "n", "expected a digit"),
        ("n = 0X1F", 1, 6, "n", "expected a digit, found 'X'"),
        ("n = -0x1F", 1, 5, "n", "a hexadecimal integer cannot have a sign"),
        ("n = 0o8", 1, 7, "n", "expected a digit, found '8'"),
        ("n = 0b102", 1, 9, "n", "expected a binary digit, found '2'"),
        ("n = 9223372036854775808", 1, 5, "n", "an integer out of the 64-bit range"),
        ("n = 0x1_0000_0000_0000_0000", 1, 5, "n", "an integer out of the 64-bit range"),
        ("n = 1e400", 1, 5, "n", "a float out of the 64-bit range"),
        ("n = 1.", 1, 7, "n", "expected a digit after '.'"),
        ("n = .5", 1, 5, "n", "expected a digit, found '.'"),
        ("n = 1e", 1, 7, "n", "expected a digit after the exponent's 'e'"),
        ("n = 1.5.2", 1, 8, "n", "expected a digit, found '.'"),
        ("n = Inf", 1, 5, "n", "expected a value, found 'I' (text must be quoted)"),
        ("n = 1 2", 1, 7, "n", "expected the end of the line after the value, found '2'"),
        // Other values.
        ("b = True", 1, 5, "b", "expected a value, found 'T' (text must be quoted)"),
        ("b = truer", 1, 5, "b", "text must be quoted"),
        ("v = ", 1, 5, "v", "expected a value, found the end of the file"),
        ("v = é", 1, 5, "v", "outside a string"),
        ("a = [1 2]", 1, 8, "a", "expected ',' or ']' in the array, found '2'"),
        ("a = [,]", 1, 6, "a", "expected a value or ']' in the array, found ','"),
        ("a = [1,,]", 1, 8, "a", "expected a value or ']' in the array, found ','"),
        ("a = [1,\n", 2, 1, "a", "expected ']' to close the array opened on line 1"),
        ("t = {a = 1,}", 1, 12, "t", "a comma before '}'"),
        ("t = {a = 1\n}", 1, 11, "t", "expected '}' to close the inline table on its line"),
        ("t = {\na = 1}", 1, 6, "t", "expected '}' to close the inline table on its line"),
        ("t = {a = 1 b = 2}", 1, 12, "t", "expected ',' or '}' in the inline table, found 'b'"),
        // Keys and headers.
        ("= 1", 1, 1, nil, "expected a key, found '='"),
        ("a b = 1", 1, 3, "a", "expected '=' after the key, found 'b'"),
        ("a. = 1", 1, 4, "a", "expected a key after '.', found '='"),
        ("a..b = 1", 1, 3, "a", "expected a key after '.', found '.'"),
        ("a", 1, 2, "a", "expected '=' after the key, found the end of the file"),
        ("é = 1", 1, 1, nil, "(a key with other than A-Z, a-z, 0-9, _ and - must be quoted)"),
        ("[]", 1, 2, nil, "expected a table name after '[', found ']'"),
        ("[a", 1, 3, "a", "expected ']' to close the table name, found the end of the file"),
        ("[[a]", 1, 5, "a", "expected ']]' to close the table name"),
        ("[[a] ]", 1, 5, "a", "expected ']]' to close the table name, found ' '"),
        ("[a.]", 1, 4, "a", "expected a key after '.', found ']'"),
        ("[a] b = 1", 1, 5, "a", "expected the end of the line after the table name, found 'b'"),
        ("[a]\n[b]x", 2, 4, "b", "expected the end of the line after the table name, found 'x'"),
        // Control characters, line ends, encoding.
        ("a = 1 # bell \u{7}", 1, 14, "a", #"control character \u0007 in a comment"#),
        ("[t] # bell \u{7}", 1, 12, "t", #"control character \u0007 in a comment"#),
        ("# bell \u{7}", 1, 8, nil, #"control character \u0007 in a comment"#),
        ("a = 1\rb = 2", 1, 6, "a", "a carriage return without a line feed"),
        ("\u{0C}a = 1", 1, 1, nil, #"expected a key, found control character \u000c"#),
        ("a = \u{0B}1", 1, 5, "a", #"expected a value, found control character \u000b"#),
        ("a = \u{202E}", 1, 5, "a", #"found character \u202e outside a string"#),
    ] as [(String, Int, Int, String?, String)])
    func invalidDocument(_ text: String, line: Int, column: Int, key: String?, message: String) {
        let error = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: text) }
        guard let error else { return }
        #expect(error.line == line && error.column == column, "\(error)")
        #expect(error.key.map(TOMLError.keyText) == key, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(!error.description.contains("\n"))
        #expect(!error.description.unicodeScalars.contains(where: Display.isUnsafe))
    }

    /// Invalid UTF-8 in a string, a comment or a key: an error with its place, as the suite's
    /// encoding cases (a lone continuation byte, an overlong form, a surrogate, a UTF-16 file).
    @Test(arguments: [
        ([0x73, 0x20, 0x3D, 0x20, 0x22, 0x80, 0x22] as [UInt8], 1, 6, "invalid UTF-8 byte 0x80"),
        ([0x61, 0x3D, 0x31, 0x23, 0xC0, 0xAF], 1, 5, "invalid UTF-8 byte 0xc0"),
        ([0x73, 0x3D, 0x27, 0xED, 0xA0, 0x80, 0x27], 1, 4, "invalid UTF-8 byte 0xed"),
        ([0x0A, 0x73, 0x3D, 0x22, 0xE2, 0x82], 2, 4, "invalid UTF-8 byte 0xe2"),
        ([0xFF, 0xFE, 0x61, 0x00], 1, 1, "invalid UTF-8 byte 0xff"),
    ])
    func invalidUTF8(_ bytes: [UInt8], line: Int, column: Int, message: String) {
        let error = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: bytes) }
        #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    /// Thousands of nested arrays, inline tables or table names are an error, not a stack overflow.
    @Test(arguments: [
        "a = " + String(repeating: "[", count: 5000),
        "a = " + String(repeating: "{b = ", count: 5000),
        "[" + Array(repeating: "a", count: 5000).joined(separator: ".") + "]",
        Array(repeating: "a", count: 5000).joined(separator: ".") + " = 1",
    ])
    func deepNestingIsAnError(_ text: String) {
        let error = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: text) }
        #expect(error?.message.contains("deeper than \(TOMLReader.maxDepth) levels") == true, "\(String(describing: error))")
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let depth = TOMLReader.maxDepth - 1
        let document = try TOMLDocument(parsing: "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        var value = try #require(document["a"])
        var levels = 1
        while let inner = value.array?.first {
            value = inner
            levels += 1
        }
        #expect(levels == depth)
    }

    /// An error quotes at most one character of the text: a secret on a broken line is not shown.
    @Test(arguments: [
        "db = \"postgresql://sodar:S3cretPw@db/sodar",
        "db = 'postgresql://sodar:S3cretPw@db/sodar",
        "db = postgresql://sodar:S3cretPw@db/sodar",
        "db = \"postgresql://sodar:S3cretPw@db/sodar\" trailing",
        "db = \"postgresql://sodar:S3cretPw\\q@db\"",
        "db = {password = \"S3cretPw\" user = \"x\"}",
        "db = \"\"\"S3cretPw",
        "db = [\"S3cretPw\" \"x\"]",
    ])
    func errorsDoNotQuoteValues(_ text: String) {
        let error = #expect(throws: TOMLError.self) { try TOMLDocument(parsing: text) }
        #expect(error.map { !$0.description.contains("S3cretPw") } == true, "\(String(describing: error))")
    }

    // MARK: - Rendering

    /// One compact form of a value: tables `{k=v,...}` in file order (keys bare or quoted as
    /// TOML writes them), strings JSON-quoted, floats as Swift prints them.
    static func render(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return JSON.quote(text)
        case .integer(let number): return String(number)
        case .float(let number): return number.isNaN ? "nan" : number.isInfinite ? (number < 0 ? "-inf" : "inf") : "\(number)"
        case .boolean(let flag): return String(flag)
        case .dateTime(let date): return date.description
        case .array(let elements): return "[" + elements.map(render).joined(separator: ",") + "]"
        case .table(let table):
            let members = table.keys.map { key in "\(TOMLError.keyText([key]))=\(table[key].map(render) ?? "?")" }
            return "{" + members.joined(separator: ",") + "}"
        }
    }
}
