/// The parts of the service's JSON answers that the harness reads; everything else is ignored.
enum ResponseBodies {
    /// A `201` money movement: the transaction id and its entries (the hot path decodes nothing else).
    struct Transaction: Decodable {
        struct Entry: Decodable {
            let walletID: String
            let amount: Int64
            let balanceAfter: Int64

            enum CodingKeys: String, CodingKey {
                case walletID = "wallet_id"
                case amount
                case balanceAfter = "balance_after"
            }
        }

        let id: String
        let entries: [Entry]

        var acknowledgement: Acknowledgement {
            Acknowledgement(
                transactionID: id,
                entries: entries.map { Acknowledgement.Entry(walletID: $0.walletID, amount: $0.amount, balanceAfter: $0.balanceAfter) })
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

    /// A wallet read back.
    struct Wallet: Decodable {
        let balance: Int64
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
