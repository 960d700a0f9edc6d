import Hummingbird
import WalletCore

/// The query of `GET /v1/transactions`: a page (`limit`, `cursor`) and the filters, each at most once, every fault
/// `400 invalid_request` naming it.
struct TransactionSearchQuery {
    /// The filters the route takes.
    static let filterNames: Set<String> = ["wallet_id", "type", "reference", "created_after", "created_before"]
    /// Why a reference is refused.
    static let referenceRule = "must be 1 to \(MovementReference.maximumLength) visible ASCII characters (no spaces)"

    let page: PageQuery<EntryCursor>
    let filter: TransactionFilter

    init(_ request: Request) throws(Problem) {
        var query = try QueryParameters(request, allowed: Self.filterNames.union(PageQuery<EntryCursor>.parameterNames))
        page = PageQuery(reading: &query, defaultSize: .default) { EntryCursor(encoded: $0) }
        var filter = TransactionFilter()
        if let text = query.values["wallet_id"] {
            filter.walletID = WalletID(text)
            if filter.walletID == nil { query.invalid("wallet_id", FieldReader.malformedWalletIDReason) }
        }
        if let text = query.values["type"] {
            filter.type = TransactionType(rawValue: text)
            if filter.type == nil {
                query.invalid("type", "must be one of \(TransactionType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let text = query.values["reference"] {
            filter.reference = MovementReference(text)
            if filter.reference == nil { query.invalid("reference", Self.referenceRule) }
        }
        filter.createdAfter = query.instant("created_after", rounding: .down)
        filter.createdBefore = query.instant("created_before", rounding: .up)
        try query.finish()
        self.filter = filter
    }
}
