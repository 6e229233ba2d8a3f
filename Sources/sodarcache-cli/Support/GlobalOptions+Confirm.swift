import ArgumentParser
import Foundation
import JSONKit
import SodarCacheSync

extension GlobalOptions {
    /// Whether a delete must ask first: the profile in use says `confirm = true` and `--yes`
    /// was not given. Commands count what they would delete only then.
    func mustConfirm(_ config: SodarConfig) -> Bool {
        !yes && config.activeProfile?.confirm == true
    }

    /// Under a profile with `confirm = true` (and no `--yes`): asks `question` ("Delete 12 items
    /// from Production?") on the terminal, and goes on only on `y`. Where stdin is not a terminal
    /// nothing could answer: refused in one line, as a usage mistake.
    /// - Parameters:
    ///   - command: the command, for the refusal.
    ///   - nothing: what was not done, for a no ("Nothing was deleted").
    /// - Throws: `CLIError.usage` without a terminal; `ExitCode.failure` on any answer but yes.
    func confirm(_ question: String, config: SodarConfig, command: String, nothing: String = "Nothing was deleted") throws {
        guard mustConfirm(config), let profile = config.activeProfile else { return }
        guard Console.isTTY(0) else {
            throw CLIError.usage(
                "`\(command)` asks before it deletes from \(profile.shownName) (confirm = true in profile \(profile.name)): "
                    + "run it in a terminal, or give --yes; \(nothing.lowercased())")
        }
        Console.stderr(Display.escape(question) + " [y/N] ")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            Console.stderr(nothing + "\n")
            throw ExitCode.failure
        }
    }

    /// "12 items", "1 item".
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
