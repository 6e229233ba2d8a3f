import StoreKernel
/// Deterministic random JSON texts for property and fuzz tests.
struct JSONGenerator {
    /// SplitMix64: small, fast and reproducible from a seed.
    struct RNG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    var rng: RNG
    /// Only what jq 1.6 prints back unchanged: plain strings, small integers, no extra spacing.
    var jqSafe = false

    init(seed: UInt64, jqSafe: Bool = false) {
        rng = RNG(state: seed)
        self.jqSafe = jqSafe
    }

    mutating func document(maxDepth: Int = 6) -> String {
        var out = ""
        value(into: &out, depth: 0, maxDepth: maxDepth)
        return space() + out + space()
    }

    mutating func space() -> String {
        guard !jqSafe, Int.random(in: 0..<3, using: &rng) == 0 else { return "" }
        return String((0..<Int.random(in: 1...3, using: &rng)).map { _ in [" ", "\n", "\t", "\r"].randomElement(using: &rng) ?? " " })
    }

    mutating func value(into out: inout String, depth: Int, maxDepth: Int) {
        let pick = Int.random(in: 0..<(depth >= maxDepth ? 4 : 7), using: &rng)
        switch pick {
        case 0: out += string()
        case 1: out += number()
        case 2: out += ["true", "false", "null"].randomElement(using: &rng) ?? "null"
        case 3: out += string()
        case 4, 5:
            let isArray = pick == 4
            out += isArray ? "[" : "{"
            let count = Int.random(in: 0...4, using: &rng)
            for k in 0..<count {
                if k > 0 { out += space() + "," }
                out += space()
                if !isArray {
                    // jq keeps one of duplicate keys, so its comparison needs distinct ones.
                    out += (jqSafe ? "\"k\(k)" + string().dropFirst() : string()) + space() + ":" + space()
                }
                value(into: &out, depth: depth + 1, maxDepth: maxDepth)
                out += space()
            }
            if count == 0 { out += space() }
            out += isArray ? "]" : "}"
        default:
            out += "[" + space() + number() + space() + "]"
        }
    }

    mutating func string() -> String {
        let plain = ["a", "B", "sodar", " ", "é", "日本", "😀", "/", "_", "0"]
        let fancy = ["\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "\\t", "\\u001b",
                     "\u{7f}", "\u{85}", "\u{202e}", "\u{2066}", "\\b", "\\f", "\\r", "\\u0000"]
        var s = "\""
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            if !jqSafe && Int.random(in: 0..<3, using: &rng) == 0 {
                s += fancy.randomElement(using: &rng) ?? ""
            } else {
                s += plain.randomElement(using: &rng) ?? ""
            }
        }
        return s + "\""
    }

    mutating func number() -> String {
        if jqSafe { return String(Int.random(in: -1000...1_000_000, using: &rng)) }
        var s = Bool.random(using: &rng) ? "-" : ""
        s += Bool.random(using: &rng) ? "0" : String(Int.random(in: 1...99999, using: &rng))
        if Bool.random(using: &rng) { s += "." + String(Int.random(in: 0...999, using: &rng)) + "0" }
        if Int.random(in: 0..<4, using: &rng) == 0 {
            s += ["e", "E"].randomElement(using: &rng) ?? "e"
            s += ["", "+", "-"].randomElement(using: &rng) ?? ""
            s += String(Int.random(in: 0...300, using: &rng))
        }
        return s
    }
}
