/// The colours of `sodarcache diff`'s lines: ANSI escapes around text, or nothing (not a
/// terminal, or `NO_COLOR`).
struct DiffPaint {
    let enabled: Bool

    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func bold(_ text: String) -> String { wrap(text, "1") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1b}[\(code)m" + text + "\u{1b}[0m" : text
    }
}
