import Foundation
import JSONKit

/// The command-app output splitter (`{"item name": payload, ...}`), on what it is given in
/// production: output that validated. Members keep their order and exact bytes.
enum SplitterTarget: FuzzTarget {
    static let name = "splitter"

    static func run(_ data: Data) {
        guard (try? JSON.validate(data)) != nil, let document = try? JSONDocument(data: data) else {
            return
        }
        let compact = (try? JSON.compact(data)) ?? Data()
        let isObject = compact.first == UInt8(ascii: "{")
        do {
            let members = try JSONObjectSplitter.split(data)
            check(isObject, "split a non-object")
            let expected = compact == Data("{}".utf8) ? 0 : (document.containers.first?.childCount ?? -1)
            check(members.count == expected, "\(members.count) members, the object has \(expected)")
            check(Set(members.map(\.key)).count == members.count, "a key twice")
            var rest = compact[...]
            for member in members {
                check((try? JSON.validate(member.value)) != nil, "member \(member.key.debugDescription) is not JSON")
                check(member.value.first.map { !JSONObjectSplitter.isSpace($0) } ?? false, "value starts with space")
                check(member.value.last.map { !JSONObjectSplitter.isSpace($0) } ?? false, "value ends with space")
                check((try? JSON.validate(Data(JSON.quote(member.key).utf8))) != nil, "key does not quote back")
                // In order: each value's compact form comes after the previous one's.
                let value = (try? JSON.compact(member.value)) ?? Data()
                guard let found = rest.firstRange(of: value) else {
                    check(false, "value of \(member.key.debugDescription) not in the input, in order")
                    return
                }
                rest = rest[found.upperBound...]
            }
        } catch let failure as JSONObjectSplitter.Failure {
            switch failure {
            case .notAnObject: check(!isObject, "an object refused as not one")
            case .duplicateKey: check(isObject, "duplicate key in a non-object")
            }
        } catch {
            check(false, "unexpected error \(error)")
        }
    }
}
