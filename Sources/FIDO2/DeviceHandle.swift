import CFIDO2

/// Owns one `fido_dev_t`: closed and freed in `deinit`. The pointer never leaves `withDevice`.
final class DeviceHandle: @unchecked Sendable {
    private let pointer: OpaquePointer
    private var isOpen = false

    init() throws(FIDO2Error) {
        guard let pointer = fido_dev_new() else {
            throw FIDO2Error(.internalError, "libfido2 could not allocate a device.", call: "fido_dev_new")
        }
        self.pointer = pointer
    }

    deinit {
        if isOpen { _ = fido_dev_close(pointer) }
        var owned: OpaquePointer? = pointer
        fido_dev_free(&owned)
    }

    /// Installs ciauth's report I/O and runs CTAPHID INIT and GetInfo over the parked channel.
    func open(token: String, context: ErrorContext) throws(FIDO2Error) {
        var io = IOHooks.functions
        try FIDO2Error.check(fido_dev_set_io_functions(pointer, &io), "fido_dev_set_io_functions", context: context)
        try setTimeout(DeviceHandle.exchangeTimeout)
        try FIDO2Error.check(fido_dev_open(pointer, token), "fido_dev_open", context: context)
        isOpen = true
    }

    /// Limit for exchanges that never wait for the user (INIT, GetInfo, PIN retries): a key that
    /// stops answering fails instead of blocking forever (libfido2's default is no limit).
    static let exchangeTimeout: Duration = .seconds(5)

    func setTimeout(_ limit: Duration) throws(FIDO2Error) {
        let milliseconds = Int32(clamping: limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000)
        try FIDO2Error.check(fido_dev_set_timeout(pointer, milliseconds), "fido_dev_set_timeout")
    }

    /// Closes the connection; the object stays allocated until `deinit`.
    func close() {
        guard isOpen else { return }
        _ = fido_dev_close(pointer)
        isOpen = false
    }

    /// Calls `body` with the device; only on the device thread, or for `fido_dev_cancel`.
    func withDevice<T, E: Error>(_ body: (OpaquePointer) throws(E) -> T) throws(E) -> T {
        try body(pointer)
    }
}
