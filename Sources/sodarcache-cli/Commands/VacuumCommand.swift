import ArgumentParser
import Foundation
import SodarCache
import StoreKernel

/// `vacuum`: gives the space of deleted items back to the file system.
struct VacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacuum", abstract: "Give the space of deleted items back (SQLite VACUUM); reports the bytes reclaimed.",
        discussion: """
            Deleting items leaves their pages free inside the file for later writes. vacuum rebuilds \
            the file without them. Browsers and other readers may stay open; a process writing to the \
            store makes it wait up to 5 s, then fail (try again later). Needs free disk space about \
            the size of the store while it runs.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let result: SpaceReport
        let location: String
        do {
            let (setup, _, store) = try global.session(mustExist: true, needs: .delete("vacuum"))
            location = setup.location.description
            result = try store.reclaimSpace()
        } catch CacheError.storeBusy(let location, _) {
            throw CLIError.busy("Cannot vacuum \(location) now: another process is writing to it; try again when it is done")
        }
        var line = "\(location): \(Self.bytes(result.bytesBefore)) before, \(Self.bytes(result.bytesAfter)) after, \(Self.bytes(result.bytesReclaimed)) reclaimed\n"
        if !result.complete {
            line += "Other readers hold the old pages for now: the file shrinks once they finish (at the next write or vacuum)\n"
        }
        Console.stdout(line)
    }

    /// Bytes as an exact count and a rounded size: "73400320 bytes (70.0 MB)".
    static func bytes(_ count: Int64) -> String {
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = ""
        for next in units where value >= 1024 {
            value /= 1024
            unit = next
        }
        return unit.isEmpty ? "\(count) bytes" : "\(count) bytes (\(String(format: "%.1f", value)) \(unit))"
    }
}
