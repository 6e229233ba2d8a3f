import Foundation
import SodarCache

/// An app declared in the config file without a command: registered (its items may be `set`),
/// with no sync work of its own.
public struct DeclaredAppPlugin: ProjectAppPlugin {
    public let declaration: AppDeclaration

    public init(_ declaration: AppDeclaration) {
        self.declaration = declaration
    }

    public var name: String { declaration.name }
    public var title: String { declaration.title }
    public var scope: PluginScope { declaration.scope }

    /// Nothing to do: the data of such an app arrives through `set`.
    public func updateCache(name: String?, project: Project?, user: User?, cache: (any CacheBackend)?) throws {}
}
