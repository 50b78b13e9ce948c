import Foundation

extension SimSeed {
    /// How the instance signs CI ID tokens. Without it, a key is made when the first job
    /// declares `id_tokens` (or on rotation).
    public struct IDTokens: Codable, Sendable, Equatable {
        /// The `iss` claim (GitLab's "ID token issuer URL" setting); default: the server URL.
        public var issuer: String?
        /// An RSA private key (PEM, PKCS#1 or PKCS#8, 2048 bits or more) to sign with, so that
        /// tests can mint tokens with the same key through another implementation.
        public var signingKeyPem: String?

        public init(issuer: String? = nil, signingKeyPem: String? = nil) {
            self.issuer = issuer
            self.signingKeyPem = signingKeyPem
        }
    }

    /// One entry of a job's `id_tokens:` (`CIAUTH_ID_TOKEN: { aud: ... }`): a string or a list.
    public struct IDTokenSpec: Codable, Sendable, Equatable {
        public var aud: [String]
        /// Whether `aud` was written as a list (a list becomes a JSON array in the token).
        public var audIsList: Bool

        public init(aud: String) {
            self.aud = [aud]
            audIsList = false
        }

        public init(audiences: [String]) {
            aud = audiences
            audIsList = true
        }

        private enum CodingKeys: String, CodingKey { case aud }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let single = try? container.decode(String.self, forKey: .aud) {
                self.init(aud: single)
            } else {
                self.init(audiences: try container.decode([String].self, forKey: .aud))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if audIsList { try container.encode(aud, forKey: .aud) } else { try container.encode(aud.first ?? "", forKey: .aud) }
        }
    }
}
