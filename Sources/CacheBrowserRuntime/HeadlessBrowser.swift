import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

/// The browser without a terminal: keys in, screens out, effects done synchronously.
/// Tests and the benchmark drive it; the terminal app does the same work asynchronously.
public final class HeadlessBrowser {
    public private(set) var state: BrowserState
    /// What the browser sent to the clipboard, oldest first (the terminal app writes it as OSC 52).
    public private(set) var clipboard: [Data] = []
    let runner: EffectRunner

    /// Starts the browser and loads its first screen.
    public init(
        source: any CacheBrowsing, options: BrowserOptions, now: Date, width: Int = 80, height: Int = 24,
        timeZone: TimeZone = .current, actions: (any StoreActions)? = nil,
        buildDocument: @escaping EffectRunner.DocumentBuilder
    ) {
        state = BrowserState(options: options, now: now, width: width, height: height, timeZone: timeZone)
        state.actionsAvailable = actions != nil
        runner = EffectRunner(source: source, mailbox: BrowserMailbox(), actions: actions, buildDocument: buildDocument)
        run(state.start())
    }

    /// Applies a message and everything it leads to.
    public func send(_ message: BrowserMessage) {
        run(state.update(message))
    }

    /// Applies a message as the terminal app does: the update and its frame at once, then the
    /// work it asked for (page loads, payloads) off the UI loop, and the frame that fills in.
    /// - Returns: the time to the first frame, and to the filled-in one.
    public func sendMeasured(_ message: BrowserMessage) -> (frame: Duration, filled: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let effects = state.update(message)
        _ = screen
        let frame = clock.now - start
        run(effects)
        _ = screen
        return (frame, clock.now - start)
    }

    /// Presses keys in order.
    public func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    /// Types text, one key per character.
    public func type(_ text: String) {
        for character in text { send(.key(.char(character))) }
    }

    /// Reports the store's change token, as the terminal app's watcher does.
    public func storeChanged(token: Int) {
        send(.storeChanged(token: token))
    }

    /// The current screen.
    public var screen: Screen { BrowserView.render(state) }

    func run(_ effects: [BrowserEffect]) {
        var queue = effects
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            if case .clipboard(let text) = effect {
                clipboard.append(text)
                continue
            }
            for message in runner.perform(effect) {
                queue += state.update(message)
            }
        }
    }
}
