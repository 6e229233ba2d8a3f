import Foundation
import JSONKit
import SodarCache
import SodarCacheSync

/// `project import`, read through JSONKit: never crashes; bad JSON is reported by line and
/// column exactly when the validator rejects the bytes, a bad record by position and line, each
/// on one line without a raw control character; records are unique.
enum ImportTarget: FuzzTarget {
    static let name = "import"

    static func run(_ data: Data) {
        let valid: Bool
        do { try JSON.validate(data); valid = true } catch { valid = false }
        let lineCount = data.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        do {
            let page = try ProjectImport.parse(data, file: "fuzz.json")
            check(valid, "import accepted invalid JSON")
            check(Set(page.records.map(\.uuid)).count == page.records.count, "a UUID twice")
            for (index, record) in page.records.enumerated() {
                check(record.position == index + 1, "record \(index) at position \(record.position)")
                check(record.line >= 1 && record.line <= lineCount, "record line \(record.line) of \(lineCount)")
                check(record.file == "fuzz.json", "record file")
                let project = record.project(merging: nil)
                check(project.uuid == record.uuid, "project uuid")
                check(!record.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "empty title accepted: \(record.title.debugDescription)")
            }
        } catch let error as SyncError {
            let message = error.description
            check(!message.contains("\n") && !message.unicodeScalars.contains(where: Display.isUnsafe), "not one safe line: \(message)")
            switch error {
            case .importInvalid(let file, let detail):
                check(file == "fuzz.json", "file")
                check(!valid || !detail.hasPrefix("not JSON"), "valid JSON called not JSON: \(detail)")
                check(valid || detail.hasPrefix("not JSON"), "invalid JSON not reported as such: \(detail)")
            case .importRecord(let file, let position, let line, _):
                check(valid, "a record error in invalid JSON")
                check(file == "fuzz.json", "file")
                check(position >= 1 && line >= 1 && line <= lineCount, "record error at \(position), line \(line)")
            default:
                check(false, "unexpected error \(error)")
            }
        } catch {
            check(false, "not a SyncError: \(error)")
        }
    }
}
