/// Why the terminal browser cannot start.
public enum TerminalError: Error, CustomStringConvertible, Equatable, Sendable {
    case notATerminal
    case noTermVariable
    case dumbTerminal
    case unknownTerminal(String)
    case missingCapability(term: String, capability: String)
    case startFailed(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "The browser needs an interactive terminal (stdin and stdout are not a TTY); use `sodarcache list`/`get` in scripts"
        case .noTermVariable:
            return "TERM is not set: cannot drive the terminal (try TERM=xterm-256color)"
        case .dumbTerminal:
            return "TERM=dumb cannot draw the browser (try TERM=xterm-256color)"
        case .unknownTerminal(let term):
            return "Unknown terminal type TERM=\(term) (no terminfo entry; try TERM=xterm-256color)"
        case .missingCapability(let term, let capability):
            return "Terminal TERM=\(term) cannot \(capability); the browser needs a full-screen terminal"
        case .startFailed(let term):
            return "Cannot start the terminal (TERM=\(term))"
        }
    }
}
