import Foundation

/// An argv shown as a shell would read it: for messages only (commands never run through a
/// shell). Plain words stay as they are; anything else is single-quoted.
public enum ShellWords {
    /// One word, quoted when it needs to be.
    public static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "/._-=:,+@%{}".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The argv as one line.
    public static func join(_ argv: [String]) -> String {
        argv.map(quote).joined(separator: " ")
    }
}

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
