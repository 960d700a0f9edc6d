/// What the verification reads back about the run's holds, captures and reversed transactions, beside the wallets.
public struct LedgerReadings: Hashable, Sendable {
    /// How far apart this machine's clock and the service's may be when a hold's `expires_at` is compared with the
    /// time of the reads.
    public static let defaultClockToleranceMicroseconds: Int64 = 1_000_000

    /// Every acknowledged hold, by id, from `GET /v1/holds/{id}`.
    public var holds: [String: HoldState] = [:]
    /// Why a hold missing from ``holds`` could not be read.
    public var unreadableHolds: [String: String] = [:]
    /// Every acknowledged capture's transaction, by id, from `GET /v1/transactions/{id}`.
    public var transactions: [String: Acknowledgement] = [:]
    /// Every transaction a reversal was acknowledged for (the originals), by id, from `GET /v1/transactions/{id}`.
    public var reversedOriginals: [String: TransactionReading] = [:]
    /// Why a transaction missing from ``transactions`` or ``reversedOriginals`` could not be read.
    public var unreadableTransactions: [String: String] = [:]
    /// This machine's clock when the wallets' reads started and when the holds' reads ended (microseconds since
    /// 1970): a hold expiring in between may have counted in `held` and read back expired.
    public var readStarted: Int64 = 0
    public var readEnded: Int64 = 0
    public var clockTolerance: Int64 = Self.defaultClockToleranceMicroseconds

    public init() {}
}
