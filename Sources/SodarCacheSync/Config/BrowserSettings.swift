/// Settings for the terminal browser (`[browser]`).
public struct BrowserSettings: Sendable, Hashable {
    /// `y`/`Y` may copy to the terminal's clipboard with OSC 52 (`clipboard = false` sends nothing).
    public var clipboard = true
    /// Read clicks and the wheel (`mouse = false`, like `--no-mouse`, leaves the mouse to the
    /// terminal's own text selection).
    public var mouse = true

    public init(clipboard: Bool = true, mouse: Bool = true) {
        self.clipboard = clipboard
        self.mouse = mouse
    }

    /// The keys of the table, for the unknown-key message.
    static let keys = ["clipboard", "mouse"]

    /// Reads `[browser]`; `fail` makes the error for a key path (it knows the file and the line).
    static func parse(_ value: TOMLValue?, fail: ([String], String) -> SyncError) throws -> BrowserSettings {
        guard let value else { return BrowserSettings() }
        guard let table = value.table else {
            throw fail(["browser"], "expected a table, got \(SodarConfig.describe(value))")
        }
        var settings = BrowserSettings()
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            let path = ["browser", key]
            func flag() throws -> Bool {
                guard let flag = entry.boolean else { throw fail(path, "expected true or false, got \(SodarConfig.describe(entry))") }
                return flag
            }
            switch key {
            case "clipboard": settings.clipboard = try flag()
            case "mouse": settings.mouse = try flag()
            default: throw fail(path, "unknown key (known: \(keys.joined(separator: ", ")))")
            }
        }
        return settings
    }
}
