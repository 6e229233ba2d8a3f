import Foundation

/// Formatting of times and sizes for the browser's columns.
public enum BrowserFormat {
    /// "3m ago" style: seconds, minutes, hours, days, months, years; "now" for the future.
    public static func age(of date: Date, now: Date) -> String {
        // Dates come from the store: clamp, so that a corrupt one cannot overflow.
        let interval = now.timeIntervalSince(date)
        guard interval.isFinite, abs(interval) < 1e12 else { return interval > 0 ? "ages ago" : "now" }
        let seconds = Int(interval)
        if seconds < 1 { return "now" }
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        if seconds < 86400 { return "\(seconds / 3600)h ago" }
        if seconds < 86400 * 60 { return "\(seconds / 86400)d ago" }
        if seconds < 86400 * 365 { return "\(seconds / (86400 * 30))mo ago" }
        return "\(seconds / (86400 * 365))y ago"
    }

    /// "512 B", "1.5 KiB", "12.3 MiB", "2.0 GiB".
    public static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// At most 5 columns, for narrow panes: "512B", "1.5K", "12M", "2.0G".
    public static func shortSize(_ bytes: Int) -> String {
        bytes < 1000 ? "\(max(0, bytes))B" : scaled(Double(bytes) / 1024, step: 1024, units: ["K", "M", "G", "T", "P"])
    }

    /// At most 5 columns: "999", "1.2k", "12k", "1.2M".
    public static func shortCount(_ value: Int) -> String {
        value < 1000 ? "\(value)" : scaled(Double(value) / 1000, step: 1000, units: ["k", "M", "G"])
    }

    /// `value` in `units[0]`, moved up a unit per `step` while it would need four digits; one
    /// decimal under 10.
    private static func scaled(_ value: Double, step: Double, units: [String]) -> String {
        var value = value
        var unit = 0
        while value >= 999.5, unit < units.count - 1 {
            value /= step
            unit += 1
        }
        if value < 9.95 {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(tenths % 10)\(units[unit])"
        }
        return "\(Int(value.rounded()))\(units[unit])"
    }

    /// At most 4 columns: "now", "42s", "12m", "3h", "5d", "11mo", "2y" ("ages" for a corrupt date).
    public static func shortAge(of date: Date, now: Date) -> String {
        let long = age(of: date, now: now)
        return long.hasSuffix(" ago") ? String(long.dropLast(4)) : long
    }

    /// A proportional bar, as ncdu draws one: `share` (0...1) of `width` cells in eighths; a
    /// share above zero shows at least a sliver.
    public static func bar(_ share: Double, width: Int) -> String {
        guard width > 0, share.isFinite else { return "" }
        let eighths = share <= 0 ? 0 : max(1, Int((min(1, share) * Double(width * 8)).rounded()))
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
        text += String(repeating: " ", count: width - (eighths / 8) - (eighths % 8 == 0 ? 0 : 1))
        return text
    }

    /// "1,234,567".
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// "1 item", "2 items", "1,234 projects": a count with its noun, plural when not one.
    public static func counted(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        count(value) + " " + (value == 1 ? noun : plural ?? noun + "s")
    }

    /// Exact local time with the zone: "2026-11-25 14:52:47 +0100 (CET)".
    public static func exactTime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        var text = "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
        text += " \(sign)\(two(hours))\(two(minutes))"
        if let abbreviation = timeZone.abbreviation(for: date), !abbreviation.hasPrefix("GMT") || abbreviation == "GMT" {
            text += " (\(abbreviation))"
        }
        return text
    }

    /// Local time to the minute, as `sodarcache trash` lists deletes: "2026-12-07 11:40".
    public static func minuteTime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// Elapsed time as "m:ss" (or "h:mm:ss").
    public static func elapsed(_ seconds: TimeInterval) -> String {
        let total = seconds.isFinite ? Int(min(max(seconds, 0), 1e12).rounded(.down)) : 0
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }

    /// A threshold like `--stale-after` takes it: "7d", "12h", "30m", "45s".
    public static func duration(_ seconds: TimeInterval) -> String {
        let total = seconds.isFinite ? Int(min(max(seconds, 0), 1e12).rounded()) : 0
        if total > 0, total % 86400 == 0 { return "\(total / 86400)d" }
        if total > 0, total % 3600 == 0 { return "\(total / 3600)h" }
        if total > 0, total % 60 == 0 { return "\(total / 60)m" }
        return "\(total)s"
    }
}
