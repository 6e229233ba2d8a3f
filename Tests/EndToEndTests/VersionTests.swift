import Foundation
import Testing

/// `sodarcache --version`: the release and the commit the binary was built from, read at build
/// time by scripts/build-info.sh (run by the BuildInfoPlugin), which must never fail a build.
@Suite(.serialized) struct VersionTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("scripts/build-info.sh").path

    // MARK: - The built binary

    @Test func versionNamesTheCommitTheBinaryWasBuiltFrom() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = result.stdout.trimmingCharacters(in: .newlines)
        let match = try #require(line.wholeMatch(of: /sodarcache [0-9]+\.[0-9]+\.[0-9]+ \((.+)\)/), "\(line)")
        let origin = String(match.1)

        let head = try git(["rev-parse", "HEAD"], in: Self.packageRoot.path)
        let top = try git(["rev-parse", "--show-toplevel"], in: Self.packageRoot.path)
        let inCheckout = head.status == 0 && top.status == 0
            && URL(fileURLWithPath: top.stdout.trimmingCharacters(in: .newlines)).resolvingSymlinksInPath().path
                == Self.packageRoot.resolvingSymlinksInPath().path
        if inCheckout {
            // Tests run the binary `swift test` has just built from this tree.
            let commit = String(head.stdout.trimmingCharacters(in: .newlines).prefix(12))
            let status = try git(
                ["status", "--porcelain", "--", "Package.swift", "Sources", "Plugins", "scripts/build-info.sh"],
                in: Self.packageRoot.path)
            let modified = !status.stdout.isEmpty
            #expect(origin == "commit \(commit)" + (modified ? ", with uncommitted changes" : ""))
        } else {
            #expect(origin.hasSuffix(": commit unknown"), "\(line)")
        }
    }

    @Test func helpListsTheVersionFlag() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--version"))
    }

    // MARK: - The script the build runs

    @Test func aCheckoutGivesItsCommitAndTheFileIsRewrittenOnlyWhenItChanges() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let package = try dir.package(named: "pkg")
        try #require(try git(["init", "-q"], in: package).status == 0)
        let first = try commit(in: package, "first")
        let output = dir.path("out/BuildInfo.swift")

        try runScript(package: package, output: output)
        var info = try BuildInfoFile(path: output)
        #expect(info.commit == first)
        #expect(info.modified == false)
        #expect(info.reason == nil)

        // Nothing moved: the file keeps its modification time, so nothing is recompiled.
        let written = try modificationDate(output)
        try runScript(package: package, output: output)
        #expect(try modificationDate(output) == written)

        // An edit to a source, and a new source not yet added, are uncommitted changes.
        try Data("let x = 2\n".utf8).write(to: URL(fileURLWithPath: package + "/Sources/app/main.swift"))
        try runScript(package: package, output: output)
        info = try BuildInfoFile(path: output)
        #expect(info.commit == first && info.modified == true)
        try #require(try git(["checkout", "-q", "--", "Sources"], in: package).status == 0)
        try Data("let y = 1\n".utf8).write(to: URL(fileURLWithPath: package + "/Sources/app/new.swift"))
        try runScript(package: package, output: output)
        #expect(try BuildInfoFile(path: output).modified == true)
        try FileManager.default.removeItem(atPath: package + "/Sources/app/new.swift")

        // A README is not part of the binary.
        try Data("edited\n".utf8).write(to: URL(fileURLWithPath: package + "/README.md"))
        try runScript(package: package, output: output)
        #expect(try BuildInfoFile(path: output).modified == false)

        // HEAD moves, even by an empty commit: the file names the new commit.
        let second = try commit(in: package, "second", allowEmpty: true)
        #expect(second != first)
        try runScript(package: package, output: output)
        #expect(try BuildInfoFile(path: output).commit == second)
    }

    @Test func aTreeOutsideAnyCheckoutSaysSo() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let package = try dir.package(named: "unpacked")
        let output = dir.path("out/BuildInfo.swift")
        try runScript(package: package, output: output)
        let info = try BuildInfoFile(path: output)
        #expect(info.commit == nil)
        #expect(info.reason == "built outside a git checkout")
    }

    @Test func aTreeUnpackedInsideAnotherRepositoryDoesNotTakeItsCommit() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let outer = dir.path("outer")
        try FileManager.default.createDirectory(atPath: outer, withIntermediateDirectories: true)
        try #require(try git(["init", "-q"], in: outer).status == 0)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: outer + "/file"))
        _ = try commit(in: outer, "outer")
        let package = try dir.package(named: "outer/vendor/sodarcache")
        let output = dir.path("out/BuildInfo.swift")
        try runScript(package: package, output: output)
        let info = try BuildInfoFile(path: output)
        #expect(info.commit == nil)
        #expect(info.reason == "built outside a git checkout")
    }

    @Test func aCheckoutGitCannotReadIsNotCalledOutside() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let package = try dir.package(named: "pkg")
        // A worktree whose repository has gone.
        try Data("gitdir: /nonexistent/.git/worktrees/pkg\n".utf8).write(to: URL(fileURLWithPath: package + "/.git"))
        let output = dir.path("out/BuildInfo.swift")
        try runScript(package: package, output: output)
        let info = try BuildInfoFile(path: output)
        #expect(info.commit == nil)
        #expect(info.reason == "built from a git checkout that git could not read")
    }

    @Test func noGitOnThePathStillWritesTheFile() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let package = try dir.package(named: "pkg")
        try #require(try git(["init", "-q"], in: package).status == 0)
        _ = try commit(in: package, "first")
        // A PATH with the tools the script uses, git left out.
        let bin = dir.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for tool in ["cat", "mkdir", "dirname", "mv"] {
            let found = try CLI.run(["-c", "command -v \(tool)"], shell: true).stdout.trimmingCharacters(in: .newlines)
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + tool, withDestinationPath: found)
        }
        let output = dir.path("out/BuildInfo.swift")
        try runScript(package: package, output: output, env: ["PATH": bin])
        let info = try BuildInfoFile(path: output)
        #expect(info.commit == nil)
        #expect(info.reason == "built where git was not found")
    }

    // MARK: - Helpers

    /// The fields of a generated BuildInfo.swift, read back from its text.
    struct BuildInfoFile {
        var commit: String?
        var modified: Bool?
        var reason: String?

        init(path: String) throws {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            func value(_ name: String) -> String? {
                for line in text.split(separator: "\n") where line.contains("static let \(name)") {
                    return line.split(separator: "=", maxSplits: 1).last.map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                }
                return nil
            }
            func string(_ literal: String?) -> String? {
                guard let literal, literal != "nil" else { return nil }
                return String(literal.dropFirst().dropLast())
            }
            commit = string(value("commit"))
            modified = value("modified").map { $0 == "true" }
            reason = string(value("missingCommitReason"))
        }
    }

    /// A temporary directory with package-shaped trees in it.
    struct Scratch {
        let root: String

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-version-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        func path(_ relative: String) -> String { root + "/" + relative }

        /// A directory holding a Package.swift, a source and a README.
        func package(named name: String) throws -> String {
            let dir = path(name)
            try FileManager.default.createDirectory(atPath: dir + "/Sources/app", withIntermediateDirectories: true)
            try Data("// swift-tools-version: 6.1\n".utf8).write(to: URL(fileURLWithPath: dir + "/Package.swift"))
            try Data("let x = 1\n".utf8).write(to: URL(fileURLWithPath: dir + "/Sources/app/main.swift"))
            try Data("readme\n".utf8).write(to: URL(fileURLWithPath: dir + "/README.md"))
            return dir
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    private func runScript(package: String, output: String, env: [String: String] = [:]) throws {
        let result = try CLI.run([Self.script, package, output], env: env, shell: true)
        #expect(result.status == 0, "\(result.stderr)")
    }

    private func git(_ arguments: [String], in directory: String) throws -> CLI.Result {
        try CLI.run(["-c", "exec git \"$@\"", "git"] + arguments, cwd: directory, shell: true)
    }

    /// Commits everything in `directory`, returning the new commit's hash.
    private func commit(in directory: String, _ message: String, allowEmpty: Bool = false) throws -> String {
        try #require(try git(["add", "-A"], in: directory).status == 0)
        let result = try git(
            ["-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", message]
                + (allowEmpty ? ["--allow-empty"] : []),
            in: directory)
        try #require(result.status == 0, "\(result.stderr)")
        return try git(["rev-parse", "HEAD"], in: directory).stdout.trimmingCharacters(in: .newlines)
    }

    private func modificationDate(_ path: String) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }
}
