import Foundation
import JSONKit
import SodarCache

/// An app declared in the config file with a `command`: on sync it runs the command (directly,
/// never through a shell) and stores the JSON it prints.
///
/// With `item` the whole output is that item's payload; without it the output is an object
/// `{"item name": payload, ...}`. Nothing is written unless the command succeeds and its
/// output is valid.
public struct CommandPlugin: ProjectAppPlugin {
    /// The placeholders substituted in each argv element.
    public static let placeholders = ["project_uuid", "project_title", "project_path", "app_name", "item_name"]
    /// The placeholders a project fills in: empty in a whole-site run.
    public static let projectPlaceholders: Set<String> = ["project_uuid", "project_title", "project_path"]

    public let declaration: AppDeclaration
    /// The argv with placeholders.
    public let command: [String]

    /// A plugin for a declaration with a command; nil when it has none.
    public init?(_ declaration: AppDeclaration) {
        guard let command = declaration.command, !command.isEmpty else { return nil }
        self.declaration = declaration
        self.command = command
    }

    public var name: String { declaration.name }
    public var title: String { declaration.title }
    public var scope: PluginScope { declaration.scope }

    /// Whether a whole-site sync runs this app once (its `site_command`) instead of once per project.
    public var runsOncePerSite: Bool { declaration.siteCommand != nil && scope == .project }

    public func updateCache(name itemName: String?, project: Project?, user: User?, cache: (any CacheBackend)?) throws {
        guard let cache else { return }
        if let item = declaration.item, let itemName, itemName != item { return }
        let argv = arguments(project: project, itemName: itemName)
        let runner = CommandRunner(
            argv: argv, environment: declaration.env, cwd: declaration.cwd, timeout: declaration.timeout,
            maxOutput: declaration.maxOutput)
        if let lines = declaration.effectiveOutcomeLines {
            // It wrote the cache itself (through SODAR's API), and may exit 0 when it failed:
            // its lines say how it went.
            var scanner: CommandOutputScanner?
            do {
                scanner = try CommandOutputScanner(lines)
            } catch {
                throw SyncError.commandNotStarted(command: argv, reason: "failure_pattern is no regular expression: \(error)")
            }
            let (_, stderr) = try runner.run(cancellation: SyncCancellation.current, scanner: &scanner, keepStdout: false)
            if let scanner { try Self.judge(scanner, command: argv, stderr: stderr) }
            return
        }
        let output = try runner.run(cancellation: SyncCancellation.current)
        let projectID = scope == .site ? nil : project?.uuid
        let writes = try items(from: output, argv: argv).compactMap { item -> CacheWrite? in
            if let itemName, item.key != itemName { return nil }
            return CacheWrite(appName: name, name: item.key, data: item.value, project: projectID, user: user)
        }
        guard !writes.isEmpty else { return }
        try cache.setCacheItems(writes)
    }

    /// Throws what the lines of a command that exited 0 say went wrong, if anything.
    static func judge(_ scanner: CommandOutputScanner, command: [String], stderr: [String]) throws {
        switch scanner.verdict {
        case .succeeded:
            return
        case .failed:
            throw SyncError.commandReportedFailure(
                command: command, failures: scanner.failures.map { failure in
                    failure.part.map { "\($0): \(failure.message)" } ?? failure.message
                }, count: scanner.failureCount, lines: scanner.failures.map(\.line))
        case .unknown:
            throw SyncError.commandOutcomeUnknown(
                command: command, successLine: scanner.lines.successLine ?? "", stderr: stderr)
        }
    }

    /// The argv for one run, placeholders substituted element by element in one pass (a
    /// title containing `{project_uuid}` stays as written).
    /// A whole-site run (no project) of an app with a `site_command` runs that.
    public func arguments(project: Project?, itemName: String?) -> [String] {
        let template = project == nil && runsOncePerSite ? (declaration.siteCommand ?? command) : command
        let values: [String: String] = [
            "project_uuid": project?.uuid.sodarString ?? "",
            "project_title": project?.title ?? "",
            "project_path": project?.path ?? "",
            "app_name": name,
            "item_name": itemName ?? "",
        ]
        return template.map { Self.substitute($0, values) }
    }

    static func substitute(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }

    /// The names written as placeholders in one argv element: `{name}` where name is an
    /// identifier (a letter or `_`, then letters, digits, `_`). `${name}` (shell syntax for `sh -c` scripts) and braces around
    /// anything else (`{print $1}`, `{"a": 1}`) are not placeholders.
    public static func placeholderNames(in template: String) -> [String] {
        var names: [String] = []
        let chars = Array(template.unicodeScalars)
        var index = 0
        while index < chars.count {
            defer { index += 1 }
            guard chars[index] == "{", index == 0 || chars[index - 1] != "$" else { continue }
            var end = index + 1
            func isLetter(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
            while end < chars.count, isLetter(chars[end]) || (end > index + 1 && ("0"..."9").contains(chars[end])) {
                end += 1
            }
            if end > index + 1, end < chars.count, chars[end] == "}" {
                names.append(String(String.UnicodeScalarView(chars[(index + 1)..<end])))
            }
        }
        return names
    }

    /// The (item name, payload) pairs of a command's output, validated.
    private func items(from output: Data, argv: [String]) throws -> [(key: String, value: Data)] {
        do {
            try JSON.validate(output)
        } catch {
            let detail = output.isEmpty ? "no output (expected JSON)" : "\(error)"
            throw SyncError.commandInvalidOutput(command: argv, detail: detail, stderr: [])
        }
        if let item = declaration.item { return [(item, output)] }
        do {
            return try JSONObjectSplitter.split(output)
        } catch {
            throw SyncError.commandInvalidOutput(command: argv, detail: "\(error)", stderr: [])
        }
    }
}
