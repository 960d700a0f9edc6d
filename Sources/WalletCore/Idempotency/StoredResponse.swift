/// The response to a money movement as the HTTP layer renders it: pinned under the idempotency key and replayed
/// byte for byte.
public struct StoredResponse: Hashable, Sendable {
    /// The longest body stored, in bytes (the `BLOB` column's limit).
    public static let maximumBodyLength = 65_535
    /// The HTTP status codes a response may have.
    public static let validStatuses: ClosedRange<Int> = 100...599

    /// The HTTP status code.
    public let status: Int
    /// The exact body bytes.
    public let body: [UInt8]

    /// A response with `status` and `body`.
    ///
    /// - Precondition: `status` is within ``validStatuses`` and `body` holds at most ``maximumBodyLength`` bytes.
    public init(status: Int, body: [UInt8]) {
        precondition(Self.validStatuses.contains(status), "an HTTP status is 100 to 599")
        precondition(body.count <= Self.maximumBodyLength, "a stored response body is at most \(Self.maximumBodyLength) bytes")
        self.status = status
        self.body = body
    }
}
