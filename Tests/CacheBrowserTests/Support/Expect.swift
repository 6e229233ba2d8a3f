import CacheBrowser
import Testing

/// Compares a screen with the expected text (rows joined by newlines, trailing spaces trimmed).
func expectScreen(_ screen: Screen, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = screen.text
    #expect(actual == expected, "screen was:\n\(actual)", sourceLocation: sourceLocation)
}

/// One row of the screen as text.
func row(_ screen: Screen, _ index: Int) -> String {
    screen.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[index]
}
