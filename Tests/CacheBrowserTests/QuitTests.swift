import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import Testing

/// q quits whatever the session may do.
@Suite struct QuitTests {
    @Test(arguments: [false, true])
    func qQuits(readOnly: Bool) {
        var state = BrowserState(
            options: BrowserOptions(storePath: "/srv/cache.db", readOnly: readOnly, capabilities: .full), now: Fixture.now, width: 100,
            height: 30)
        state.actionsAvailable = true
        _ = state.start()
        _ = state.update(.key(.char("q")))
        #expect(state.quitting)
    }
}
