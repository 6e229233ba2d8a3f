import Foundation
import SodarCache
import SodarCacheMemory
import SodarCacheSync

#if canImport(Glibc)
    import Glibc
#endif

/// `sodarcache-bench filestats [DIR]`: the filestats app's sync time beside
/// `du -s --apparent-size` on the same tree, in one run. Without DIR a tree of 200,000 files
/// is generated in a temporary directory (and removed afterwards).
enum FilestatsBench {
    static func run(_ arguments: [String]) {
        var root = arguments.first
        var generated: String? = nil
        if root == nil {
            let dir = NSTemporaryDirectory() + "sodarcache-filestats-bench-\(getpid())"
            print("generating 200,000 files under \(dir) ...")
            let start = Date()
            generate(dir, top: 20, middle: 50, files: 200)
            print(String(format: "generated in %.1f s", Date().timeIntervalSince(start)))
            root = dir
            generated = dir
        }
        guard let root else { return }
        defer {
            if let generated { try? FileManager.default.removeItem(atPath: generated) }
        }

        // Warm the page and dentry caches once for both sides.
        _ = du(root)
        _ = try? FileTreeStats.scan(root: root)

        var duTimes: [Double] = []
        var appTimes: [Double] = []
        var duOutput = ""
        var summary = ""
        for _ in 0..<5 {
            let t0 = Date()
            duOutput = du(root)
            duTimes.append(Date().timeIntervalSince(t0))

            // The in-memory store: the figure is the plugin's own work, not a disk's.
            let sink = MemoryCacheStore(registeredApps: [FileStatsPlugin.appName])
            let project: Project
            do {
                project = try sink.addProject(Project(title: "bench", path: root))
            } catch {
                print("filestats failed: \(error)")
                return
            }
            let t1 = Date()
            do {
                try FileStatsPlugin().updateCache(name: nil, project: project, user: nil, cache: sink)
            } catch {
                print("filestats failed: \(error)")
                return
            }
            appTimes.append(Date().timeIntervalSince(t1))
            summary = sink.allItems.first { $0.name == FileStatsPlugin.summaryItem }.map { String(decoding: $0.data, as: UTF8.self) } ?? "none"
        }
        let duMedian = median(duTimes)
        let appMedian = median(appTimes)
        print("tree: \(root)")
        print("filestats stats/summary: \(summary)")
        print("du -s --apparent-size:   \(duOutput)")
        print(String(format: "du -s --apparent-size: median %.3f s (runs: %@)", duMedian, list(duTimes)))
        print(String(format: "filestats sync:        median %.3f s (runs: %@)", appMedian, list(appTimes)))
        print(String(format: "ratio filestats/du:    %.2f (target <= 1.30)", appMedian / duMedian))
    }

    /// top x middle directories with `files` files each; sizes 0..4095 bytes.
    private static func generate(_ root: String, top: Int, middle: Int, files: Int) {
        var counter = 0
        for t in 0..<top {
            for m in 0..<middle {
                let dir = "\(root)/assay_\(t)/row_\(m)"
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                for f in 0..<files {
                    counter += 1
                    let size = (counter &* 2_654_435_761) % 4096
                    let fd = open("\(dir)/sample_\(f).fastq.gz", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                    guard fd >= 0 else { continue }
                    if size > 0 { _ = ftruncate(fd, off_t(size)) }
                    close(fd)
                }
            }
        }
    }

    private static func du(_ root: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/du")
        process.arguments = ["-s", "--apparent-size", "--block-size=1", root]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            return "du failed: \(error)"
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    private static func list(_ values: [Double]) -> String {
        values.map { String(format: "%.3f", $0) }.joined(separator: " ")
    }
}
