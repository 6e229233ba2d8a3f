// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sodarcache",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sodarcache", targets: ["sodarcache"]),
        .executable(name: "sodarcache-bench", targets: ["sodarcache-bench"]),
        .library(name: "SodarCache", targets: ["SodarCache"]),
        .library(name: "SodarCacheStore", targets: ["SodarCacheStore"]),
        .library(name: "SodarCachePostgres", targets: ["SodarCachePostgres"]),
        .library(name: "JSONKit", targets: ["JSONKit"]),
        // For the fuzz targets in fuzz/ (a separate package that depends on this one by path).
        .library(name: "SodarCacheSync", targets: ["SodarCacheSync"]),
        .library(name: "CacheBrowser", targets: ["CacheBrowser"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // The API every app codes against. No SQLite, no UI.
        .target(name: "SodarCache", dependencies: [
            "JSONKit",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Order-keeping JSON engine, no dependencies.
        .target(name: "JSONKit"),
        // CacheBackend over one SQLite file: the only place SQL lives.
        .target(name: "SodarCacheStore", dependencies: [
            "SodarCache", "JSONKit",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // PostgreSQL's C client (Debian: libpq-dev).
        .systemLibrary(name: "CLibpq", providers: [.apt(["libpq-dev"])]),
        // The four store protocols over PostgreSQL: a SODAR site's tables or sodarcache's own schema.
        .target(name: "SodarCachePostgres", dependencies: [
            "SodarCache", "CLibpq",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // synccache/deletecache semantics, the sync engine and built-in apps.
        .target(name: "SodarCacheSync", dependencies: [
            "SodarCache", "JSONKit",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // The terminal UI as pure code: State, Action, update, view -> Screen.
        .target(name: "CacheBrowser", dependencies: ["SodarCache", "SodarCacheSync", "JSONKit"]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The only importer of CNcursesw.
        .target(name: "CursesTerminal", dependencies: ["CNcursesw", "CacheBrowser"]),
        .executableTarget(name: "sodarcache", dependencies: [
            "SodarCache", "SodarCacheStore", "SodarCacheSync", "JSONKit",
            "CacheBrowser", "CursesTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "sodarcache-bench", dependencies: [
            "SodarCache", "SodarCacheStore", "SodarCacheSync", "JSONKit", "CacheBrowser",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SodarCacheTests", dependencies: ["SodarCache"]),
        .testTarget(name: "JSONKitTests", dependencies: ["JSONKit"], resources: [.copy("Corpus")]),
        .testTarget(name: "SodarCacheStoreTests", dependencies: ["SodarCacheStore", "SodarCache"]),
        // One contract over the store protocols, run against every store (SQLite, PostgreSQL).
        .testTarget(
            name: "StoreContractTests",
            dependencies: [
                "SodarCacheStore", "SodarCachePostgres", "SodarCache",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Support/sodar-core-1.4.5.sql"]),
        .testTarget(name: "SodarCacheSyncTests", dependencies: [
            "SodarCacheSync", "SodarCacheStore", "SodarCache", "JSONKit",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CacheBrowserTests", dependencies: ["CacheBrowser", "SodarCache", "SodarCacheSync", "JSONKit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["sodarcache"]),
    ],
    swiftLanguageModes: [.v6]
)
