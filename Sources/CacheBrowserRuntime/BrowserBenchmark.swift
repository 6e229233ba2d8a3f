import CacheBrowser
import Foundation
import SodarCache

/// A headless measure of key latency: navigation keys through `update` and `view`.
public enum BrowserBenchmark {
    /// Timings of one run, in seconds.
    public struct Result: Sendable {
        /// From creating the browser to its first full frame (first pages loaded).
        public var firstFrame: Double
        /// Each navigation frame: update (with any page loads it triggers) plus view.
        public var frames: [Double]

        public func percentile(_ p: Double) -> Double {
            guard !frames.isEmpty else { return 0 }
            let sorted = frames.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
        }

        public var summary: String {
            func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }
            return "first frame \(ms(firstFrame)); \(frames.count) frames: p50 \(ms(percentile(0.5))), "
                + "p99 \(ms(percentile(0.99))), max \(ms(frames.max() ?? 0))"
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
        timings.reserveCapacity(frames)
        for i in 0..<frames {
            let key = script[i % script.count]
            let begin = clock.now
            browser.send(.key(key))
            _ = browser.screen
            timings.append(seconds(clock.now - begin))
        }
        return Result(firstFrame: firstFrame, frames: timings)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
