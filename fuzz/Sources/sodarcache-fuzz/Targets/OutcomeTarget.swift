import Foundation
import SodarCacheSync

/// A cache-writing command's output as `CommandOutputScanner` reads it (SODAR's synccache
/// lines, or a declared pattern): the first byte picks the lines and how the pipe cuts the
/// rest into chunks on stdout and stderr. The verdict and failures do not depend on the cuts,
/// and what is kept stays within its limits. Its stderr redacted of passwords, as failures
/// show it, is redacted for good.
enum OutcomeTarget: FuzzTarget {
    static let name = "outcome"

    static let declared = OutcomeLines(failurePattern: #"^(?<part>[A-Z]+): (?<message>.*)$"#, successLine: "done")

    static func run(_ data: Data) {
        guard let first = data.first else { return }
        let body = data.dropFirst()
        let lines = first & 1 == 0 ? OutcomeLines.sodar : declared
        let cut = Int(first >> 1) % 17 + 1
        guard var whole = try? CommandOutputScanner(lines), var chunked = try? CommandOutputScanner(lines) else {
            check(false, "the patterns compile")
            return
        }
        whole.feed(body, from: .stderr)
        whole.finish()
        // Chunks of `cut` bytes, each stream with its own lines: stdout gets none here but
        // must not disturb stderr's partial line.
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: cut, limitedBy: body.endIndex) ?? body.endIndex
            chunked.feed(body[index..<end], from: .stderr)
            chunked.feed(Data(), from: .stdout)
            index = end
        }
        chunked.finish()
        check(whole.verdict == chunked.verdict, "verdict \(whole.verdict) whole, \(chunked.verdict) in chunks of \(cut)")
        // What a failed command's stderr shows: passwords hidden, hiding them again changes nothing.
        let redacted = PasswordRedaction.redact(String(decoding: body, as: UTF8.self))
        check(PasswordRedaction.redact(redacted) == redacted, "redaction is not idempotent")
        check(whole.failures == chunked.failures, "failures differ in chunks of \(cut)")
        check(whole.failureCount == chunked.failureCount, "failure counts differ")
        check(whole.failures.count <= CommandOutputScanner.keptFailures, "kept \(whole.failures.count) failures")
        check(whole.failureCount >= whole.failures.count, "count below kept")
        let newlines = body.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        check(whole.failureCount <= newlines + 1 + body.count / CommandOutputScanner.lineLimit, "more failures than lines")
        for failure in whole.failures {
            check(failure.line.count <= CommandOutputScanner.shownLength + 3, "line of \(failure.line.count) characters")
            check(failure.message.count <= CommandOutputScanner.shownLength + 3, "message of \(failure.message.count)")
        }
        if whole.verdict == .succeeded && lines.successLine != nil { check(whole.sawSuccessLine, "success without its line") }
    }
}
