# Shared by run.sh and bench.sh: builds swift-crypto in release mode in its own scratch directory
# and lists what a swiftc link against it needs. SSHSig's own sources are compiled by the caller.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$root/.build-fuzz"
swift build -c release --scratch-path "$scratch" --target Crypto >&2
products="$scratch/release"
# Object files of Crypto and the targets it depends on (C and Swift).
crypto_objects=$(for target in Crypto CryptoBoringWrapper CCryptoBoringSSL CCryptoBoringSSLShims CXKCP CXKCPShims; do
    [ -d "$products/$target.build" ] && find -L "$products/$target.build" -name '*.o'
done | sort)
# Clang module maps of the C targets Crypto imports.
module_flags=$(find "$scratch" -name module.modulemap -path '*CCryptoBoringSSL*' -printf '-Xcc -fmodule-map-file=%p ')
sshsig_sources=$(ls "$root"/Sources/SSHSig/*.swift)
