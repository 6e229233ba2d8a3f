extension JSONDocument {
    /// The jq-style path of the value that starts (or, for a closing bracket, ends) on
    /// `line`: `.`, `.a[3].b`, `.paths["/sodarZone/x"].file_count`.
    public func path(ofLine line: Int) -> String {
        guard line >= 0 && line < lineOffsets.count else { return "." }
        let k = innermostContainer(ofLine: line)
        guard k >= 0 else { return "." }
        // The chain of containers from the top down to the innermost one.
        var chain: [Int] = []
        var c = k
        while c >= 0 {
            chain.append(c)
            c = Int(parents[c])
        }
        chain.reverse()
        var path = ""
        for step in 1..<max(1, chain.count) {
            path += component(of: containers[chain[step]].startLine, in: chain[step - 1])
        }
        let inner = containers[k]
        if inner.startLine != line && inner.endLine != line {
            path += component(of: line, in: k)
        }
        if path.isEmpty { return "." }
        return path.hasPrefix("[") ? "." + path : path
    }

    /// `.key`, `["odd key"]` or `[3]` for the member of container `parent` starting on `childLine`.
    func component(of childLine: Int, in parent: Int) -> String {
        if containers[parent].isArray {
            return "[\(index(of: childLine, in: parent))]"
        }
        return data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            let start = Int(lineOffsets[childLine])
            var end = start + 1
            while end < bytes.count && bytes[end] != UInt8(ascii: "\"") {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            end = min(end + 1, bytes.count)
            let inner = UnsafeBufferPointer(rebasing: bytes[min(start + 1, end)..<max(start + 1, end - 1)])
            if Self.isIdentifier(inner) {
                return "." + String(decoding: inner, as: UTF8.self)
            }
            let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return "[" + Display.escape(key) + "]"
        }
    }

    /// Position of the element starting on `childLine` among its array's elements,
    /// stepping over nested containers whole.
    func index(of childLine: Int, in parent: Int) -> Int {
        var line = containers[parent].startLine + 1
        var next = parent + 1
        var count = 0
        while line < childLine {
            if next < containers.count && containers[next].startLine == line {
                line = containers[next].endLine + 1
                next += Int(descendants[next]) + 1
            } else {
                line += 1
            }
            count += 1
        }
        return count
    }

    static func isIdentifier(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 &- UInt8(ascii: "0")) < 10 }
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        ((b | 0x20) &- UInt8(ascii: "a")) < 26
    }
}
