import CSQLiteLoader

/// SQLite is opened on first use (`CSQLiteLoader`): only the gate's pass store needs it, so the
/// other commands never load it. The pass store asks here before any SQLite call; without SQLite
/// no pass can be recorded, so the gate refuses (`pass-store-failed`) and nothing runs.
enum GatePassStoreLibrary {
    /// The SONAME ciauth opens, and the Debian package that provides it.
    static let soname = CIAUTH_SQLITE_SONAME
    static let debianPackage = CIAUTH_SQLITE_PACKAGE

    /// Loads SQLite once; throws `pass-store-failed` naming the package to install.
    static func require() throws(GateFailure) {
        var reason: UnsafePointer<CChar>?
        guard ciauth_sqlite3_load(&reason) == 0 else { return }
        let detail = reason.map { String(cString: $0) } ?? soname
        throw GateFailure(
            .passStoreFailed,
            "SQLite could not be loaded (\(detail)); the gate records every pass with it and runs nothing without it. "
                + "Install the package \(debianPackage) (Debian, Ubuntu: apt-get install \(debianPackage)).")
    }
}
