import Foundation
import PackagePlugin

/// Embeds the git commit a build is made from in the target (`BuildInfo`), for `--version`.
///
/// A build command over `/bin/sh scripts/build-info.sh`, re-run whenever one of its inputs
/// changes: the git files that move with HEAD (HEAD itself, its reflog, the index) and every
/// source file of the package's own targets (for "with uncommitted changes"). Not a prebuild
/// command: SwiftPM runs those only when it re-plans the build (a changed Package.swift, a file
/// added), not before every build as documented (swiftlang/swift-package-manager#5476), so a
/// commit would have gone unseen.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let packageDirectory = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        let script = packageDirectory.appending(path: "scripts/build-info.sh")
        var inputs = [script, packageDirectory.appending(path: "Package.swift")]
        inputs += Self.filesMovingWithHead(packageDirectory: packageDirectory)
        for case let module as SourceModuleTarget in context.package.targets where module.kind != .test {
            inputs += module.sourceFiles.map(\.url)
        }
        return [
            .buildCommand(
                displayName: "Reading the git commit for \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [
                    script.path(percentEncoded: false),
                    packageDirectory.path(percentEncoded: false),
                    output.path(percentEncoded: false),
                ],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }

    /// The files git rewrites when HEAD moves, in this checkout's git directory: HEAD (a
    /// checkout of another branch), its reflog (every commit, reset, rebase, pull; an empty
    /// commit touches nothing else) and the index (staging). Only those that exist: outside a
    /// checkout there are none, and a missing input would stop the build.
    static func filesMovingWithHead(packageDirectory: URL) -> [URL] {
        let dotGit = packageDirectory.appending(path: ".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path(percentEncoded: false), isDirectory: &isDirectory)
        else { return [] }
        var gitDirectory = dotGit
        if !isDirectory.boolValue {
            // A worktree or submodule: `.git` is a file saying `gitdir: PATH`.
            guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
                let line = text.split(separator: "\n").first, line.hasPrefix("gitdir: ")
            else { return [] }
            let path = String(line.dropFirst("gitdir: ".count))
            gitDirectory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : packageDirectory.appending(path: path)
        }
        return ["HEAD", "logs/HEAD", "index"].map { gitDirectory.appending(path: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path(percentEncoded: false)) }
    }
}
