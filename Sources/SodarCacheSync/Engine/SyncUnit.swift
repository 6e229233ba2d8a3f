import Foundation
import SodarCache

/// One piece of sync work: one plugin for one project (or once, site-wide).
public struct SyncUnit: Sendable {
    public var plugin: any ProjectAppPlugin
    /// nil for a site-scope plugin.
    public var project: Project?

    public init(plugin: any ProjectAppPlugin, project: Project?) {
        self.plugin = plugin
        self.project = project
    }
}
