import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

/// A headless measure of key latency: navigation keys through `update` and `view`.
public enum BrowserBenchmark {
    /// Timings of one run, in seconds.
    public struct Result: Sendable {
        /// From creating the browser to its first full frame (first pages loaded).
        public var firstFrame: Double
        /// Each key's frame: the update and the view, as the terminal app draws it before any
        /// page load it asked for has answered.
        public var frames: [Double]
        /// Each key to the frame that shows what it loaded (pages, payloads read synchronously).
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

    /// Renders `frames` navigation frames: down through the project tree (paging as it goes),
    /// into the apps and items, down the items, opening payloads, and back; folding, ordering.
    public static func renderFrames(
        source: any CacheBrowsing, options: BrowserOptions, frames: Int, width: Int = 120, height: Int = 40,
        buildDocument: @escaping EffectRunner.DocumentBuilder
    ) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let browser = HeadlessBrowser(
            source: source, options: options, now: Date(), width: width, height: height, buildDocument: buildDocument)
        _ = browser.screen
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
            let (frame, complete) = browser.sendMeasured(.key(key))
            timings.append(seconds(frame))
            filled.append(seconds(complete))
            pressed.append(key)
        }
        return Result(firstFrame: firstFrame, frames: timings, filled: filled, keys: pressed)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
