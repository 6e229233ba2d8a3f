import Foundation
import Testing
@testable import JSONKit

/// The RFC 8259 conformance corpus: `y_` files must be accepted, `n_` files rejected.
@Suite struct CorpusTests {
    static func corpus() throws -> [(name: String, data: Data)] {
        guard let dir = Bundle.module.url(forResource: "Corpus", withExtension: nil) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { ($0, try Data(contentsOf: dir.appendingPathComponent($0))) }
    }

    @Test func corpusIsPresent() throws {
        let files = try Self.corpus()
        #expect(files.count > 100)
        #expect(files.contains { $0.name.hasPrefix("y_") })
        #expect(files.contains { $0.name.hasPrefix("n_") })
    }

    @Test func acceptsEveryYFileAndRejectsEveryNFile() throws {
        for (name, data) in try Self.corpus() {
            if name.hasPrefix("y_") {
                #expect(throws: Never.self, "\(name) should be accepted") { try JSON.validate(data) }
                #expect(throws: Never.self, "\(name) should pretty-print") { _ = try JSON.pretty(data) }
            } else if name.hasPrefix("n_") {
                #expect(throws: JSONError.self, "\(name) should be rejected") { try JSON.validate(data) }
                #expect(throws: JSONError.self, "\(name) should be rejected by the printer") {
                    _ = try JSON.compact(data)
                }
                #expect(throws: JSONError.self, "\(name) should be rejected by the document") {
                    _ = try JSONDocument(data: data)
                }
            }
        }
    }
}
