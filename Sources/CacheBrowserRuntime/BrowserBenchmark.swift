import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

/// Key latency and the first full frame, measured through the real loop (`BrowserLoop`) on a
/// `ScriptedTerminal` with the effects on their own queues, as the terminal app runs them.
public enum BrowserBenchmark {
    /// Timings of one run, in seconds.
    public struct Result: Sendable {
        /// From creating the loop to its first full frame (totals and first pages loaded), as
        /// `run()` reaches it.
        public var firstFrame: Double
        /// Each key to its frame: read, update, view and draw, before any page load it asked
        /// for has answered.
        public var frames: [Double]
        /// Each key to the frame that shows what it loaded (pages and payloads, read on the
        /// runner's queues).
        public var filled: [Double] = []
        /// The key of each frame.
        public var keys: [Key] = []

        public func percentile(_ p: Double) -> Double {
            guard !frames.isEmpty else { return 0 }
            let sorted = frames.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
        }

        public var summary: String {
            func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }
            // The slowest keys, by label, so a slow one can be told from a noisy box.
            var slowest: [String: Double] = [:]
            for (key, time) in zip(keys, frames) { slowest[key.label] = max(slowest[key.label] ?? 0, time) }
            let worst = slowest.sorted { $0.value > $1.value }.prefix(4).map { "\($0.key) \(ms($0.value))" }
            let filledSorted = filled.sorted()
            func filledAt(_ p: Double) -> Double {
                filledSorted.isEmpty ? 0 : filledSorted[min(filledSorted.count - 1, Int(Double(filledSorted.count - 1) * p))]
            }
            return "first frame \(ms(firstFrame)); \(frames.count) keys -> frame: p50 \(ms(percentile(0.5))), "
                + "p99 \(ms(percentile(0.99))), max \(ms(frames.max() ?? 0)); slowest keys: " + worst.joined(separator: ", ")
                + "; keys -> filled-in frame (with the page loads): p50 \(ms(filledAt(0.5))), p99 \(ms(filledAt(0.99))), "
                + "max \(ms(filledSorted.last ?? 0))"
        }
    }

    /// Presses `frames` navigation keys: down through the project tree (paging as it goes),
    /// into the apps and items, down the items, opening payloads, and back; folding, ordering.
    public static func renderFrames(
        source: any CacheBrowsing, options: BrowserOptions, frames: Int, width: Int = 120, height: Int = 40,
        buildDocument: @escaping EffectRunner.DocumentBuilder
    ) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let browser = BrowserLoop(
            terminal: ScriptedTerminal(width: width, height: height), source: source, options: options,
            buildDocument: buildDocument)
        _ = browser.run(watchInterval: nil, onFirstFullFrame: { true })
        let firstFrame = seconds(clock.now - start)
        let script: [Key] =
            Array(repeating: .char("j"), count: 30) + [.pageDown, .pageDown, .enter, .char("j"), .enter]
            + Array(repeating: .char("j"), count: 20) + [.pageDown, .char("G"), .char("g"), .enter, .char("j"), .char("j")]
            + [.pageDown, .escape, .escape, .escape, .char("j")]
            // The project tree: fold the selection (or say it cannot), order by size, latest
            // and name again, fold and unfold every category.
            + [.char(" "), .char("j"), .char("o"), .char("j"), .char("o"), .char("o"), .char("z"), .char("j"), .char("Z")]
        var timings: [Double] = []
        var filled: [Double] = []
        var pressed: [Key] = []
        timings.reserveCapacity(frames)
        for i in 0..<frames {
            let key = script[i % script.count]
            let (frame, complete) = measure(key, in: browser)
            timings.append(seconds(frame))
            filled.append(seconds(complete))
            pressed.append(key)
        }
        browser.shutdown()
        return Result(firstFrame: firstFrame, frames: timings, filled: filled, keys: pressed)
    }

    /// Presses `key` in a running loop: the time to the frame the key gets at once, and to the
    /// frame that shows what it loaded (at most `patience` later).
    public static func measure(
        _ key: Key, in browser: BrowserLoop<ScriptedTerminal>, patience: Duration = .seconds(60)
    ) -> (frame: Duration, filled: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let drawn = browser.terminal.frames
        browser.terminal.send(.key(key))
        while browser.terminal.frames == drawn && clock.now - start < patience {
            browser.step(timeout: .milliseconds(50))
        }
        let frame = clock.now - start
        while browser.isLoading && clock.now - start < patience {
            browser.step(timeout: .milliseconds(50))
        }
        return (frame, clock.now - start)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
