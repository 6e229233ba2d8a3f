import Foundation
import PostgresDriver
import StoreKernel

extension PostgresCacheStore {
    /// Why nothing may be written on a hot standby, as every refusal there says it.
    static let standbyRefusal = "the server is a hot standby (a read-only replica)"

    /// libpq's refusal of every host for `target_session_attrs` ("session is read-only", "server
    /// is not in hot standby mode") names one host's state: `message` with what it means for
    /// the whole URI.
    static func sessionAttributesExplained(_ message: String, _ location: PostgresLocation) -> String {
        guard let wanted = location.value("target_session_attrs"), wanted != "any" else { return message }
        let refusals = ["session is read-only", "session is not read-only", "server is in hot standby mode", "server is not in hot standby mode"]
        guard refusals.contains(where: message.contains) else { return message }
        return message + " (no host of the URI is what target_session_attrs=\(PostgresLocation.shown(wanted)) asks for)"
    }

    /// On a store opened on a hot standby, how far it is behind its primary: received WAL not
    /// yet replayed, in bytes, and only while some waits, how long ago the last replayed
    /// transaction committed (with none waiting, that time grows while the primary is idle).
    /// One statement on the watcher's connection, beside the change token's; nil elsewhere.
    public func standbyStatus() throws -> StandbyStatus? {
        guard openedOnStandby else { return nil }
        // A receive position behind the replay one (a receiver restarting at its segment's
        // start) means nothing waits.
        return try watcherRead(
            """
            SELECT pg_is_in_recovery(),
                greatest(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint,
                CASE WHEN pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()
                    THEN floor(extract(epoch FROM now() - pg_last_xact_replay_timestamp()))::float8 END
            """
        ) { result in
            StandbyStatus(
                inRecovery: result.bool(0, 0) ?? false, bytesBehind: result.int(0, 1).map(Int64.init),
                replayLag: result.double(0, 2).map { max(0, $0) })
        }
    }
}
