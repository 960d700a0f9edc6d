/// A hold as the service shows it: in the answer to placing (`201`) or voiding (`200`) it, or read back with
/// `GET /v1/holds/{id}` after the run.
public struct HoldState: Hashable, Sendable {
    /// `active`, `captured`, `voided`, `expired`.
    public static let statuses = ["active", "captured", "voided", "expired"]

    public let id: String
    public let walletID: String
    public let amount: Int64
    public let status: String
    public let capturedAmount: Int64
    /// The capture's transaction; nil unless captured.
    public let transactionID: String?
    /// RFC 3339, as the service wrote it.
    public let expiresAt: String
    /// When it was captured or voided (for an expired hold, ``expiresAt``); nil while active.
    public let resolvedAt: String?

    public init(
        id: String, walletID: String, amount: Int64, status: String, capturedAmount: Int64, transactionID: String?, expiresAt: String,
        resolvedAt: String?
    ) {
        self.id = id
        self.walletID = walletID
        self.amount = amount
        self.status = status
        self.capturedAmount = capturedAmount
        self.transactionID = transactionID
        self.expiresAt = expiresAt
        self.resolvedAt = resolvedAt
    }

    /// ``expiresAt`` in microseconds since 1970; nil when unreadable.
    public var expiresAtMicroseconds: Int64? { Timestamp.microseconds(expiresAt) }
}
