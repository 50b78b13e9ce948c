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
# The approval fuzzer also needs Yams (the policy parser) and the protocol's own sources.
swift build -c release --scratch-path "$scratch" --target Yams >&2
yams_objects=$(for target in Yams CYaml; do
    [ -d "$products/$target.build" ] && find -L "$products/$target.build" -name '*.o'
done | sort)
module_flags="$module_flags $(find "$scratch/checkouts/Yams" -name module.modulemap -path '*CYaml*' -printf '-Xcc -fmodule-map-file=%p ')"
# Compiled into one module with SSHSig's sources, so their `import SSHSig` lines go (copies only).
approval_dir="$scratch/approval-sources"
rm -rf "$approval_dir" && mkdir -p "$approval_dir"
for file in "$root"/Sources/CIAuthCore/Protocol/*.swift "$root"/Sources/CIAuthCore/Checking/*.swift \
    "$root"/Sources/CIAuthCore/Policy/*.swift "$root"/Sources/CIAuthCore/Shared/DurationText.swift; do
    sed '/^import SSHSig$/d' "$file" > "$approval_dir/$(basename "$file")"
done
approval_sources=$(ls "$approval_dir"/*.swift)
