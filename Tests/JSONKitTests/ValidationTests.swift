import Foundation
import Testing
import JSONKit

@Suite struct ValidationTests {
    func error(_ text: String, maxDepth: Int = 512) -> JSONError? {
        do {
            try JSON.validate(Data(text.utf8), maxDepth: maxDepth)
            return nil
        } catch let error as JSONError {
            return error
        } catch {
            return nil
        }
    }

    @Test func trailingCommaNamesLineColumnAndExpectation() {
        let e = error("{\n  \"a\": [1, 2,]\n}")
        #expect(e?.line == 2)
        #expect(e?.column == 14)
        #expect(e?.message.contains("trailing commas") == true)
    }

    @Test func missingCommaSaysWhatWasExpected() {
        #expect(error("[1 2]")?.description == "line 1, column 4: expected ',' or ']' after an array element, found '2'")
        #expect(error("{\"a\": 1 \"b\": 2}")?.message == "expected ',' or '}' after an object member, found '\"'")
    }

    @Test func columnsCountCharactersNotBytes() {
        let e = error("[\"日本\", x]")
        #expect(e?.column == 8)
    }

    @Test func loneSurrogatesAreNamed() {
        #expect(error("[\"\\ud800\"]")?.message.contains("lone high surrogate \\ud800") == true)
        #expect(error("[\"\\udc00\"]")?.message.contains("lone low surrogate \\udc00") == true)
    }

    @Test func invalidUTF8IsRejectedWithTheByte() {
        var bytes = Array("[\"a".utf8)
        bytes += [0xFF]
        bytes += Array("\"]".utf8)
        let e = try? #require(throws: JSONError.self) { try JSON.validate(Data(bytes)) }
        #expect(e?.message == "invalid UTF-8 byte 0xff in string")
        #expect(e?.column == 4)
    }

    @Test func rawControlCharacterInStringIsNamed() {
        #expect(error("[\"a\u{1b}b\"]")?.message == "control character \\u001b must be escaped in a string")
    }

    @Test func trailingContentAfterTheValue() {
        #expect(error("{} []")?.message == "expected end of input after the JSON value, found '['")
    }

    @Test func emptyInputExpectsAValue() {
        #expect(error("")?.description == "line 1, column 1: expected a JSON value, found end of input")
    }

    @Test func depthLimitIsAClearErrorNotACrash() {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        #expect(error(deep)?.message == "nesting deeper than the limit of 512 levels")
        #expect(error(deep)?.column == 513)
        let ok = String(repeating: "{\"a\":", count: 10) + "1" + String(repeating: "}", count: 10)
        #expect(error(ok, maxDepth: 10) == nil)
        #expect(error(ok, maxDepth: 9) != nil)
        #expect(throws: JSONError.self) { _ = try JSON.pretty(Data(deep.utf8)) }
    }

    @Test func leadingZeroIsExplained() {
        #expect(error("[012]")?.message == "leading zeros are not allowed in numbers")
    }
}
