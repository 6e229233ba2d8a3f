// swift-tools-version: 6.1
// libFuzzer targets for sodarcache's parsers of untrusted input. A separate package, so the
// main `swift build`/`swift test` never compiles it; fuzz/run.sh builds it with
// `--sanitize=fuzzer --sanitize=address` in its own scratch path.
import PackageDescription

let package = Package(
    name: "sodarcache-fuzz",
    dependencies: [
        .package(name: "sodarcache", path: ".."),
    ],
    targets: [
        // One binary; FUZZ_TARGET picks the target (fuzz/run.sh sets it). Files in Shared/
        // are symlinks to internal code of the main package (the duration parser lives in
        // the executable, the splitter is internal) and to the browser tests' in-memory store.
        .executableTarget(
            name: "sodarcache-fuzz",
            dependencies: [
                .product(name: "JSONKit", package: "sodarcache"),
                .product(name: "SodarCache", package: "sodarcache"),
                .product(name: "StoreKernel", package: "sodarcache"),
                .product(name: "SodarCacheSync", package: "sodarcache"),
                .product(name: "CacheBrowser", package: "sodarcache"),
                .product(name: "CacheBrowserRuntime", package: "sodarcache"),
                .product(name: "SodarCacheMemory", package: "sodarcache"),
                .product(name: "SodarCachePostgres", package: "sodarcache"),
                .product(name: "PostgresDriver", package: "sodarcache"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
