public import Hummingbird
public import WalletCore

/// The query of a paged route: `limit` (``PageSize/validRange``), an optional `cursor`, and the route's own
/// `filters`, nothing else.
struct PageQuery<Cursor> {
    var pageSize: PageSize
    var cursor: Cursor?
    /// The values of the filters given, by name.
    var filters: [String: String] = [:]

    /// Reads `request`'s query; `decode` turns cursor text into a cursor, or nil when it is not one; `filters` names
    /// the other parameters the route takes. Any unknown parameter, bad limit or bad cursor is
    /// `400 invalid_request` naming each.
    init(_ request: Request, defaultSize: PageSize, filters: Set<String> = [], decode: (String) -> Cursor?) throws(Problem) {
        var invalid: [Problem.InvalidParameter] = []
        pageSize = defaultSize
        for (name, value) in request.uri.queryParameters where name != "limit" && name != "cursor" {
            if filters.contains(String(name)) {
                self.filters[String(name)] = String(value)
            } else {
                invalid.append(.init(name: String(name), reason: "is not a known parameter"))
            }
        }
        if let limit = request.uri.queryParameters["limit"] {
            if let value = Int(limit), let size = PageSize(value) {
                pageSize = size
            } else {
                let range = PageSize.validRange
                invalid.append(.init(name: "limit", reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            }
        }
        if let text = request.uri.queryParameters["cursor"] {
            cursor = decode(String(text))
            if cursor == nil { invalid.append(.init(name: "cursor", reason: "is not a cursor this service handed out")) }
        }
        guard invalid.isEmpty else { throw Problem.invalidRequest(invalid) }
    }
}
