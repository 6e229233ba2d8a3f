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
