import Foundation

/// The XDG base directories, with the specification's one rule for every variable: a value
/// that is not an absolute path is ignored.
public enum XDGDirectories {
    /// `$XDG_CONFIG_HOME`, else `~/.config`.
    public static func configHome(_ environment: [String: String]) -> String {
        base("XDG_CONFIG_HOME", default: ".config", environment)
    }

    /// `$XDG_DATA_HOME`, else `~/.local/share`.
    public static func dataHome(_ environment: [String: String]) -> String {
        base("XDG_DATA_HOME", default: ".local/share", environment)
    }

    private static func base(_ variable: String, default relative: String, _ environment: [String: String]) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(relative)
    }
}
