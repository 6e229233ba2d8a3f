/// The colour a profile marks the browser's header with (`color = "red"` in its table), as k9s
/// colours its contexts: production at a glance. Drawn as the header bar's background; under
/// `NO_COLOR` the header is reverse video as always, and the profile's title says which store.
public enum BannerColor: String, Sendable, Hashable, CaseIterable {
    case red, green, yellow, blue, magenta, cyan, white
}
