extension SimOperations {
    func idToken(job id: Int, variable: String) -> String? {
        store.withWorld { world in
            world.jobs[id].flatMap { job in IDTokenIssuer.variables(for: job, in: world).first { $0.0 == variable }?.1 }
        }
    }

    /// A new ID-token signing key; the previous one stays in the JWKS.
    func rotateIDTokenKey() throws {
        try store.withWorld { (world) throws(SimError) in try world.idTokens.rotate() }
    }
}

extension IDTokenState {
    /// Records a job's `id_tokens:`, making the signing key when it is the first to need one.
    mutating func declare(_ specs: [String: SimSeed.IDTokenSpec], job: Int) throws(SimError) {
        for name in specs.keys where !JobStatus.isValidVariableKey(name) {
            throw .invalidSeed("job \(job): id_tokens name \(name)")
        }
        if current == nil { current = try Self.generate() }
        self.specs[job] = specs
    }
}
