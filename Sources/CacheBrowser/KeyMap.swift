/// Maps keys to intents per context. The help overlay and the hint bar are generated from
/// it, so a new binding (issue 6 adds sync and delete keys) shows up in both.
public struct KeyMap: Sendable, Hashable {
    public var bindings: [KeyBinding]
    /// What the hint bar offers per context, in order, with a short label.
    public var hints: [KeyContext: [(KeyIntent, String)]]

    public init(bindings: [KeyBinding], hints: [KeyContext: [(KeyIntent, String)]] = [:]) {
        self.bindings = bindings
        self.hints = hints
    }

    public static func == (lhs: KeyMap, rhs: KeyMap) -> Bool {
        lhs.bindings == rhs.bindings
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bindings)
    }

    /// The intent of a key in a context: the context's own binding wins over a global one.
    public func intent(for key: Key, in context: KeyContext) -> KeyIntent? {
        if let hit = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) {
            return hit.intent
        }
        return bindings.first(where: { $0.context == .global && $0.keys.contains(key) })?.intent
    }

    /// The keys bound to an intent in a context (or globally), for hints.
    public func keys(for intent: KeyIntent, in context: KeyContext) -> [Key] {
        bindings.filter { $0.intent == intent && ($0.context == context || $0.context == .global) }
            .flatMap(\.keys)
    }

    /// The browser's bindings.
    public static let standard = KeyMap(bindings: [
        KeyBinding([.up, .char("k")], .global, .moveUp),
        KeyBinding([.down, .char("j")], .global, .moveDown),
        KeyBinding([.pageUp, .ctrl("b")], .global, .pageUp),
        KeyBinding([.pageDown, .ctrl("f")], .global, .pageDown),
        KeyBinding([.char("g"), .home], .global, .top),
        KeyBinding([.char("G"), .end], .global, .bottom),
        KeyBinding([.enter, .char("l"), .right], .lists, .drillIn),
        KeyBinding([.escape, .char("h"), .left, .backspace], .global, .back),
        KeyBinding([.tab], .global, .nextPane),
        KeyBinding([.backTab], .global, .previousPane),
        KeyBinding([.char("/")], .lists, .filter),
        KeyBinding([.char("o")], .lists, .cycleSort),
        KeyBinding([.char("r")], .global, .reload),
        KeyBinding([.enter, .char(" "), .char("l"), .right], .payload, .toggleFold),
        KeyBinding([.char("z")], .payload, .foldAll),
        KeyBinding([.char("Z")], .payload, .unfoldAll),
        KeyBinding([.char("z")], .lists, .foldAll),
        KeyBinding([.char("Z")], .lists, .unfoldAll),
        KeyBinding([.char("/")], .payload, .search),
        KeyBinding([.char("n")], .payload, .searchNext),
        KeyBinding([.char("N")], .payload, .searchPrevious),
        KeyBinding([.char("w")], .payload, .toggleWrap),
        KeyBinding([.char(">")], .payload, .scrollRight),
        KeyBinding([.char("<")], .payload, .scrollLeft),
        KeyBinding([.char("y")], .payload, .copyValue),
        KeyBinding([.char("Y")], .payload, .copyPath),
        KeyBinding([.char("e")], .payload, .saveJSON),
        KeyBinding([.char("s")], .global, .syncSelection),
        KeyBinding([.char("S")], .global, .syncAll),
        KeyBinding([.char("c")], .global, .cancelTask),
        KeyBinding([.char("F")], .global, .showFailures),
        KeyBinding([.char("!")], .global, .showFindings),
        KeyBinding([.char("P")], .global, .previewSync),
        KeyBinding([.char("C")], .global, .showChanges),
        KeyBinding([.char("L")], .global, .showAudit),
        KeyBinding([.char("d"), .delete], .global, .deleteItem),
        KeyBinding([.char("D")], .global, .deleteGroup),
        KeyBinding([.char("x")], .global, .deleteStale),
        KeyBinding([.char("u")], .global, .undoDelete),
        KeyBinding([.char(" ")], .lists, .toggleMark),
        KeyBinding([.char("U")], .global, .clearMarks),
        KeyBinding([.char("H")], .lists, .showVersions),
        KeyBinding([.char("H")], .payload, .showVersions),
        KeyBinding([.enter, .char("l"), .right], .versions, .drillIn),
        KeyBinding([.char("]")], .diff, .nextChange),
        KeyBinding([.char("[")], .diff, .previousChange),
        KeyBinding([.char(">")], .diff, .scrollRight),
        KeyBinding([.char("<")], .diff, .scrollLeft),
        KeyBinding([.char("?")], .global, .help),
        KeyBinding([.char("q"), .ctrl("c")], .global, .quit),
    ], hints: [
        .lists: [
            (.drillIn, "open"), (.back, "back"), (.syncSelection, "sync"), (.deleteItem, "del"),
            (.toggleMark, "mark"), (.help, "help"), (.quit, "quit"), (.nextPane, "pane"), (.filter, "filter"),
            (.cycleSort, "sort"), (.reload, "reload"), (.showVersions, "versions"), (.previewSync, "preview"),
            (.showAudit, "log"),
        ],
        .payload: [
            (.toggleFold, "fold"), (.foldAll, "all"), (.unfoldAll, "none"), (.search, "search"),
            (.searchNext, "next"), (.back, "back"), (.help, "help"), (.quit, "quit"), (.copyValue, "copy"),
            (.toggleWrap, "wrap"), (.saveJSON, "save"), (.showVersions, "diff"), (.syncSelection, "sync"), (.deleteItem, "del"),
        ],
        .versions: [(.drillIn, "diff"), (.back, "back"), (.reload, "reload"), (.help, "help"), (.quit, "quit")],
        .diff: [
            (.nextChange, "next change"), (.previousChange, "previous"), (.back, "back"), (.help, "help"), (.quit, "quit"),
        ],
    ])
}
