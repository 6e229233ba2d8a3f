import Foundation
import SodarCacheSync

/// The TOML config loader: never crashes; every error names the file and a line inside it.
enum ConfigTarget: FuzzTarget {
    static let name = "config"

    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        // Lines as an editor counts them (a CR LF ends one line too).
        let lineCount = text.utf8.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        do {
            let config = try SodarConfig.parse(text, file: "fuzz.toml")
            for app in config.apps {
                check(!app.name.isEmpty, "an app without a name")
                if let command = app.command { check(!command.isEmpty && !command[0].isEmpty, "empty argv accepted") }
                check(app.timeout > 0 && app.timeout.isFinite, "timeout \(app.timeout)")
                check(app.maxOutput > 0, "max_output \(app.maxOutput)")
                if let site = app.siteCommand { check(app.writesCache && !site.isEmpty && !site[0].isEmpty, "site_command \(site)") }
                // An accepted failure_pattern compiles, and does not fail a blank line.
                if let lines = app.effectiveOutcomeLines {
                    do {
                        var scanner = try CommandOutputScanner(lines)
                        scanner.feed(Data("\n".utf8), from: .stderr)
                        scanner.finish()
                        check(scanner.failureCount == 0, "pattern \(lines.failurePattern ?? "") fails a blank line")
                    } catch {
                        check(false, "accepted pattern \(lines.failurePattern ?? "") does not compile: \(error)")
                    }
                }
            }
        } catch let error as SyncError {
            let message = error.description
            switch error {
            case .configSyntax(let file, let line, let column, _):
                check(file == "fuzz.toml", "file \(file)")
                check(line >= 1 && line <= lineCount && column >= 1, "syntax error at \(line):\(column) of \(lineCount) lines")
            case .configValue(let file, let line, let key, _):
                check(file == "fuzz.toml", "file \(file)")
                check(!key.isEmpty, "an error without its key")
                check(line != nil, "an error without its line: \(message)")
                if let line { check(line >= 1 && line <= lineCount, "value error at line \(line) of \(lineCount)") }
            default:
                check(false, "unexpected error \(error)")
            }
        } catch {
            check(false, "not a SyncError: \(error)")
        }
    }
}
