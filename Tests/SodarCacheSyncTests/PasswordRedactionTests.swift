import SodarCache
import SodarCacheSync
import Testing

/// What a command app's failure shows of its command line and stderr: everything but passwords.
@Suite struct PasswordRedactionTests {
    @Test(arguments: [
        ("--db postgresql://svc:S3cret@db/x", "--db postgresql://svc:***@db/x"),
        ("POSTGRES://svc:S3cret@db:5433/x?sslmode=require", "POSTGRES://svc:***@db:5433/x?sslmode=require"),
        // A password with '@' and '/' in it: the user information ends at the last '@'.
        ("postgresql://svc:p@ss/w@db/x", "postgresql://svc:***@db/x"),
        ("postgresql://svc@db/x?password=S3cret&sslmode=require", "postgresql://svc@db/x?password=***&sslmode=require"),
        ("host=db PASSWORD=S3cret dbname=x", "host=db PASSWORD=*** dbname=x"),
        ("--password=S3cret --user=svc", "--password=*** --user=svc"),
        ("cannot reach 'postgresql://svc:S3cret@db/x': refused | retry", "cannot reach 'postgresql://svc:***@db/x': refused | retry"),
        ("postgresql://db/x and password= alone", "postgresql://db/x and password= alone"),
        ("no secrets here: user:pass@host is not a URI", "no secrets here: user:pass@host is not a URI"),
        ("", ""),
        ("postgresql://", "postgresql://"),
        ("東京 postgresql://ü:秘密@db/x", "東京 postgresql://ü:***@db/x"),
    ])
    func passwordsAreHidden(text: String, shown: String) {
        #expect(PasswordRedaction.redact(text) == shown)
    }

    @Test func aFailedCommandsMessageHidesThePasswordInItsArgumentsAndStderr() {
        let error = SyncError.commandFailed(
            command: ["/srv/stats", "--db", "postgresql://svc:S3cret@db/x"], exitStatus: 2,
            stderr: ["connect postgresql://svc:S3cret@db/x failed", "password=S3cret rejected"])
        #expect(!error.description.contains("S3cret"))
        #expect(error.description.contains("\"/srv/stats --db postgresql://svc:***@db/x\""), "\(error.description)")
        let failure = SyncFailure(error)
        #expect(failure.command == ["/srv/stats", "--db", "postgresql://svc:***@db/x"])
        #expect(failure.stderrLines == ["connect postgresql://svc:***@db/x failed", "password=*** rejected"])
    }
}
