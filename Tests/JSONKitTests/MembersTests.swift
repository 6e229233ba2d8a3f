import Foundation
import JSONKit
import Testing

/// JSONKit's one object reader: a top-level object's members, keys decoded, values as written.
@Suite struct MembersTests {
    @Test func membersKeepTheirBytesAndOrder() throws {
        let data = Data(#"  { "b/one" : {"x": "}", "y": [1, {"z": null}]} , "a\u00e9\"" :[1,{"y":null}]  ,"c":"s", "e": {} }  "#.utf8)
        let members = try #require(try JSON.objectMembers(data))
        #expect(members.map(\.key) == ["b/one", "aé\"", "c", "e"])
        #expect(members.map { String(decoding: data[$0.value], as: UTF8.self) }
            == [#"{"x": "}", "y": [1, {"z": null}]}"#, #"[1,{"y":null}]"#, #""s""#, "{}"])
    }

    @Test func notAnObjectIsNilAndBadJSONThrows() throws {
        #expect(try JSON.objectMembers(Data("[1, 2]".utf8)) == nil)
        #expect(try JSON.objectMembers(Data("\"s\"".utf8)) == nil)
        #expect(try JSON.objectMembers(Data("{}".utf8))?.isEmpty == true)
        #expect(throws: JSONError.self) { try JSON.objectMembers(Data("{\"a\": }".utf8)) }
    }

    @Test func arrayElementsKeepTheirBytesAndOrder() throws {
        let data = Data(" [ 1 , \"a]\" ,{\"x\": [2, 3]}, [], null,-0.5e3 ] ".utf8)
        let elements = try #require(try JSON.arrayElements(data))
        #expect(elements.map { String(decoding: data[$0], as: UTF8.self) } == ["1", #""a]""#, #"{"x": [2, 3]}"#, "[]", "null", "-0.5e3"])
        #expect(try JSON.arrayElements(Data("[]".utf8))?.isEmpty == true)
        #expect(try JSON.arrayElements(Data("{\"a\": [1]}".utf8)) == nil)
        #expect(try JSON.arrayElements(Data("7".utf8)) == nil)
        #expect(throws: JSONError.self) { try JSON.arrayElements(Data("[1,]".utf8)) }
        // The object reader is unchanged by arrays inside.
        #expect(try JSON.objectMembers(Data("[{\"a\": 1}]".utf8)) == nil)
    }

    @Test func stringsDecodeEscapesAndSurrogatePairs() {
        #expect(JSON.decodeString(Array(#""a\n\t\"\\\/\u00e9\ud83e\uddec""#.utf8)) == "a\n\t\"\\/é🧬")
        #expect(JSON.decodeString(Array(#""lone \ud800 x""#.utf8)) == "lone \u{FFFD} x")
    }
}
