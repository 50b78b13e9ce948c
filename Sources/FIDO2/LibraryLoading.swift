import CFIDO2Loader

/// libfido2 is opened on first use (`CFIDO2Loader`), so the commands that only verify run where
/// it is not installed. Every path into libfido2 asks here first and fails with a named error.
public enum FIDO2Library {
    /// The SONAME ciauth opens, and the Debian package that provides it.
    public static let soname = CIAUTH_FIDO2_SONAME
    public static let debianPackage = CIAUTH_FIDO2_PACKAGE

    /// Loads libfido2 once; throws `.libraryMissing` naming the package to install.
    public static func require() throws(FIDO2Error) {
        var reason: UnsafePointer<CChar>?
        guard ciauth_fido2_load(&reason) == 0 else { return }
        let detail = reason.map { String(cString: $0) } ?? soname
        throw FIDO2Error(
            .libraryMissing,
            "libfido2 could not be loaded (\(detail)); the commands that use a security key need it. "
                + "Install the package \(debianPackage) (Debian, Ubuntu: apt-get install \(debianPackage)).",
            call: "dlopen \(soname)")
    }
}
