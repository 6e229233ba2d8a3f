import Foundation

/// Reads a command's stdout and stderr line by line, as they come, for the lines of its
/// `OutcomeLines`: which failures it reported and whether it closed with its success line.
/// Keeps no more than one line per stream and the first failures, whatever the command prints.
public struct CommandOutputScanner {
    /// The stream a chunk came from; each has its own partial line.
    public enum Stream: Sendable { case stdout, stderr }

    /// One matched failure line.
    public struct Failure: Sendable, Hashable {
        /// The pattern's `part` group (SODAR: the plugin's name), when it has one and matched.
        public var part: String?
        /// The `message` group, else the whole line (trimmed, at most `shownLength` characters).
        public var message: String
        /// The line as printed (trimmed, at most `shownLength` characters).
        public var line: String
    }

    /// What the lines say.
    public enum Verdict: Sendable, Hashable {
        /// No failure line, and the success line when one is expected.
        case succeeded
        /// At least one failure line.
        case failed
        /// A success line is expected and never came (the command died quietly, or printed
        /// through a logger configured elsewhere).
        case unknown
    }

    /// Lines are matched on at most this many bytes (the rest of a longer line is dropped).
    public static let lineLimit = 8 * 1024
    /// At most this many failures are kept (`failureCount` counts them all).
    public static let keptFailures = 50
    /// Messages and lines are cut to this many characters.
    public static let shownLength = 300

    public let lines: OutcomeLines
    private let failureRegex: Regex<AnyRegexOutput>?
    public private(set) var failures: [Failure] = []
    public private(set) var failureCount = 0
    public private(set) var sawSuccessLine = false
    private var partial: [Stream: [UInt8]] = [.stdout: [], .stderr: []]
    /// A stream whose current line passed `lineLimit`: its bytes are dropped until the newline.
    private var overlong: Set<Stream> = []

    /// - Throws: the regular expression's error for a `failurePattern` that is none (the
    ///   config refuses such a pattern before it gets here; a library caller may not).
    public init(_ lines: OutcomeLines) throws {
        self.lines = lines
        failureRegex = try lines.failurePattern.map { try Regex($0) }
    }

    /// Takes one chunk of a stream's output.
    public mutating func feed(_ bytes: some Sequence<UInt8>, from stream: Stream) {
        var line = partial[stream] ?? []
        var dropping = overlong.contains(stream)
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                take(line)
                line.removeAll(keepingCapacity: true)
                dropping = false
            } else if !dropping {
                line.append(byte)
                if line.count >= Self.lineLimit {
                    // Judge the line on its start; what follows up to its end is dropped.
                    take(line)
                    line.removeAll(keepingCapacity: true)
                    dropping = true
                }
            }
        }
        partial[stream] = line
        if dropping { overlong.insert(stream) } else { overlong.remove(stream) }
    }

    /// Takes the last lines that did not end with a newline (call once, at EOF).
    public mutating func finish() {
        for stream in [Stream.stdout, .stderr] {
            if let line = partial[stream], !line.isEmpty { take(line) }
            partial[stream] = []
        }
        overlong = []
    }

    /// The verdict on what was fed.
    public var verdict: Verdict {
        if failureCount > 0 { return .failed }
        if lines.successLine != nil && !sawSuccessLine { return .unknown }
        return .succeeded
    }

    private mutating func take(_ bytes: [UInt8]) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let success = lines.successLine, trimmed.hasSuffix(success) {
            sawSuccessLine = true
            return
        }
        guard let failureRegex, let match = try? failureRegex.firstMatch(in: text) else { return }
        failureCount += 1
        guard failures.count < Self.keptFailures else { return }
        // Nil when the pattern has no such group, or its branch that matched has none.
        let part = match.output["part"]?.substring.map(String.init)
        let message = match.output["message"]?.substring.map(String.init)
        let shownLine = Self.cut(trimmed)
        failures.append(Failure(part: part.map(Self.cut), message: message.map(Self.cut) ?? shownLine, line: shownLine))
    }

    private static func cut(_ text: String) -> String {
        text.count > shownLength ? String(text.prefix(shownLength)) + "..." : text
    }
}
