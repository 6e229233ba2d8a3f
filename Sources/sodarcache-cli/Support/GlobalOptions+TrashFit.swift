import ArgumentParser
import Foundation
import JSONKit
import SodarCacheSync
import StoreKernel

extension GlobalOptions {
    /// Before a delete: when the trash keeps deletes but this one is larger than its max_size
    /// (the trash would purge it at once, so it could not be undone), says so with both sizes,
    /// before any question. Then on a terminal it asks (a confirm profile's own question is the
    /// one asked, after this line); elsewhere it needs `--yes`, and with `--yes` it goes on and
    /// says so once. A store without a trash, or `--no-trash`, deletes for good as asked.
    /// - Parameters:
    ///   - bytes: the payload bytes the delete would take, asked only when the store could hold
    ///     more than the trash keeps.
    ///   - command: the command, for the refusal.
    ///   - needs: what the command needs of the store, to open it again.
    /// - Returns: the store to delete with: `store`, or, for a delete that goes on for good, the
    ///   store opened again with the trash off (copying gigabytes to the trash, or on a SODAR
    ///   site into memory and the local store, only for the trim to purge them would cost the
    ///   delete a second time and could fill the disk).
    /// - Throws: `CLIError.usage` without a terminal and `--yes`; `ExitCode.failure` on a no.
    func checkTrashFits(
        _ bytes: () throws -> Int64, store: any StoreEngine, config: SodarConfig, command: String, needs: StoreNeed
    ) throws -> any StoreEngine {
        let policy = config.trash.policy
        guard !noTrash, policy.enabled, store.trash != nil else { return store }
        // Most deletes are small: a store that holds less than the trash keeps needs no count.
        if let totals = try? store.totals(), !totals.estimated, Int64(totals.bytes) <= policy.maxBytes { return store }
        let size = try bytes()
        guard size > policy.maxBytes else { return store }
        let warning = "This delete of \(VacuumCommand.bytes(size)) is larger than the trash keeps "
            + "([trash] max_size \(VacuumCommand.bytes(policy.maxBytes))): it cannot be undone"
        if yes {
            Console.stderr(warning + "; deleting for good (--yes)\n")
            return try forGood(store, needs: needs)
        }
        guard Console.isTTY(0) else {
            throw CLIError.usage("`\(command)`: \(warning); give --yes to delete for good (or --no-trash); nothing was deleted")
        }
        Console.stderr(warning + "\n")
        // A confirm profile asks its own question next.
        if mustConfirm(config) { return try forGood(store, needs: needs) }
        Console.stderr("Delete for good? [y/N] ")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            Console.stderr("Nothing was deleted\n")
            throw ExitCode.failure
        }
        return try forGood(store, needs: needs)
    }

    /// The store opened again as with `--no-trash`.
    private func forGood(_ store: any StoreEngine, needs: StoreNeed) throws -> any StoreEngine {
        try? store.close()
        var options = self
        options.noTrash = true
        return try options.open(mustExist: true, needs: needs).1
    }
}
