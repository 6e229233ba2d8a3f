import CacheBrowser
import Testing

@Test func scratch() {
    let b = Fixture.browser()
    b.press(.down, .down, .enter, .enter, .enter)
    print(b.screen.text)
    b.press(.down, .enter)
    print(b.screen.text)
    b.press(.char("?"))
    print(b.screen.text)
}
