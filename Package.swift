// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target: Swift 6 mode with the upcoming features Hummingbird itself uses.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "wallet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wallet", targets: ["wallet"]),
        .library(name: "MariaDB", targets: ["MariaDB"]),
        .executable(name: "wallet-loadtest", targets: ["wallet-loadtest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // C shim over Connector/C (Debian: libmariadb-dev).
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]
        ),
        // A small MariaDB client: connections, prepared statements, transactions, errors, pool. No wallet knowledge.
        .target(
            name: "MariaDB",
            dependencies: [
                "CMariaDB",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Schema migrations: files, checksums, the schema_migrations table, the runner.
        .target(
            name: "WalletMigrations",
            dependencies: [
                "MariaDB",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The wallet domain: money, wallets, ledger, optimistic money movements, idempotency, audit. No HTTP.
        .target(
            name: "WalletCore",
            dependencies: [
                "MariaDB",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP service: buildApplication, routes, problem+json errors, health and metrics.
        .target(
            name: "WalletHTTP",
            dependencies: [
                "MariaDB",
                "WalletCore",
                "WalletMigrations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // Webhook deliveries' own HTTP client.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `wallet` command line: serve, migrate.
        .target(
            name: "WalletCLI",
            dependencies: [
                "MariaDB",
                "WalletCore",
                "WalletMigrations",
                "WalletHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "wallet",
            dependencies: ["WalletCLI"],
            swiftSettings: swiftSettings
        ),
        // The load test harness: workload, HTTP and in-process drivers, statistics, verification of the ledger.
        .target(
            name: "WalletLoadTest",
            dependencies: [
                "MariaDB",
                "WalletCore",
                // The API's representations, which the core's events are written in.
                "WalletHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "loadtest/Sources/WalletLoadTest",
            swiftSettings: swiftSettings
        ),
        // `wallet-loadtest`: drives a running service (and optionally WalletCore in-process) and verifies the ledger.
        .executableTarget(
            name: "wallet-loadtest",
            dependencies: ["WalletLoadTest"],
            path: "loadtest/Sources/wallet-loadtest",
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the test targets: scratch databases on the test MariaDB, a second server for fault tests.
        .target(
            name: "TestSupport",
            dependencies: [
                "MariaDB",
                .product(name: "Logging", package: "swift-log"),
                // The webhook receiver of the tests, which checks signatures.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MariaDBTests",
            dependencies: [
                "MariaDB",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WalletMigrationsTests",
            dependencies: ["WalletMigrations", "MariaDB", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WalletCoreTests",
            dependencies: [
                "WalletCore",
                // Events are written in the API's representations.
                "WalletHTTP",
                "WalletMigrations",
                "MariaDB",
                "TestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `wallet` executable as a process.
        .testTarget(
            name: "WalletCLITests",
            dependencies: ["MariaDB", "TestSupport", "wallet"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WalletHTTPTests",
            dependencies: [
                "WalletHTTP",
                "WalletCore",
                "WalletMigrations",
                "MariaDB",
                "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Faults (MariaDB killed, connections killed, the service killed or stopped, lock-wait storms) under real load:
        // `wallet serve` and `wallet-loadtest` as processes against a MariaDB of the tests' own.
        .testTarget(
            name: "WalletFaultTests",
            dependencies: [
                "MariaDB",
                "TestSupport",
                "WalletCore",
                "wallet",
                "wallet-loadtest",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The load test's pure parts, and an end-to-end run of `wallet-loadtest` against `wallet serve`.
        .testTarget(
            name: "WalletLoadTestTests",
            dependencies: [
                "WalletLoadTest", "WalletCore", "MariaDB", "TestSupport", "wallet", "wallet-loadtest",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
