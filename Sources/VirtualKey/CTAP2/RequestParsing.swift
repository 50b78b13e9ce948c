/// Typed access to CTAP2 request parameters; every mismatch has its CTAP2 status.
extension CBORValue {
    func required(_ key: Int) throws(CTAP2Status) -> CBORValue {
        guard let value = self[key] else { throw .missingParameter }
        return value
    }

    func requiredBytes(_ key: Int) throws(CTAP2Status) -> [UInt8] {
        guard let bytes = try required(key).bytesValue else { throw .cborUnexpectedType }
        return bytes
    }

    func optionalBytes(_ key: Int) throws(CTAP2Status) -> [UInt8]? {
        guard let value = self[key] else { return nil }
        guard let bytes = value.bytesValue else { throw .cborUnexpectedType }
        return bytes
    }

    func requiredText(_ key: Int) throws(CTAP2Status) -> String {
        guard let text = try required(key).textValue else { throw .cborUnexpectedType }
        return text
    }

    func requiredText(_ key: String) throws(CTAP2Status) -> String {
        guard let value = self[key] else { throw .missingParameter }
        guard let text = value.textValue else { throw .cborUnexpectedType }
        return text
    }

    func optionalText(_ key: String) throws(CTAP2Status) -> String? {
        guard let value = self[key] else { return nil }
        guard let text = value.textValue else { throw .cborUnexpectedType }
        return text
    }

    /// The `options` map (key `key`): each present option must be a boolean.
    func options(_ key: Int) throws(CTAP2Status) -> [String: Bool] {
        guard let value = self[key] else { return [:] }
        guard let map = value.mapValue else { throw .cborUnexpectedType }
        var options: [String: Bool] = [:]
        for (name, flag) in map {
            guard let name = name.textValue, let flag = flag.boolValue else { throw .cborUnexpectedType }
            options[name] = flag
        }
        return options
    }

    /// A list of PublicKeyCredentialDescriptors; returns the credential IDs of type public-key.
    func credentialIDs(_ key: Int) throws(CTAP2Status) -> [[UInt8]] {
        guard let value = self[key] else { return [] }
        guard let list = value.arrayValue else { throw .cborUnexpectedType }
        var ids: [[UInt8]] = []
        for descriptor in list {
            guard descriptor.mapValue != nil else { throw .cborUnexpectedType }
            let type = try descriptor.requiredText("type")
            guard let id = descriptor["id"]?.bytesValue else { throw .missingParameter }
            if type == "public-key" { ids.append(id) }
        }
        return ids
    }

    func requiredClientDataHash(_ key: Int) throws(CTAP2Status) -> [UInt8] {
        let hash = try requiredBytes(key)
        guard hash.count == 32 else { throw .invalidLength }
        return hash
    }
}
