import SodarCache

extension SyncFailure {
    /// The failure an error thrown by a plugin (or by the store on commit) stands for.
    public init(_ error: any Error) {
        if let sync = error as? SyncError {
            self.init(
                message: sync.description, command: sync.command, exitStatus: sync.exitStatus,
                stderrLines: sync.stderrLines, outcomeUnknown: sync.outcomeUnknown,
                kind: sync.command == nil ? nil : sync.withoutCommandText)
        } else {
            self.init(message: String(describing: error))
        }
    }
}
