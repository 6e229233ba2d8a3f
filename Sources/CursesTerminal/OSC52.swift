import Foundation

/// The escape sequence that sets the terminal's clipboard: `ESC ] 52 ; c ; <base64> BEL`.
///
/// It works through SSH, and in tmux with `set-clipboard on` (tmux keeps it as a paste buffer
/// and passes it on to the outer terminal). The text travels as base64, so whatever a payload
/// holds cannot end the sequence early or smuggle in another one.
public enum OSC52 {
    /// The sequence that puts `text` on the clipboard (selection `c`).
    public static func sequence(for text: Data) -> Data {
        var out = Data("\u{1B}]52;c;".utf8)
        out.append(text.base64EncodedData())
        out.append(0x07)
        return out
    }
}
