import Foundation
import JSONKit
import SodarCache

/// What every item write must satisfy, checked the same way before any engine writes: the
/// data type, the app's registration, the item name and the payload's JSON.
///
/// Reads and deletes need none of this: an app that left the config still has items that
/// can be listed, read and deleted.
public struct CacheWriteRules: Sendable, Hashable {
    /// The apps items may be written for.
    public let registeredApps: Set<String>

    /// SODAR's `name` column is `varchar(255)`: longer names cannot be stored there.
    public static let maxNameLength = 255

    public init(registeredApps: some Sequence<String>) {
        self.registeredApps = Set(registeredApps)
    }

    /// Checks one write.
    /// - Throws: `CacheError.unsupportedDataType`, `.unknownApp`, `.invalidName` or `.invalidJSON`.
    public func check(_ write: CacheWrite) throws {
        try check(appName: write.appName, name: write.name, dataType: write.dataType, data: write.data)
    }

    /// Checks every write of a batch, before any is written.
    public func check(_ writes: [CacheWrite]) throws {
        for write in writes { try check(write) }
    }

    /// Checks one write's parts.
    public func check(appName: String, name: String, dataType: String, data: Data) throws {
        guard dataType == "json" else { throw CacheError.unsupportedDataType(dataType) }
        guard registeredApps.contains(appName) else {
            throw CacheError.unknownApp(appName, known: registeredApps.sorted())
        }
        try Self.checkContent(name: name, dataType: dataType, data: data)
    }

    /// Everything but the app's registration, for layers that do not know the registered apps
    /// (a sync unit's buffer checks early; the store checks again with the apps).
    public static func checkContent(name: String, dataType: String, data: Data) throws {
        guard dataType == "json" else { throw CacheError.unsupportedDataType(dataType) }
        try checkName(name)
        do {
            try JSON.validate(data)
        } catch let error as JSONError {
            throw CacheError.invalidJSON(error.description)
        }
    }

    /// An item name must tell items apart: not empty, not only whitespace, and at most 255
    /// characters (Unicode scalars, as SODAR's column counts them).
    public static func checkName(_ name: String) throws {
        if name.isEmpty {
            throw CacheError.invalidName(name, reason: "an item name cannot be empty")
        }
        if name.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw CacheError.invalidName(name, reason: "an item name cannot be only whitespace")
        }
        let length = name.unicodeScalars.count
        if length > maxNameLength {
            throw CacheError.invalidName(
                name, reason: "an item name has at most \(maxNameLength) characters, this one has \(length)")
        }
    }

    /// A time as stored: whole microseconds, as SODAR's `timestamptz` keeps it, so that every
    /// reader (update time, ISO dates) shows the same instant.
    public static func storedTime(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    }
}
