import Foundation
import WalletCore

/// How a statement is written: JSON (`{…,"entries":[…]}`) or CSV (a header line, an `opening` row, one `entry`
/// row per entry, a `closing` row; RFC 4180 with CRLF line ends), in three parts so that the entries can be
/// streamed page by page between the opening and the closing.
enum StatementFormat: String, CaseIterable, Sendable {
    case json
    case csv

    /// The CSV columns.
    static let csvHeader = "kind,entry_id,created_at,transaction_id,type,amount,balance_after,reference,description,metadata"

    /// The answer's `Content-Type`.
    var contentType: String {
        switch self {
        case .json: JSONResponse.contentType
        case .csv: "text/csv; charset=utf-8"
        }
    }

    /// What comes before the entries: JSON's members up to `"entries":[`, or CSV's header and `opening` row.
    func opening(_ statement: Statement) -> [UInt8] {
        switch self {
        case .json:
            var json = JSONWriter()
            json.object { json in
                json.field("wallet_id", statement.walletID.rawValue)
                json.field("currency", statement.currency.code)
                json.field("from", timestamp: statement.period.from)
                json.field("to", timestamp: statement.period.to)
                json.field("opening_balance", statement.openingBalance)
                json.field("closing_balance", statement.closingBalance)
            }
            // The object stays open for the entries: its closing brace is written by closing(_:).
            return json.bytes.dropLast() + Array(#","entries":["#.utf8)
        case .csv:
            let opening = Self.csvBoundaryRow("opening", at: statement.period.from, balance: statement.openingBalance)
            return Array((Self.csvHeader + "\r\n" + opening).utf8)
        }
    }

    /// One page of entries; `continuesList` when entries were written before it (JSON separates them by commas).
    func entries(_ entries: [WalletEntry], continuesList: Bool) -> [UInt8] {
        switch self {
        case .json:
            var bytes: [UInt8] = []
            for (index, entry) in entries.enumerated() {
                if continuesList || index > 0 { bytes.append(UInt8(ascii: ",")) }
                var json = JSONWriter()
                json.statementEntry(entry)
                bytes += json.bytes
            }
            return bytes
        case .csv:
            return Array(
                entries.map { entry in
                    Self.csvRow([
                        "entry", String(entry.sequence), RFC3339.format(entry.createdAt), entry.transactionID.rawValue, entry.type.rawValue,
                        String(entry.amount), String(entry.balanceAfter), Self.csvText(entry.details.reference?.rawValue),
                        Self.csvText(entry.details.description?.rawValue), Self.csvMetadata(entry.details.metadata),
                    ])
                }.joined().utf8
            )
        }
    }

    /// What comes after the entries: the end of the JSON object, or CSV's `closing` row.
    func closing(_ statement: Statement) -> [UInt8] {
        switch self {
        case .json: Array("]}".utf8)
        case .csv: Array(Self.csvBoundaryRow("closing", at: statement.period.to, balance: statement.closingBalance).utf8)
        }
    }

    /// The `opening` or `closing` row: its kind, its instant as `created_at`, its balance as `balance_after`, every
    /// other column of ``csvHeader`` empty.
    private static func csvBoundaryRow(_ kind: String, at instant: Date, balance: Int64) -> String {
        let columns = csvHeader.split(separator: ",")
        let fields = columns.map { column -> String in
            switch column {
            case "kind": kind
            case "created_at": RFC3339.format(instant)
            case "balance_after": String(balance)
            default: ""
            }
        }
        return csvRow(fields)
    }

    /// A CSV line of `fields`, each quoted when it holds a comma, a quote or a line break (quotes doubled).
    private static func csvRow(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }

    /// Metadata for a CSV cell: the JSON object of the API (keys sorted), empty when there is none. It starts with
    /// `{`, never like a formula.
    private static func csvMetadata(_ metadata: Metadata) -> String {
        guard metadata != .empty else { return "" }
        var json = JSONWriter()
        json.metadata(metadata)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// A caller's text for a CSV cell: empty for none, and with a leading `'` when it starts like a spreadsheet
    /// formula (`=`, `+`, `-`, `@`), so that opening a statement never runs what another party wrote (OWASP's
    /// advice on CSV injection).
    private static func csvText(_ text: String?) -> String {
        guard let text else { return "" }
        guard let first = text.first, "=+-@".contains(first) else { return text }
        return "'" + text
    }
}
