/// One key binding: keys, where, and what they do.
public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var context: KeyContext
    public var intent: KeyIntent

    public init(_ keys: [Key], _ context: KeyContext, _ intent: KeyIntent) {
        self.keys = keys
        self.context = context
        self.intent = intent
    }
}
