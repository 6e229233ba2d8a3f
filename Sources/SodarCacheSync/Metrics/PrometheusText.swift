import Foundation
import JSONKit

/// Prometheus' text exposition format 0.0.4, as node_exporter's textfile collector and a
/// scrape read it: each family's `# HELP` and `# TYPE` lines, then its samples together; label
/// values and help text escaped as the format says (`\\`, `\"`, `\n`).
public struct PrometheusText: Sendable {
    /// A family's type.
    public enum Kind: String, Sendable {
        case gauge
        case counter
    }

    /// One sample: its labels (name, value) in order, and its value.
    public struct Sample: Sendable {
        public var labels: [(String, String)]
        public var value: Double

        public init(_ labels: [(String, String)], _ value: Double) {
            self.labels = labels
            self.value = value
        }

        /// A sample without labels.
        public init(_ value: Double) {
            self.init([], value)
        }
    }

    private var text = ""
    private var names: Set<String> = []

    public init() {}

    /// The exposition so far.
    public var output: String { text }

    /// Adds a family and its samples; a family without samples is left out (a HELP line with
    /// no sample is allowed, but says nothing). A name may come once.
    public mutating func family(_ name: String, help: String, kind: Kind = .gauge, _ samples: [Sample]) {
        precondition(Self.isValidName(name) && names.insert(name).inserted, "metric \(name) is invalid or given twice")
        guard !samples.isEmpty else { return }
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        for sample in samples {
            text += name
            if !sample.labels.isEmpty {
                text += "{" + sample.labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.format(sample.value) + "\n"
        }
    }

    /// A label value: backslash, double quote and line feed escaped, after every control
    /// character a terminal would act on is made visible (`\u001b`, as everywhere store data is
    /// printed): an app name from a store must not reach a terminal raw.
    public static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in Display.escape(value).unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Help text: backslash and line feed escaped.
    public static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A value as Go's ParseFloat reads it: whole numbers without a fraction, `NaN`, `+Inf`, `-Inf`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6f", value)
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" || first == ":"
        else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":") }
    }
}
