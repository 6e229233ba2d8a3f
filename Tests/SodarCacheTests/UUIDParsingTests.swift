import Foundation
import Testing
import SodarCache

/// UUIDs as `-p` takes them. Found by fuzzing (`fuzz/run.sh arguments`): Foundation on Linux
/// reads some malformed text as a different UUID.
@Suite struct UUIDParsingTests {
    @Test(arguments: [
        "3f0e6c1a-1b2c-4d5e-8f90-12345670-123",  // was read as 3f0e6c1a-1b2c-4d5e-8f90-12345670ff23
        "3f0e6c1a-1b2c-4d5e-8f90-12345678",
        "3f0e6c1a1b2c4d5e8f90123456789abc",
        "3f0e6c1a-1b2c-4d5e-8f90-123456789abg",
        "{3f0e6c1a-1b2c-4d5e-8f90-123456789abc}",
        "3f0e6c1a-1b2c-4d5e-8f90-123456789abc0",
        "",
    ])
    func malformedTextIsRefused(text: String) {
        #expect(throws: CacheError.invalidUUID(text)) { try UUID.sodar(text) }
        #expect(UUID.strict(text) == nil)
    }

    @Test func sodarFormAndUpperCaseAreRead() throws {
        let uuid = try UUID.sodar(" 3F0E6C1A-1B2C-4D5E-8F90-123456789ABC ")
        #expect(uuid.sodarString == "3f0e6c1a-1b2c-4d5e-8f90-123456789abc")
        #expect(try UUID.sodar(uuid.sodarString) == uuid)
    }
}
