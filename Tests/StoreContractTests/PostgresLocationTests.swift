import Foundation
import PostgresDriver
@testable import SodarCachePostgres
import Testing

/// Issue 21: several hosts in one URI and `target_session_attrs` reach libpq as libpq reads
/// them, and the password stays out of everything shown. No server needed.
@Suite struct PostgresLocationTests {
    @Test(arguments: [
        (
            "postgresql://sodar:Hunter2Secret@db1.example.org:5432,db2.example.org:5433/sodar?target_session_attrs=read-write",
            "postgresql://sodar@/sodar?host=db1.example.org,db2.example.org&port=5432,5433&target_session_attrs=read-write"
        ),
        (
            "postgresql://sodar:Hunter2Secret@/sodar?host=/run/pg-a,/run/pg-b&port=5432,5433&target_session_attrs=prefer-standby",
            "postgresql://sodar@/sodar?host=/run/pg-a,/run/pg-b&port=5432,5433&target_session_attrs=prefer-standby"
        ),
        (
            "postgresql:///sodar?host=db1,db2&user=sodar&password=Hunter2Secret&target_session_attrs=read-only",
            "postgresql://sodar@/sodar?host=db1,db2&target_session_attrs=read-only"
        ),
    ])
    func severalHostsAreShownWithTheirAttributesAndWithoutThePassword(uri: String, shown: String) throws {
        let location = try #require(PostgresLocation(uri))
        #expect(location.malformed == nil)
        #expect(location.description == shown)
        #expect(location.parsedPassword == "Hunter2Secret")
        #expect(!location.scrub("could not connect with \(uri): Hunter2Secret").contains("Hunter2Secret"))
    }

    @Test func theHostsAndTargetSessionAttrsReachLibpqUntouched() throws {
        let location = try #require(
            PostgresLocation("postgresql://sodar@db1:5432,db2:5433/sodar?target_session_attrs=read-write&connect_timeout=4"))
        let spec = try PostgresCacheStore.connectSpec(location, readOnly: false, settings: PostgresCacheStore.Settings())
        let parameters = Dictionary(spec.parameters, uniquingKeysWith: { _, last in last })
        #expect(parameters["host"] == "db1,db2")
        #expect(parameters["port"] == "5432,5433")
        #expect(parameters["target_session_attrs"] == "read-write")
        #expect(parameters["connect_timeout"] == "4")
        // A reachability check's own timeout wins over the URI's, once.
        var quick = PostgresCacheStore.Settings()
        quick.connectTimeout = 2
        let forced = try PostgresCacheStore.connectSpec(location, readOnly: true, settings: quick)
        #expect(forced.parameters.filter { $0.0 == "connect_timeout" }.map(\.1) == ["2"])
        // libpq checks target_session_attrs on connecting, before sodarcache's own read-only
        // settings are applied: they never make a primary look like a standby to it.
        #expect(!forced.parameters.contains { $0.0 == "options" || $0.0.contains("read_only") })
    }

    @Test func aRefusalOfEveryHostSaysWhatTargetSessionAttrsAskedFor() throws {
        let location = try #require(PostgresLocation("postgresql:///sodar?host=/a,/b&target_session_attrs=read-write"))
        let message = #"connection to server on socket "/b/.s.PGSQL.5432" failed: session is read-only"#
        #expect(PostgresCacheStore.sessionAttributesExplained(message, location)
            == message + " (no host of the URI is what target_session_attrs=read-write asks for)")
        #expect(PostgresCacheStore.sessionAttributesExplained("password authentication failed", location) == "password authentication failed")
        let any = try #require(PostgresLocation("postgresql:///sodar?host=/a"))
        #expect(PostgresCacheStore.sessionAttributesExplained(message, any) == message)
    }
}
