import Foundation

/// Where a hot standby (a read-only replica) stands against its primary: the browser's header
/// says how far behind it is, and refreshes it with the live refresh.
public struct StandbyStatus: Sendable, Hashable {
    /// The server still replays its primary's WAL (false: promoted since the store opened).
    public var inRecovery: Bool
    /// WAL received from the primary and not yet replayed, in bytes (`pg_last_wal_receive_lsn()`
    /// against `pg_last_wal_replay_lsn()`); nil when the standby does not stream (it restores
    /// from an archive and knows of nothing it has not replayed).
    public var bytesBehind: Int64?
    /// How long ago the last transaction the standby replayed committed on the primary, only
    /// while received WAL waits to be replayed: with nothing waiting, that time grows while the
    /// primary is idle and says nothing about lag.
    public var replayLag: TimeInterval?

    public init(inRecovery: Bool = true, bytesBehind: Int64? = nil, replayLag: TimeInterval? = nil) {
        self.inRecovery = inRecovery
        self.bytesBehind = bytesBehind
        self.replayLag = replayLag
    }
}
