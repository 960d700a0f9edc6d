/// A transaction read back after the run with `GET /v1/transactions/{id}` (or WalletCore's read): its legs, and
/// what reversals of it have moved back as of the read.
public struct TransactionReading: Hashable, Sendable {
    /// Its id, legs and hold, as an answer would show them.
    public let acknowledgement: Acknowledgement
    /// `reversed_amount`: the sum of what its reversals moved back.
    public let reversedAmount: Int64
    /// `reversal_ids`: its reversals, oldest first.
    public let reversalIDs: [String]

    public init(acknowledgement: Acknowledgement, reversedAmount: Int64 = 0, reversalIDs: [String] = []) {
        self.acknowledgement = acknowledgement
        self.reversedAmount = reversedAmount
        self.reversalIDs = reversalIDs
    }
}
