import Hummingbird
import WalletCore

/// The query of a paged route: `limit` (``PageSize/validRange``), an optional `cursor`, and the route's own
/// `filters`, nothing else.
struct PageQuery<Cursor> {
    /// The parameters of paging itself.
    static var parameterNames: Set<String> { ["limit", "cursor"] }

    var pageSize: PageSize
    var cursor: Cursor?
    /// The values of the filters given, by name.
    var filters: [String: String] = [:]

    /// Reads `request`'s query; `decode` turns cursor text into a cursor, or nil when it is not one; `filters` names
    /// the other parameters the route takes. Any unknown or repeated parameter, bad limit or bad cursor is
    /// `400 invalid_request` naming each.
    init(_ request: Request, defaultSize: PageSize, filters: Set<String> = [], decode: (String) -> Cursor?) throws(Problem) {
        var query = try QueryParameters(request, allowed: filters.union(Self.parameterNames))
        self.init(reading: &query, defaultSize: defaultSize, decode: decode)
        self.filters = query.values.filter { filters.contains($0.key) }
        try query.finish()
    }

    /// Reads `limit` and `cursor` from `query`, recording a bad one there, for a route that reads its other
    /// parameters itself.
    init(reading query: inout QueryParameters, defaultSize: PageSize, decode: (String) -> Cursor?) {
        pageSize = defaultSize
        if let limit = query.values["limit"] {
            if let value = Int(limit), let size = PageSize(value) {
                pageSize = size
            } else {
                let range = PageSize.validRange
                query.invalid("limit", "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
        }
        if let text = query.values["cursor"] {
            cursor = decode(text)
            if cursor == nil { query.invalid("cursor", "is not a cursor this service handed out") }
        }
    }
}
