import Foundation
import JSONKit

/// How a command says whether it worked when its exit status does not: lines that fail the run
/// and the line that closes a successful one. SODAR's `synccache` exits 0 whatever its plugins
/// did; it prints `Update failed for plugin "X": "..."` for each failing one and closes with
/// `Cache synchronization OK` or `Cache synchronization finished with errors (see logs)`.
public struct OutcomeLines: Sendable, Hashable {
    /// A regular expression: a line of stdout or stderr it matches fails the run. The named
    /// groups `part` and `message`, when the pattern has them, say what failed and why.
    public var failurePattern: String?
    /// The text a successful run's closing line ends with (a logger may put a prefix before it).
    /// When given and never printed, the outcome is unknown; nil: exit status 0 means success.
    public var successLine: String?

    public init(failurePattern: String? = nil, successLine: String? = nil) {
        self.failurePattern = failurePattern
        self.successLine = successLine
    }

    /// SODAR Core's `synccache` (sodarcache/management/commands/synccache.py): what a
    /// `writes_cache` command declaring neither `failure_pattern` nor `success_line` is read with.
    /// An exception's text may run over several lines, so the message's closing quote is optional.
    public static let sodar = OutcomeLines(
        failurePattern: #"Update failed for plugin "(?<part>[^"]*)": "(?<message>.*?)"?$|Cache synchronization finished with errors"#,
        successLine: "Cache synchronization OK")

    /// Why `pattern` cannot be a `failure_pattern`, or nil when it can.
    public static func problem(with pattern: String) -> String? {
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern)
        } catch {
            return "expected a regular expression, got \(SodarConfig.quoted(pattern)) (\(Display.escape(String(String(describing: error).split(whereSeparator: \.isNewline).first ?? ""))))"
        }
        // A pattern every line matches (`.*`, `ERROR|`) would fail every run, blank lines too.
        if (try? regex.firstMatch(in: "")) != nil {
            return "\(SodarConfig.quoted(pattern)) matches an empty line, so every run would fail"
        }
        return nil
    }
}
