import Foundation
import TestSupport

/// Prometheus' own readers of the text format: the Python client's parser (Debian's
/// python3-prometheus-client, or pip's prometheus-client) and `promtool check metrics`
/// (Debian's prometheus). `.ci/run` installs both.
enum PrometheusParsers {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// One sample as the Python client read it.
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// A Python 3 that imports `prometheus_client`: Debian's first (its package installs
    /// there), then whatever `python3` is on the PATH.
    static let python: String? = {
        for candidate in ["/usr/bin/python3", "python3"] {
            if let result = try? run(candidate, ["-c", "import prometheus_client"]), result.status == 0 { return candidate }
        }
        return nil
    }()

    /// The families and samples the Python client's parser reads from `text` (it throws on
    /// text that breaks the format).
    static func parse(_ text: String) throws -> (families: [String: String], samples: [Sample]) {
        guard let python else {
            throw Failure(description: "no Python with prometheus_client: apt-get install python3-prometheus-client (.ci/run installs it)")
        }
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {"families": {}, "samples": []}
            for family in text_string_to_metric_families(sys.stdin.read()):
                out["families"][family.name] = family.type
                for s in family.samples:
                    out["samples"].append({"name": s.name, "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """
        let result = try run(python, ["-c", script], stdin: text)
        guard result.status == 0 else { throw Failure(description: "prometheus_client refused the text: \(result.stderr)") }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let families = object["families"] as? [String: String] ?? [:]
        let samples = (object["samples"] as? [[String: Any]] ?? []).map { sample in
            Sample(
                name: sample["name"] as? String ?? "", labels: sample["labels"] as? [String: String] ?? [:],
                value: (sample["value"] as? NSNumber)?.doubleValue ?? .nan)
        }
        return (families, samples)
    }

    /// `promtool check metrics`: the format and the naming conventions (units, `_total`).
    /// - Returns: what it said (nothing when it found nothing to say).
    static func promtool(_ text: String) throws -> String {
        let result = try run("promtool", ["check", "metrics"], stdin: text)
        guard result.status == 0 else { throw Failure(description: "promtool: \(result.stdout)\(result.stderr)") }
        return result.stdout + result.stderr
    }

    static func run(_ program: String, _ arguments: [String], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let output = try runProcess("/usr/bin/env", [program] + arguments, stdin: stdin.map { Data($0.utf8) })
        return (output.status, String(decoding: output.stdout, as: UTF8.self), String(decoding: output.stderr, as: UTF8.self))
    }
}
