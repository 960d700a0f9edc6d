import Crypto
import Foundation
import WalletCore
public import NIOCore

/// One file that the service serves under `/docs/assets/`, held in memory from start-up.
public struct DocsAsset: Sendable {
    /// Its name, the last segment of its path.
    public let name: String
    /// Its `Content-Type`.
    public let contentType: String
    /// Its bytes.
    public let body: ByteBuffer
    /// A strong entity tag: the quoted hex SHA-256 of the bytes, so that a revalidation is answered 304.
    public let entityTag: String

    public init(name: String, contentType: String, bytes: some Collection<UInt8>) {
        self.name = name
        self.contentType = contentType
        self.body = ByteBuffer(bytes: bytes)
        self.entityTag = "\"" + Hex.lowercase(SHA256.hash(data: Array(bytes))) + "\""
    }

    /// Whether an `If-None-Match` value names this file's current bytes (a list of tags, weak ones included, or `*`).
    public func isMatched(byIfNoneMatch value: String) -> Bool {
        value.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == entityTag || tag == "W/" + entityTag
        }
    }
}
