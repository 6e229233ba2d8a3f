import Foundation

/// Hides passwords in text shown or logged about a command app: its arguments (a config may
/// give a command a database URI with its password, in a file only its owner reads) and its
/// stderr (which may echo them). What stays is enough to tell which command failed and why.
public enum PasswordRedaction {
    public static let mask = "***"

    /// `text` with the password of every `postgresql://` / `postgres://` URI's user
    /// information (`user:secret@` → `user:***@`) and the value of every `password=`
    /// (case-insensitive, up to a space, `&`, `;` or a quote) replaced by `***`.
    public static func redact(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let after = matchURIScheme(scalars, at: index) {
                // The URI runs to whitespace, a quote or '|'; its user information ends at its
                // last '@' (a password may hold a '/' or '@'). The rest of it is scanned on, for
                // a `password=` parameter.
                output.append(contentsOf: scalars[index..<after])
                var end = after
                while end < scalars.count, !isURIEnd(scalars[end]) { end += 1 }
                let uri = scalars[after..<end]
                if let at = uri.lastIndex(of: "@"), let colon = uri[..<at].firstIndex(of: ":") {
                    output.append(contentsOf: uri[..<(colon + 1)])
                    output.append(contentsOf: mask.unicodeScalars)
                    index = at
                } else {
                    index = after
                }
                continue
            }
            if let after = matchPasswordKey(scalars, at: index) {
                output.append(contentsOf: scalars[index..<after])
                var end = after
                while end < scalars.count, !isValueEnd(scalars[end]) { end += 1 }
                if end > after { output.append(contentsOf: mask.unicodeScalars) }
                index = end
                continue
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }

    private static let schemes = ["postgresql://", "postgres://"].map { Array($0.unicodeScalars) }
    private static let passwordKey = Array("password=".unicodeScalars)

    /// The index after a URI scheme starting at `index`, case-insensitive.
    private static func matchURIScheme(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        for scheme in schemes where matches(scalars, at: index, scheme) { return index + scheme.count }
        return nil
    }

    private static func matchPasswordKey(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        matches(scalars, at: index, passwordKey) ? index + passwordKey.count : nil
    }

    private static func matches(_ scalars: [Unicode.Scalar], at index: Int, _ word: [Unicode.Scalar]) -> Bool {
        guard index + word.count <= scalars.count else { return false }
        for (offset, expected) in word.enumerated() {
            let scalar = scalars[index + offset]
            let lowered = ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
            if lowered != expected { return false }
        }
        return true
    }

    private static func isURIEnd(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\"" || scalar == "'" || scalar == "|"
    }

    private static func isValueEnd(_ scalar: Unicode.Scalar) -> Bool {
        isURIEnd(scalar) || scalar == "&" || scalar == ";"
    }
}
