import Foundation
import StoreKernel

extension BrowserFormat {
    /// A hot standby in a few words, for the header and `sodarcache profiles`: "hot standby,
    /// caught up", "hot standby, 12.3 KiB to replay, 4s behind", "hot standby" (not streaming:
    /// it knows of nothing it has not replayed).
    public static func standby(_ status: StandbyStatus) -> String {
        guard status.inRecovery else { return "standby promoted since opened (read only until restarted)" }
        guard let bytes = status.bytesBehind else { return "hot standby" }
        guard bytes > 0 else { return "hot standby, caught up" }
        var text = "hot standby, \(size(Int(clamping: bytes))) to replay"
        if let lag = status.replayLag, lag.isFinite {
            let epoch = Date(timeIntervalSinceReferenceDate: 0)
            let behind = lag < 1 ? "<1s" : shortAge(of: epoch, now: epoch.addingTimeInterval(min(lag, 1e11)))
            text += ", \(behind) behind"
        }
        return text
    }
}
