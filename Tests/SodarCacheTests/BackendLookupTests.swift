import Foundation
import Testing
@testable import SodarCache

@Suite struct BackendLookupTests {
    @Test func disabledCacheYieldsNoBackend() {
        let lookup = BackendLookup(cache: nil)
        #expect(lookup.backendAPI("sodar_cache") == nil)
    }

    @Test func uuidParsingUsesSodarMessages() throws {
        #expect(throws: CacheError.invalidUUID("nope")) { try UUID.sodar("nope") }
        let uuid = try UUID.sodar("E9701604-4CCC-426C-A67C-864C15AFF6E2")
        #expect(uuid.sodarString == "e9701604-4ccc-426c-a67c-864c15aff6e2")
    }

    @Test func unknownAppMessageNamesKnownApps() {
        let error = CacheError.unknownApp("nope", known: ["filestats", "samplesheets"])
        #expect(error.description == "Unknown app \"nope\" (registered apps: filestats, samplesheets)")
    }
}
