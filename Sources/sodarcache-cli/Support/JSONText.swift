import Foundation
import JSONKit
import SodarCache

/// Small helpers for the JSON the command line writes itself (records, listings).
/// Payload bytes are embedded as they are; only our own strings are encoded here.
enum JSONText {
    /// A JSON string literal for `text`.
    static func string(_ text: String) -> String { JSON.quote(text) }

    static func string(_ text: String?) -> String { text.map { string($0) } ?? "null" }

    /// An object from already-encoded values, keys in the given order.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }

    /// ISO 8601 with time zone and microseconds, as Django REST framework writes dates
    /// (`2026-11-25T14:52:47.248123Z`).
    static func date(_ date: Date) -> String {
        // Years 1 to 9999: a corrupt date must not overflow the conversion below.
        let raw = date.timeIntervalSince1970
        let stamp = raw.isFinite ? min(max(raw, -62_135_596_800), 253_402_300_799) : 0
        // Whole microseconds rounded to the nearest, as the store keeps them and as
        // `update-time` prints them: both show the same instant.
        let micros = (stamp * 1_000_000).rounded()
        let seconds = (micros / 1_000_000).rounded(.down)
        var whole = time_t(seconds)
        var parts = tm()
        gmtime_r(&whole, &parts)
        let fraction = min(max(Int(micros - seconds * 1_000_000), 0), 999_999)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }
}
