import Foundation
import SodarCache

/// The registered apps: the compiled-in ones plus those the config declares.
public enum PluginRegistry {
    /// Names of the compiled-in apps, which the config cannot redeclare.
    public static let builtInNames: Set<String> = [FileStatsPlugin.appName]

    /// Every plugin: compiled-in first, then the config's apps, each group sorted by name.
    public static func plugins(config: SodarConfig) -> [any ProjectAppPlugin] {
        let builtIn: [any ProjectAppPlugin] = [FileStatsPlugin()]
        let declared: [any ProjectAppPlugin] = config.apps.sorted { $0.name < $1.name }.map { app in
            if let command = CommandPlugin(app) { return command }
            return DeclaredAppPlugin(app)
        }
        return builtIn.sorted { $0.name < $1.name } + declared
    }

    /// The names of every registered app, sorted (what the store checks app names against).
    public static func appNames(config: SodarConfig) -> [String] {
        plugins(config: config).map(\.name).sorted()
    }
}
