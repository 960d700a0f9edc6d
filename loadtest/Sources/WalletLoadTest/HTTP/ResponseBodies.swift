/// The parts of the service's JSON answers that the harness reads; everything else is ignored.
enum ResponseBodies {
    /// A `201` money movement or `GET /v1/transactions/{id}`: the transaction id, the hold it captures, its legs
    /// and what its reversals moved back (the hot path decodes nothing else).
    struct Transaction: Decodable {
        struct Entry: Decodable {
            /// `wallet` or `external`; absent from services older than the external account.
            let account: String?
            let walletID: String?
            let amount: Int64
            let balanceAfter: Int64?

            enum CodingKeys: String, CodingKey {
                case account
                case walletID = "wallet_id"
                case amount
                case balanceAfter = "balance_after"
            }
        }

        let id: String
        let holdID: String?
        let entries: [Entry]
        /// Absent from services older than reversals.
        let reversedAmount: Int64?
        let reversalIDs: [String]?

        enum CodingKeys: String, CodingKey {
            case id
            case holdID = "hold_id"
            case entries
            case reversedAmount = "reversed_amount"
            case reversalIDs = "reversal_ids"
        }

        /// The acknowledgement; nil when a leg names neither a wallet nor the external account.
        var acknowledgement: Acknowledgement? {
            var legs: [Acknowledgement.Entry] = []
            for entry in entries {
                switch (entry.account, entry.walletID) {
                case ("external", nil): legs.append(.external(entry.amount))
                case ("wallet", let walletID?), (nil, let walletID?):
                    legs.append(Acknowledgement.Entry(walletID: walletID, amount: entry.amount, balanceAfter: entry.balanceAfter))
                default: return nil
                }
            }
            return Acknowledgement(transactionID: id, entries: legs, holdID: holdID)
        }
    }

    /// A hold: placed (`201`), voided (`200`) or read back.
    struct Hold: Decodable {
        let id: String
        let walletID: String
        let amount: Int64
        let status: String
        let capturedAmount: Int64
        let transactionID: String?
        let expiresAt: String
        let resolvedAt: String?

        enum CodingKeys: String, CodingKey {
            case id
            case walletID = "wallet_id"
            case amount
            case status
            case capturedAmount = "captured_amount"
            case transactionID = "transaction_id"
            case expiresAt = "expires_at"
            case resolvedAt = "resolved_at"
        }

        var state: HoldState {
            HoldState(
                id: id, walletID: walletID, amount: amount, status: status, capturedAmount: capturedAmount, transactionID: transactionID,
                expiresAt: expiresAt, resolvedAt: resolvedAt)
        }
    }

    /// One page of a wallet's holds.
    struct HoldPage: Decodable {
        let data: [Hold]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case data
            case nextCursor = "next_cursor"
        }
    }

    /// An `application/problem+json` answer.
    struct Problem: Decodable {
        let code: String
    }

    /// A created user or wallet.
    struct Created: Decodable {
        let id: String
    }

    /// A session.
    struct Session: Decodable {
        let token: String
    }

    /// A wallet read back; `held` and `available` are absent from services older than holds.
    struct Wallet: Decodable {
        let balance: Int64
        let held: Int64?
        let available: Int64?
    }

    /// One page of a wallet's history.
    struct EntryPage: Decodable {
        struct Entry: Decodable {
            let transactionID: String

            enum CodingKeys: String, CodingKey {
                case transactionID = "transaction_id"
            }
        }

        let data: [Entry]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case data
            case nextCursor = "next_cursor"
        }
    }
}
