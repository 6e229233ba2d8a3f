import Foundation

/// Who makes a change, as the trash (and the audit) records it: the OS user, the host and the
/// command. The database role is the engine's to add (it knows the session's).
public struct ChangeAttribution: Sendable, Hashable {
    public var osUser: String
    public var host: String
    /// The command as a user would recognise it ("deletecache", "browse"): never its full
    /// arguments, which may carry a URI with a password or a payload.
    public var command: String

    public init(osUser: String, host: String, command: String) {
        self.osUser = osUser
        self.host = host
        self.command = command
    }

    /// This process's user and host, running `command`.
    public static func thisProcess(command: String) -> ChangeAttribution {
        ChangeAttribution(osUser: currentUserName(), host: ProcessInfo.processInfo.hostName, command: command)
    }

    /// An API call from an app or a test, outside any command.
    public static let library = ChangeAttribution.thisProcess(command: "api")

    static func currentUserName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }
}
