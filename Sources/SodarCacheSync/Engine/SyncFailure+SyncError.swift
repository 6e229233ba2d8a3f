import SodarCache

extension SyncFailure {
    /// The failure an error thrown by a plugin (or by the store on commit) stands for.
    public init(_ error: any Error) {
        if let sync = error as? SyncError {
            // Shown in the browser's failure view and kept with the summary: passwords hidden,
            // as in the message.
            self.init(
                message: sync.description, command: sync.command?.map(PasswordRedaction.redact), exitStatus: sync.exitStatus,
                stderrLines: sync.stderrLines.map(PasswordRedaction.redact), outcomeUnknown: sync.outcomeUnknown,
                kind: sync.command == nil ? nil : sync.withoutCommandText)
        } else {
            self.init(message: String(describing: error))
        }
    }
}
