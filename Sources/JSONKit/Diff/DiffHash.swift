/// The 64-bit hashes the diff aligns arrays and matches keys with. Not for security: an
/// equal hash only suggests a match, which is then compared for real.
enum DiffHash {
    static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let k1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let k2: UInt64 = 0x1656_67B1_9E37_79F9

    /// MurmurHash3's finaliser: every input bit moves every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The hash of `count` bytes at `p`, eight at a time.
    @inline(__always)
    static func bytes(_ p: UnsafePointer<UInt8>, _ count: Int, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(truncatingIfNeeded: count) &* k0)
        var i = 0
        while i + 8 <= count {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = ((h ^ (w &* k1)) << 31 | (h ^ (w &* k1)) >> 33) &* k0
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ (tail &* k2)) &* k1
        return mix(h)
    }

    /// Combines an ordered sequence: the array's hash so far and the next element's.
    @inline(__always)
    static func ordered(_ accumulator: UInt64, _ next: UInt64) -> UInt64 {
        ((accumulator << 23 | accumulator >> 41) ^ next) &* k0
    }

    /// One member of an object; members are summed, so their order does not count.
    @inline(__always)
    static func member(key: UInt64, value: UInt64) -> UInt64 {
        mix(key &* k2 ^ (value << 17 | value >> 47))
    }

    // Seeds per kind, so that "1" and 1 and [1] hash apart.
    static let stringSeed: UInt64 = 0x5354_5249_4E47_0001
    static let numberSeed: UInt64 = 0x4E55_4D42_4552_0002
    static let literalSeed: UInt64 = 0x4C49_5445_5241_0003
    static let arraySeed: UInt64 = 0x4152_5241_5900_0004
    static let objectSeed: UInt64 = 0x4F42_4A45_4354_0005
    static let rawSeed: UInt64 = 0x5241_5700_0000_0006
}
