import Foundation
import JSONKit

/// Splits a validated JSON object into its members as raw bytes, keeping key order and every
/// value exactly as written (no Foundation dictionaries: payloads stay bytes).
enum JSONObjectSplitter {
    enum Failure: Error, CustomStringConvertible {
        case notAnObject
        case duplicateKey(String)

        var description: String {
            switch self {
            case .notAnObject: return "expected a JSON object of {\"item name\": payload, ...}"
            case .duplicateKey(let key): return "item \"\(key)\" appears twice"
            }
        }
    }

    /// The members of the object in `data`, through JSONKit's one object reader.
    static func split(_ data: Data) throws -> [(key: String, value: Data)] {
        guard let members = try JSON.objectMembers(data) else { throw Failure.notAnObject }
        var seen = Set<String>()
        return try members.map { member in
            guard seen.insert(member.key).inserted else { throw Failure.duplicateKey(member.key) }
            return (member.key, data.subdata(in: member.value))
        }
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }
}
