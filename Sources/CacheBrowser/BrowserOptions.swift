import Foundation
import SodarCache
import StoreKernel

/// How the browser was asked to run.
public struct BrowserOptions: Sendable {
    /// Shown in the header.
    public var storePath: String
    /// Items last written longer ago than this are marked stale (`--stale-after`).
    public var staleAfter: TimeInterval
    /// Sync and delete are refused (`--read-only`, or a profile's `read_only`).
    public var readOnly: Bool
    /// Why, when `readOnly`: "--read-only", or the profile that says so.
    public var readOnlyReason: String
    /// `y` and `Y` may send text to the terminal's clipboard (off: `--no-clipboard`, or
    /// `clipboard = false` in the config's `[browser]` table).
    public var clipboard: Bool
    /// Clicks and the wheel are read; false (`--no-mouse`, `mouse = false` under `[browser]`)
    /// leaves the mouse to the terminal's own text selection.
    public var mouse: Bool
    /// What the session may do, as the store's role allows: the header says it, and each key
    /// it may not use says why.
    public var capabilities: StoreCapabilities
    /// What item times mean: on SODAR's tables without commit timestamps, creation times (the
    /// record says "Created", and `x` says it deletes by creation time).
    public var itemAges: ItemAges
    /// The profile's title (`--profile`), shown first in the header; nil: no profile.
    public var profileTitle: String?
    /// The profile's colour: the header bar in it (nil: the usual header).
    public var banner: BannerColor?
    /// A hot standby's lag as the store said at launch (the watcher keeps it current); nil on
    /// any other store.
    public var standby: StandbyStatus?
    /// Whether deletes go to the trash, and for how long (`[trash]`, `--no-trash`, and whether
    /// the store keeps one): the delete dialogs say so, and `u` takes deletes back. Unknown
    /// (the default): deletes are said to be for good.
    public var undo: DeleteUndo
    /// The doctor's thresholds and expectations (the config's `[doctor]` and `expect` keys), for `!`.
    public var doctorSettings = DoctorSettings()
    /// The apps the config registers, for the doctor's orphans; nil without a config (orphans
    /// are not checked then: every app would count as one).
    public var registeredApps: Set<String>?
    /// Whose changes the store records as this session's (user, host, command), and since when:
    /// the audit pane (`L`) lists those entries first. Nil: every entry is listed as the store's.
    public var sessionAttribution: ChangeAttribution?
    public var sessionStart: Date?

    /// - Parameter readOnlyReason: why sync and delete are refused when `readOnly` (default:
    ///   `--read-only`; a profile with `read_only = true` names itself).
    public init(
        storePath: String, staleAfter: TimeInterval = 7 * 86400, readOnly: Bool = false, clipboard: Bool = true,
        mouse: Bool = true, capabilities: StoreCapabilities = .full, itemAges: ItemAges = .lastWrite,
        readOnlyReason: String? = nil, undo: DeleteUndo = .off(reason: nil)
    ) {
        self.itemAges = itemAges
        self.undo = undo
        self.capabilities = readOnly && readOnlyReason != nil
            ? .readOnly(readOnlyReason ?? "", role: capabilities.role) : capabilities.limited(readOnly: readOnly)
        self.readOnlyReason = readOnlyReason ?? "--read-only"
        self.storePath = storePath
        self.staleAfter = staleAfter
        self.readOnly = readOnly
        self.clipboard = clipboard
        self.mouse = mouse
    }
}
