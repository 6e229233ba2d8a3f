import CGNUShim
import Foundation
import SodarCache

/// The folder of SODAR sites' local stores, checked before a change opens one there.
enum LocalStoreFolder {
    /// File systems whose locking SQLite cannot rely on (statfs' f_type, Linux's magic
    /// numbers): its write-ahead log needs memory shared on one host, and its locks over a
    /// network are advisory at best. Two hosts writing one file there can corrupt it, and the
    /// trash with it.
    static let network: [Int: String] = [
        0x6969: "NFS", 0x517B: "SMB", 0xFF53_4D42: "CIFS", 0xFE53_4D42: "SMB2", 0x5346_414F: "AFS",
        0x00C3_6400: "CephFS", 0x0116_1970: "GFS2", 0x7461_636F: "OCFS2", 0x0BD0_0BD0: "Lustre",
    ]

    /// Refuses a configured folder that is a file, and any folder on a network file system.
    /// A folder not made yet is checked where it would be made (its nearest existing parent).
    static func check(_ folder: String, configured: Bool) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
            throw CacheError.storeUnwritable(
                location: folder,
                reason: configured
                    ? "[trash] local_store names a folder (one file per SODAR site in it), and this is a file"
                    : "it is a file, not a folder")
        }
        var existing = folder
        while !FileManager.default.fileExists(atPath: existing), existing != "/" {
            existing = URL(fileURLWithPath: existing).deletingLastPathComponent().path
        }
        if let kind = networkFileSystem(at: existing) {
            throw CacheError.storeUnwritable(
                location: folder,
                reason: "it is on a network file system (\(kind)), where SQLite's locks are not safe; "
                    + "set [trash] local_store to a folder on this host's own disk")
        }
    }

    /// The kind of network file system `path` is on, nil for a local one (or when unknown).
    static func networkFileSystem(at path: String) -> String? {
        network[Int(UInt32(truncatingIfNeeded: sodarcache_file_system_type(path)))]
    }
}
