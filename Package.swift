// swift-tools-version:6.0
import Foundation
import PackageDescription

// Every target is built with warnings as errors.
//
// JWT library for the gate's ID tokens: none; RS256 is verified with swift-crypto's RSA
// (`_CryptoExtras`), already a dependency. Measured with vapor/jwt-kit 5.7.1 on the pinned
// swift-crypto 4.5.2 / swift-certificates 1.21.1 / swift-log 1.16.2 (all already in this graph):
// it adds one package (5.8.0 two: swift-extras-base64) and 8.8 s wall (10.2 s CPU) to a clean
// debug build whose dependencies take 172 s — no build-cost reason against it. The reason is
// what the gate could use it for: its key collection falls back to the default key when a
// token's `kid` is unknown, its decoders (Foundation's JSONDecoder) keep one of two duplicate
// members, and it accepts every algorithm of a key set. The gate must refuse all three, so it
// reads the token itself (Gate/GateJSON.swift, GateIDToken.swift) and what jwt-kit would add is
// the one RSASSA-PKCS1-v1_5 check it delegates to the same swift-crypto call.
let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

// `ciauth --version` names the commit of a release build: make install and make dist set
// CIAUTH_COMMIT from git (nothing from a tarball without .git). Only CBuildInfo's one C file sees
// it, so a new commit recompiles that file and relinks; a value that is not a hex hash (with an
// optional "-dirty") is ignored.
let buildCommit: [CSetting] = {
    guard let commit = ProcessInfo.processInfo.environment["CIAUTH_COMMIT"],
        commit.range(of: "^[0-9a-f]{7,40}(-dirty)?$", options: .regularExpression) != nil
    else { return [] }
    return [.define("CIAUTH_COMMIT", to: "\"\(commit)\"")]
}()

// The shipped binary takes the C++ runtime from an archive as well (scripts/shipped-build.sh):
// CIAUTH_STATIC_LIBRARIES names a directory holding only libstdc++.a, searched before the
// compiler's own directory. Only the ciauth link sees it; nothing is recompiled.
let staticLibraries: [LinkerSetting] = {
    guard let directory = ProcessInfo.processInfo.environment["CIAUTH_STATIC_LIBRARIES"], directory.hasPrefix("/") else { return [] }
    return [.unsafeFlags(["-L", directory])]
}()

let package = Package(
    name: "ciauth",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ciauth", targets: ["ciauth"]),
        .executable(name: "ciauth-virtual-key", targets: ["ciauth-virtual-key"]),
        .executable(name: "gitlab-sim", targets: ["gitlab-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libfido2's headers (<fido.h>, from libfido2-dev); only the FIDO2 target imports them.
        // Deliberately no `pkgConfig:` here: SwiftPM would add pkg-config's `-lfido2 -lcrypto` to
        // every link and make libfido2 a start-up dependency; `make deps` checks it with pkg-config.
        .systemLibrary(
            name: "CFIDO2",
            providers: [.apt(["libfido2-dev"])]
        ),
        // Opens libfido2 with dlopen when a command first needs a security key, and defines the
        // libfido2 functions FIDO2 calls as trampolines into it: the verifying commands never load it.
        .target(name: "CFIDO2Loader", dependencies: ["CFIDO2"]),
        // SQLite's headers (<sqlite3.h>, from libsqlite3-dev), for the gate's pass store (an
        // embedded, crash-safe database file). No `pkgConfig:`, as for CFIDO2: `-lsqlite3` would
        // reach every link and make SQLite a start-up dependency of every command.
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Opens SQLite with dlopen when the gate first records a pass, and defines the SQLite
        // functions the pass store calls as trampolines into it: no other command loads it.
        .target(name: "CSQLiteLoader", dependencies: ["CSQLite"]),
        .target(
            name: "FIDO2",
            dependencies: ["CFIDO2", "CFIDO2Loader", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(name: "CBuildInfo", cSettings: buildCommit),
        // arc4random for the statically linked libstdc++, so the binary needs glibc 2.35, not 2.36.
        .target(name: "CGlibcFloor"),
        // Waits for child processes with waitpid; shared by the product and the tests.
        .target(name: "CSpawn"),
        .target(name: "ChildProcess", dependencies: ["CSpawn"], swiftSettings: strict),
        .target(
            name: "SSHSig",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "GitLab",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CIAuthCore",
            dependencies: [
                "FIDO2", "SSHSig", "GitLab", "ChildProcess", "CSQLite", "CSQLiteLoader", "CBuildInfo",
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA (RS256) for the gate's ID tokens; see the note on JWT libraries above.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CIAuthCommands",
            dependencies: [
                "CIAuthCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ciauth",
            dependencies: ["CIAuthCommands", "CGlibcFloor"],
            swiftSettings: strict,
            // A static build otherwise exports all 39,000 symbols of the Swift runtime and
            // packages; the runtime's start-up `dladdr` then walks them all (Bench/whole-process.sh).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])] + staticLibraries
        ),
        .target(
            name: "VirtualKey",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // AES-256-CBC for the CTAP2 PIN/UV auth protocols.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ciauth-virtual-key",
            dependencies: [
                "VirtualKey",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "GitLabSim",
            dependencies: [
                "ChildProcess",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA keys and RS256 signatures of CI ID tokens.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "gitlab-sim",
            dependencies: [
                "GitLabSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Opt-in benchmark of the GitLab client against the simulator; run in release mode.
        .executableTarget(
            name: "gitlab-bench",
            dependencies: ["GitLab", "GitLabSim"],
            path: "Bench/GitLabBench",
            swiftSettings: strict
        ),
        // A software security key shared by the test targets that sign approvals.
        .target(
            name: "CIAuthTestSupport",
            dependencies: ["CIAuthCore", "SSHSig", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/CIAuthTestSupport",
            swiftSettings: strict
        ),
        // Test servers for the network path: a CONNECT proxy, a TLS front, a CA made with openssl.
        .target(
            name: "NetworkTestSupport",
            dependencies: [
                "ChildProcess",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/NetworkTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"], swiftSettings: strict),
        .testTarget(name: "SSHSigTests", dependencies: ["SSHSig", "ChildProcess", .product(name: "Crypto", package: "swift-crypto")], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "FIDO2Tests", dependencies: ["FIDO2", "ChildProcess", "SSHSig", "VirtualKey", .product(name: "Crypto", package: "swift-crypto")], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "VirtualKeyTests", dependencies: ["VirtualKey", "ChildProcess"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "GitLabTests", dependencies: ["GitLab", "GitLabSim", "NetworkTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GitLabSimTests",
            dependencies: ["GitLabSim", "ChildProcess", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CIAuthCoreTests",
            dependencies: [
                "CIAuthCore", "CIAuthTestSupport", "ChildProcess", "SSHSig", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        // End-to-end tests: the real binaries against gitlab-sim and ciauth-virtual-key.
        .testTarget(
            name: "CIAuthCommandsTests",
            dependencies: [
                "CIAuthCommands", "CIAuthCore", "CIAuthTestSupport", "ChildProcess", "SSHSig", "GitLab", "GitLabSim", "VirtualKey",
                "NetworkTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                // The CI/CD component's YAML, interpolated as GitLab does (Verify/ComponentTemplate.swift).
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)
