// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Calltrail",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "calltrail", targets: ["calltrail"]),
        .executable(name: "calltrail-bench", targets: ["calltrail-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CGSM", providers: [.apt(["libgsm1-dev"])]),
        .systemLibrary(name: "CLame", providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CalltrailAudio", dependencies: ["CGSM", "CLame"]),
        .target(
            name: "CalltrailCore",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "CalltrailJSON", dependencies: ["CalltrailCore"]),
        .target(
            name: "CalltrailStore",
            dependencies: [
                "CalltrailCore", "CZlib", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CalltrailHTTP",
            dependencies: [
                "CalltrailCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CalltrailArchive",
            dependencies: [
                "CalltrailCore", "CalltrailStore", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CalltrailRecordings",
            dependencies: [
                "CalltrailArchive", "CalltrailCore", "CalltrailStore", "CalltrailHTTP", "CalltrailAudio",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CalltrailSync",
            dependencies: [
                "CalltrailCore", "CalltrailJSON", "CalltrailStore", "CalltrailHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CalltrailVendors",
            dependencies: [
                "CalltrailCore", "CalltrailJSON", "CalltrailStore", "CalltrailHTTP", "CalltrailArchive", "CalltrailAudio", "CalltrailRecordings", "CalltrailSync",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CalltrailSimulator",
            dependencies: [
                "CalltrailCore", "CalltrailAudio",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "CalltrailReports",
            dependencies: [
                "CalltrailCore", "CalltrailStore", .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("queries")]
        ),
        .target(
            name: "CalltrailCompliance",
            dependencies: [
                "CalltrailArchive", "CalltrailCore", "CalltrailJSON", "CalltrailStore",
            ]
        ),
        .target(
            name: "CalltrailWarehouse",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailReports",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("postgres")]
        ),
        .target(
            name: "CalltrailNightly",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailSync", "CalltrailVendors", "CalltrailArchive", "CalltrailRecordings", "CalltrailReports", "CalltrailCompliance", "CalltrailWarehouse",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "calltrail",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailSync", "CalltrailVendors", "CalltrailSimulator", "CalltrailReports",
                "CalltrailArchive", "CalltrailRecordings", "CalltrailNightly", "CalltrailCompliance", "CalltrailWarehouse",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "calltrail-bench",
            dependencies: [
                "CalltrailCore", "CalltrailHTTP", "CalltrailJSON", "CalltrailStore", "CalltrailSync", "CalltrailVendors", "CalltrailSimulator", "CalltrailReports", "CalltrailAudio",
                "CalltrailArchive", "CalltrailRecordings", "CalltrailWarehouse",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "CalltrailCoreTests", dependencies: ["CalltrailCore"]),
        .testTarget(name: "CalltrailAudioTests", dependencies: ["CalltrailAudio"]),
        .testTarget(
            name: "CalltrailVendorsTests",
            dependencies: ["CalltrailCore", "CalltrailJSON", "CalltrailStore", "CalltrailSync", "CalltrailVendors", "CalltrailSimulator"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CalltrailReportsTests",
            dependencies: ["CalltrailCore", "CalltrailStore", "CalltrailReports", "CalltrailSimulator", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "CalltrailTestSupport",
            dependencies: [
                "CalltrailCore", "CalltrailJSON", "CalltrailStore", "CalltrailSync", "CalltrailVendors", "CalltrailSimulator",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/CalltrailTestSupport"
        ),
        .testTarget(name: "CalltrailHTTPTests", dependencies: ["CalltrailHTTP"]),
        .testTarget(name: "CalltrailJSONTests", dependencies: ["CalltrailJSON"]),
        .testTarget(
            name: "CalltrailStoreTests",
            dependencies: ["CalltrailCore", "CalltrailStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CalltrailSyncTests",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailHTTP", "CalltrailJSON", "CalltrailSync", "CalltrailVendors", "CalltrailSimulator", "CalltrailReports",
                "CalltrailTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CalltrailRecordingsTests",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailVendors", "CalltrailSimulator", "CalltrailArchive", "CalltrailRecordings", "CalltrailAudio",
                "CalltrailTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CalltrailComplianceTests",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailSync", "CalltrailVendors", "CalltrailArchive", "CalltrailRecordings", "CalltrailCompliance", "CalltrailTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CalltrailWarehouseTests",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailVendors", "CalltrailSimulator", "CalltrailReports", "CalltrailWarehouse", "CalltrailTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CalltrailNightlyTests",
            dependencies: [
                "CalltrailCore", "CalltrailStore", "CalltrailSimulator", "CalltrailArchive", "CalltrailRecordings", "CalltrailNightly",
                "CalltrailTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
