import HTTPTypes
import Hummingbird
import Logging
import WalletCore

/// A statement as a streamed answer: the opening part at once, then the entries page by page as
/// ``BalanceHistory/forEachPage(of:_:)`` reads them (no connection is held while a page is written to the client),
/// then the closing part. A failure after the first byte can no longer change the status: the answer is cut off,
/// and the failure logged.
enum StatementResponse {
    /// The answer for `statement` in `format`; CSV comes as an attachment named after the wallet and the period.
    static func make(_ statement: Statement, format: StatementFormat, balances: BalanceHistory, logger: Logger) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        if format == .csv {
            headers[.contentDisposition] = #"attachment; filename="\#(filename(of: statement))""#
        }
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(bytes: format.opening(statement)))
            var continuesList = false
            do {
                try await balances.forEachPage(of: statement) { entries in
                    try await writer.write(ByteBuffer(bytes: format.entries(entries, continuesList: continuesList)))
                    continuesList = true
                }
            } catch {
                logger.error("statement cut off", metadata: ["wallet_id": "\(statement.walletID)", "error": "\(error)"])
                throw error
            }
            try await writer.write(ByteBuffer(bytes: format.closing(statement)))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `statement-<wallet>-<from>-<to>.csv`, the times in RFC 3339's basic form (no `-` or `:`).
    static func filename(of statement: Statement) -> String {
        let from = RFC3339.format(statement.period.from).filter { $0 != "-" && $0 != ":" }
        let to = RFC3339.format(statement.period.to).filter { $0 != "-" && $0 != ":" }
        return "statement-\(statement.walletID.rawValue)-\(from)-\(to).csv"
    }
}
