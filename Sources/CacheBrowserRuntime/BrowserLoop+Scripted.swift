import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

/// The browser's loop on a `ScriptedTerminal`.
public typealias ScriptedBrowser = BrowserLoop<ScriptedTerminal>

// Driving the real loop headless: keys in, frames out.
extension BrowserLoop where Terminal == ScriptedTerminal {
    /// The browser on a scripted terminal whose clock stands at `now`, its effects held and run
    /// in order as `settle` asks, so every run draws the same frames. Starts it and settles:
    /// the first screen is loaded.
    public convenience init(
        source: any CacheBrowsing, options: BrowserOptions, now: Date, width: Int = 80, height: Int = 24,
        timeZone: TimeZone = .current, actions: (any StoreActions)? = nil, pageSize: Int? = nil,
        buildDocument: @escaping EffectRunner.DocumentBuilder = JSONPayloadDocument.build
    ) {
        self.init(
            terminal: ScriptedTerminal(width: width, height: height, now: now), source: source, options: options,
            actions: actions, timeZone: timeZone, executor: ManualEffectExecutor(), pageSize: pageSize,
            buildDocument: buildDocument)
        settle()
    }

    /// Steps until nothing is left to do: no input to read, no result posted, no effect held.
    /// The effects held when the loop turns run together, oldest first, as if each lane had
    /// answered before the next turn. (Effects on queues of their own, with a
    /// `DispatchEffectExecutor`, are not waited for.)
    public func settle() {
        start()
        while true {
            var ran = false
            while runner.executor.runNext() { ran = true }
            guard ran || terminal.hasInput || !mailbox.isEmpty else { return }
            step(timeout: .zero)
        }
    }

    /// Delivers a message as it would come, and settles: keys, clicks and resizes through the
    /// terminal, a tick by setting its clock, anything else (results, store changes) through
    /// the mailbox.
    public func send(_ message: BrowserMessage) {
        switch message {
        case .key(let key): terminal.send(.key(key))
        case .mouse(let event): terminal.send(.mouse(event))
        case .resize(let width, let height): terminal.send(.resize(width: width, height: height))
        case .tick(let date):
            terminal.setClock(date)
            mailbox.post(message)
        default: mailbox.post(message)
        }
        settle()
    }

    /// Presses keys in order, each once the last one's work is done.
    public func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    /// Types text, one key per character.
    public func type(_ text: String) {
        for character in text { send(.key(.char(character))) }
    }

    /// Reports the store's change token, as the watcher does.
    public func storeChanged(token: Int) {
        send(.storeChanged(token: token))
    }

    /// The last frame drawn.
    public var screen: Screen { terminal.screen }

    /// What was put on the clipboard (as OSC 52 on a real terminal), oldest first.
    public var clipboard: [Data] { terminal.clipboard }
}
