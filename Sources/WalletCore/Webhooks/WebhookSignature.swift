import Crypto
public import Foundation

/// The `Wallet-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, with
/// one `v1` per secret that signs (the current one, and the previous one for a day after a rotation). A receiver
/// recomputes the HMAC with its secret and accepts the request when one `v1` matches and `t` is recent.
public enum WebhookSignature {
    /// The prefix of every signing secret.
    public static let secretPrefix = "whsec_"
    /// How long the secret before a rotation keeps signing.
    public static let rotationOverlap: Duration = .seconds(24 * 60 * 60)

    /// A new signing secret: ``secretPrefix`` and 256 random bits.
    public static func generateSecret() -> String {
        SecretToken.generate(prefix: secretPrefix)
    }

    /// The header's value for `body` sent at `timestamp`, signed with each of `secrets` in turn.
    public static func header(body: some Collection<UInt8>, timestamp: Date, secrets: [String]) -> String {
        precondition(!secrets.isEmpty, "a delivery is signed with at least one secret")
        let seconds = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        var signed = Array("\(seconds).".utf8)
        signed.append(contentsOf: body)
        let signatures = secrets.map { secret in
            "v1=" + Hex.lowercase(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8))))
        }
        return (["t=\(seconds)"] + signatures).joined(separator: ",")
    }
}
