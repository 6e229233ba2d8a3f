import Foundation

/// Items an app should have in every project (or, for a site-scope app, site-wide): the
/// config's `[apps.NAME] expect = ["irods/stats"]`.
public struct DoctorExpectation: Sendable, Hashable {
    public var app: String
    /// The item names expected, in the config's order.
    public var names: [String]
    /// Expected site-wide (a site-scope app) instead of in every project.
    public var siteWide: Bool

    public init(app: String, names: [String], siteWide: Bool = false) {
        self.app = app
        self.names = names
        self.siteWide = siteWide
    }
}
