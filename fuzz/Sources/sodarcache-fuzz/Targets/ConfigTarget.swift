import Foundation
import JSONKit
import SodarCacheSync

/// The config loader and its TOML reader: never a crash; every error one line naming the file,
/// a line inside it and, for a config value, its key; a document the reader accepts has a line
/// for every key and reads back the same once written out again.
enum ConfigTarget: FuzzTarget {
    static let name = "config"

    static func run(_ data: Data) {
        let bytes = [UInt8](data)
        // Lines as an editor counts them (a CR LF ends one line too).
        let lineCount = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        checkDocument(bytes, lineCount: lineCount)
        do {
            let config = try SodarConfig.parse(bytes: bytes, file: "fuzz.toml")
            checkProfiles(config, bytes: bytes)
            // The doctor's settings: thresholds a pass can use, expectations with names.
            let doctor = config.doctorSettings
            check(doctor.staleAfter > 0 && doctor.staleAfter.isFinite, "stale \(doctor.staleAfter)")
            check(doctor.oversizedBytes > 0, "oversized \(doctor.oversizedBytes)")
            for expectation in doctor.expectations {
                check(!expectation.names.isEmpty && !expectation.names.contains(""), "expect \(expectation.names)")
                check(Set(expectation.names).count == expectation.names.count, "expect with a name twice: \(expectation.names)")
                check(config.apps.contains { $0.name == expectation.app }, "expect of an undeclared app \(expectation.app)")
            }
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
            check(!message.contains("\n") && !message.unicodeScalars.contains(where: Display.isUnsafe), "not one safe line: \(message)")
            switch error {
            case .configSyntax(let file, let line, let column, let key, _):
                check(file == "fuzz.toml", "file \(file)")
                check(line >= 1 && line <= lineCount && column >= 1, "syntax error at \(line):\(column) of \(lineCount) lines")
                check(key.map { !$0.isEmpty } ?? true, "an empty key named: \(message)")
            case .configValue(let file, let line, let key, _):
                check(file == "fuzz.toml", "file \(file)")
                check(!key.isEmpty, "an error without its key")
                check(line >= 1 && line <= lineCount, "value error at line \(line) of \(lineCount): \(message)")
            default:
                check(false, "unexpected error \(error)")
            }
        } catch {
            check(false, "not a SyncError: \(error)")
        }
    }

    /// Profiles: each names a store, a known colour, a name `--profile` can take; applied, its
    /// apps replace the top level's by name and nothing else goes; the key said to hold a
    /// password is one the document has.
    static func checkProfiles(_ config: SodarConfig, bytes: [UInt8]) {
        for profile in config.profiles {
            check(profile.db.hasPrefix("/") || profile.db.hasPrefix("postgresql://") || profile.db.hasPrefix("postgres://"), "db \(profile.db)")
            check(profile.color.map { Profile.colors.contains($0) } ?? true, "colour \(profile.color ?? "")")
            check(!profile.name.isEmpty && profile.name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }, "profile name \(profile.name)")
            check(profile.title.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? true, "blank title")
            let applied = config.applying(profile)
            check(applied.activeProfile == profile, "applying did not set the profile")
            let names = Set(applied.apps.map(\.name))
            check(names == Set(config.apps.map(\.name)).union(profile.apps.map(\.name)), "apps of \(profile.name): \(names.sorted())")
            for app in profile.apps { check(applied.apps.contains(app), "\(profile.name)'s app \(app.name) not applied") }
            check(applied.apps.map(\.name) == applied.apps.map(\.name).sorted(), "applied apps unsorted")
            check(config.profile(named: profile.name) == profile, "profile(named:) \(profile.name)")
        }
        if let key = config.passwordKey {
            check(!key.isEmpty, "an empty password key")
            if let document = try? TOMLDocument(parsing: bytes) { check(document.line(of: key) != nil, "password key \(key) not in the document") }
        }
    }

    /// The reader alone: an error is inside the file; a document has a line for every key, and
    /// written out as TOML it reads back to the same values.
    static func checkDocument(_ bytes: [UInt8], lineCount: Int) {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: bytes)
        } catch {
            check(error.line >= 1 && error.line <= lineCount && error.column >= 1, "TOML error outside the file: \(error)")
            check(error.key.map { !$0.isEmpty } ?? true, "an empty key path: \(error)")
            check(!error.description.contains("\n"), "a TOML error on two lines: \(error)")
            return
        }
        checkLines(document.root, lineCount: lineCount)
        let written = TOMLWriter.document(document.root)
        do {
            let again = try TOMLDocument(parsing: written)
            check(render(.table(again.root)) == render(.table(document.root)), "written out, it reads back otherwise:\n\(written)")
        } catch {
            // Keys made into inline tables nest deeper than headers did: only that may fail.
            check(error.message.contains("deeper than"), "written out, it does not read back: \(error)\n\(written)")
        }
    }

    static func checkLines(_ table: TOMLTable, lineCount: Int) {
        for key in table.keys {
            let line = table.line(of: key)
            check(line.map { $0 >= 1 && $0 <= lineCount } == true, "key \(key) at line \(String(describing: line)) of \(lineCount)")
            switch table[key] {
            case .table(let inner)?: checkLines(inner, lineCount: lineCount)
            case .array(let elements)?:
                for case .table(let inner) in elements { checkLines(inner, lineCount: lineCount) }
            default: break
            }
        }
    }

    /// One canonical form to compare values by (`nan` equals itself here, `-0.0` is not `0.0`).
    static func render(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return JSON.quote(text)
        case .integer(let number): return "i\(number)"
        case .float(let number): return number.isNaN ? "nan" : "f\(number)"
        case .boolean(let flag): return String(flag)
        case .dateTime(let date): return "d\(date)"
        case .array(let elements): return "[" + elements.map(render).joined(separator: ",") + "]"
        case .table(let table):
            return "{" + table.keys.map { "\(JSON.quote($0))=\(table[$0].map(render) ?? "?")" }.joined(separator: ",") + "}"
        }
    }
}
