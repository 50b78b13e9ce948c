import CFIDO2

/// Owns one `fido_cbor_info_t` (GetInfo reply); every getter copies out immediately.
final class CBORInfoObject {
    private let pointer: OpaquePointer

    init() throws(FIDO2Error) {
        guard let pointer = fido_cbor_info_new() else {
            throw FIDO2Error(.internalError, "libfido2 could not allocate device info.", call: "fido_cbor_info_new")
        }
        self.pointer = pointer
    }

    deinit {
        var owned: OpaquePointer? = pointer
        fido_cbor_info_free(&owned)
    }

    func load(from device: OpaquePointer, context: ErrorContext) throws(FIDO2Error) {
        try FIDO2Error.check(fido_dev_get_cbor_info(device, pointer), "fido_dev_get_cbor_info", context: context)
    }

    var aaguid: [UInt8] { Bytes.copy(fido_cbor_info_aaguid_ptr(pointer), fido_cbor_info_aaguid_len(pointer)) }
    var versions: [String] { strings(fido_cbor_info_versions_ptr(pointer), fido_cbor_info_versions_len(pointer)) }
    var extensions: [String] {
        strings(fido_cbor_info_extensions_ptr(pointer), fido_cbor_info_extensions_len(pointer))
    }

    var options: [String: Bool] {
        let count = fido_cbor_info_options_len(pointer)
        let names = strings(fido_cbor_info_options_name_ptr(pointer), count)
        guard let values = fido_cbor_info_options_value_ptr(pointer), names.count == count else { return [:] }
        var result: [String: Bool] = [:]
        for (index, name) in names.enumerated() { result[name] = values[index] }
        return result
    }

    var algorithms: [Int32] {
        (0..<fido_cbor_info_algorithm_count(pointer)).map { Int32(fido_cbor_info_algorithm_cose(pointer, $0)) }
    }

    private func strings(_ list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
        guard let list else { return [] }
        return (0..<count).compactMap { list[$0].map { String(cString: $0) } }
    }
}

/// Copies bytes out of a libfido2 getter before the next call can invalidate them.
enum Bytes {
    static func copy(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
