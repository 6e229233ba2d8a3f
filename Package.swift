// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sodarcache",
    // Linux only (ncursesw, libpq and /proc as Debian ships them): no Apple platform is claimed.
    products: [
        .executable(name: "sodarcache", targets: ["sodarcache"]),
        .executable(name: "sodarcache-bench", targets: ["sodarcache-bench"]),
        .library(name: "SodarCache", targets: ["SodarCache"]),
        // The engines' shared kernel: for the fuzz harness and benchmarks, not for apps.
        .library(name: "StoreKernel", targets: ["StoreKernel"]),
        .library(name: "SodarCacheSQLite", targets: ["SodarCacheSQLite"]),
        .library(name: "SodarCachePostgres", targets: ["SodarCachePostgres"]),
        // PostgresLocation (a URI and its shown form) for the fuzz harness.
        .library(name: "PostgresDriver", targets: ["PostgresDriver"]),
        .library(name: "SodarCacheMemory", targets: ["SodarCacheMemory"]),
        .library(name: "JSONKit", targets: ["JSONKit"]),
        .library(name: "CacheBrowserRuntime", targets: ["CacheBrowserRuntime"]),
        // For the fuzz targets in fuzz/ (a separate package that depends on this one by path).
        .library(name: "SodarCacheSync", targets: ["SodarCacheSync"]),
        .library(name: "CacheBrowser", targets: ["CacheBrowser"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The API every app codes against: values, CacheBackend, the plugin hook, errors.
        .target(name: "SodarCache", dependencies: ["JSONKit"]),
        // What every engine shares, written once: the store protocols, validation, the project
        // listing and tree. Not exported to apps (SodarCache does not depend on it).
        .target(name: "StoreKernel", dependencies: [
            "SodarCache", "JSONKit", .product(name: "Logging", package: "swift-log"),
        ]),
        // Order-keeping JSON engine, no dependencies.
        .target(name: "JSONKit"),
        // The SQLite engine (GRDB): one store file.
        .target(name: "SodarCacheSQLite", dependencies: [
            "SodarCache", "StoreKernel", "JSONKit",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // PostgreSQL's C client (Debian: libpq-dev).
        .systemLibrary(name: "CLibpq", providers: [.apt(["libpq-dev"])]),
        // A small libpq client: connections (direct or through PgBouncer), bound parameters,
        // results, a pool, the URI and its shown form. No SQL of the store, no store types.
        .target(name: "PostgresDriver", dependencies: ["CLibpq"]),
        // The four store protocols over PostgreSQL: a SODAR site's tables or sodarcache's own schema.
        .target(name: "SodarCachePostgres", dependencies: [
            "SodarCache", "StoreKernel", "PostgresDriver",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // A whole store in memory, passing the same contract: for tests of apps and plugins.
        .target(name: "SodarCacheMemory", dependencies: ["SodarCache", "StoreKernel"]),
        // The one place --db becomes a store: a SQLite file or a PostgreSQL database.
        .target(name: "StoreOpening", dependencies: [
            "SodarCache", "StoreKernel", "SodarCacheSQLite", "SodarCachePostgres", "PostgresDriver", "CGNUShim",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // C for command apps: pipe2 (behind _GNU_SOURCE) and the supervisor each command runs
        // under (fork and PR_SET_PDEATHSIG, which Swift cannot call safely after a fork); and
        // statfs' file system type, which the local store's folder is checked by.
        .target(name: "CGNUShim"),
        // synccache/deletecache semantics, the sync engine and built-in apps.
        .target(name: "SodarCacheSync", dependencies: [
            "SodarCache", "StoreKernel", "JSONKit", "CGNUShim",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The terminal UI as pure code: state, message, update, view -> Screen, key map.
        .target(name: "CacheBrowser", dependencies: ["SodarCache", "StoreKernel", "JSONKit"]),
        // What the pure core asks for, done: the effect runner, mailbox, store watcher, sync and delete.
        .target(name: "CacheBrowserRuntime", dependencies: ["CacheBrowser", "SodarCache", "StoreKernel", "SodarCacheSync", "JSONKit"]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The only module that imports CNcursesw (the key-mapping tests read its KEY_* constants).
        .target(name: "CursesTerminal", dependencies: ["CNcursesw", "CacheBrowser", "CacheBrowserRuntime", "StoreKernel"]),
        // The executable `sodarcache`; its folder is `sodarcache-cli`, as `Sources/sodarcache` and
        // `Sources/SodarCache` would be one folder on a case-insensitive file system.
        .executableTarget(name: "sodarcache", dependencies: [
            "SodarCache", "StoreKernel", "StoreOpening", "SodarCacheSync", "JSONKit",
            "CacheBrowser", "CacheBrowserRuntime", "CursesTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/sodarcache-cli", plugins: ["BuildInfoPlugin"]),
        // Writes BuildInfo.swift (the git commit, for --version) before every build.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .executableTarget(name: "sodarcache-bench", dependencies: [
            "SodarCache", "StoreKernel", "SodarCacheSQLite", "SodarCachePostgres", "PostgresDriver", "CLibpq", "SodarCacheMemory",
            "SodarCacheSync",
            "JSONKit", "CacheBrowser", "CacheBrowserRuntime",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // What tests share across targets: the one wait-until helper.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SodarCacheTests", dependencies: ["SodarCache", "StoreKernel"]),
        .testTarget(name: "JSONKitTests", dependencies: ["JSONKit", "StoreKernel"], resources: [.copy("Corpus")]),
        .testTarget(name: "SodarCacheSQLiteTests", dependencies: [
            "SodarCacheSQLite", "SodarCache", "StoreKernel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // One contract over the store protocols, run against every store (SQLite, PostgreSQL).
        .testTarget(
            name: "StoreContractTests",
            dependencies: [
                "SodarCacheSQLite", "SodarCachePostgres", "PostgresDriver", "SodarCacheMemory", "SodarCache", "StoreKernel",
                .product(name: "Logging", package: "swift-log"),
                "TestSupport",
                // To write what no engine would (a corrupt row) into a SQLite store.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Support/sodar-core-1.4.5.sql"]),
        .testTarget(name: "SodarCacheSyncTests", dependencies: [
            "SodarCacheSync", "SodarCacheSQLite", "SodarCacheMemory", "SodarCache", "StoreKernel", "JSONKit",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(
            name: "CacheBrowserTests",
            dependencies: [
                "CacheBrowser", "CacheBrowserRuntime", "CursesTerminal", "CNcursesw", "SodarCache", "StoreKernel",
                "SodarCacheSync", "TestSupport",
                "JSONKit", "SodarCacheMemory",
                // The real store actions' sync engine takes a logger (the undo tests run them).
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["sodarcache", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
