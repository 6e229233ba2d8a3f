/// A TOML date-time as written: an offset date-time, a local date-time, a local date or a
/// local time. Kept as fields, not as a `Date`: a local value names no instant.
public struct TOMLDateTime: Sendable, Hashable, CustomStringConvertible {
    public struct LocalDate: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
    }

    public struct LocalTime: Sendable, Hashable {
        public var hour: Int
        public var minute: Int
        /// 0 to 60 (a leap second).
        public var second: Int
        /// The digits after the seconds' `.`, as written ("" for none).
        public var fraction: String
    }

    public var date: LocalDate?
    public var time: LocalTime?
    /// Minutes east of UTC (`Z`: 0); nil for a local value.
    public var offsetMinutes: Int?

    /// RFC 3339 as TOML writes it: `1979-05-27T07:32:00.5-07:00`, `1979-05-27`, `07:32:00`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = ""
        if let date {
            let year = String(date.year)
            text += String(repeating: "0", count: max(0, 4 - year.count)) + year + "-\(two(date.month))-\(two(date.day))"
        }
        if let time {
            if date != nil { text += "T" }
            text += "\(two(time.hour)):\(two(time.minute)):\(two(time.second))"
            if !time.fraction.isEmpty { text += "." + time.fraction }
        }
        if let offsetMinutes {
            if offsetMinutes == 0 {
                text += "Z"
            } else {
                let magnitude = abs(offsetMinutes)
                text += (offsetMinutes < 0 ? "-" : "+") + "\(two(magnitude / 60)):\(two(magnitude % 60))"
            }
        }
        return text
    }

    /// "an offset date-time", "a local date-time", "a local date" or "a local time".
    public var kindName: String {
        if offsetMinutes != nil { return "an offset date-time" }
        switch (date, time) {
        case (.some, .some): return "a local date-time"
        case (.some, nil): return "a local date"
        default: return "a local time"
        }
    }
}
