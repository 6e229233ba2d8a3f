import Foundation

/// An app that keeps cached data up to date: SODAR's `ProjectAppPlugin.update_cache`.
public protocol ProjectAppPlugin: Sendable {
    /// The app name items are stored under (e.g. `samplesheets`).
    var name: String { get }
    /// A human title for lists.
    var title: String { get }
    /// Whether this app writes per-project items or site-wide ones.
    var scope: PluginScope { get }

    /// Updates this app's cached data, limitable to one item name and/or one project.
    ///
    /// - Parameters:
    ///   - name: only this item, when given.
    ///   - project: only this project, when given (the sync engine calls once per project
    ///     for `.project` plugins, once with nil for `.site` plugins).
    ///   - user: who triggered the update.
    ///   - cache: the cache backend, or nil when the cache is not enabled; plugins must
    ///     work without it.
    func updateCache(name: String?, project: Project?, user: User?, cache: (any CacheBackend)?) throws
}

/// Where a plugin's items live.
public enum PluginScope: String, Sendable, Hashable {
    case project
    case site
}
