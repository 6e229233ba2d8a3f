/// What `sodarcache --version` prints: the release and the commit it was built from.
enum VersionText {
    /// The release this source tree is; scripts/package.sh names the Debian package after it.
    static let release = "0.9.0"

    /// `sodarcache 0.9.0 (commit 1a2b3c4d5e6f)`, with `, with uncommitted changes` when the
    /// checkout differed from it, or the reason there is no commit (`built outside a git checkout`).
    static var line: String {
        line(commit: BuildInfo.commit, modified: BuildInfo.modified, missingCommitReason: BuildInfo.missingCommitReason)
    }

    static func line(commit: String?, modified: Bool, missingCommitReason: String?) -> String {
        guard let commit else {
            return "sodarcache \(release) (\(missingCommitReason ?? "built without git"): commit unknown)"
        }
        // 12 hex digits: unambiguous in this repository for years, short enough to read out.
        let short = String(commit.prefix(12))
        return "sodarcache \(release) (commit \(short)\(modified ? ", with uncommitted changes" : ""))"
    }
}
