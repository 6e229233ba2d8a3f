extension JSONDocument {
    /// The line of the pretty form on which the source byte `offset` lies: where a diff's
    /// change (`JSONDiffChange.oldRange`/`newRange`) shows, to fold the context around it and
    /// jump from change to change. Offsets past the end give the last line.
    public func line(ofOffset offset: Int) -> Int {
        line(containingOffset: max(0, offset))
    }
}
