public import Hummingbird
public import WalletCore

/// The query of a paged route: `limit` (``PageSize/validRange``) and an optional `cursor`, nothing else.
struct PageQuery<Cursor> {
    var pageSize: PageSize
    var cursor: Cursor?

    /// Reads `request`'s query; `decode` turns cursor text into a cursor, or nil when it is not one. Any unknown
    /// parameter, bad limit or bad cursor is `400 invalid_request` naming each.
    init(_ request: Request, defaultSize: PageSize, decode: (String) -> Cursor?) throws(Problem) {
        var invalid: [Problem.InvalidParameter] = []
        pageSize = defaultSize
        for (name, _) in request.uri.queryParameters where name != "limit" && name != "cursor" {
            invalid.append(.init(name: String(name), reason: "is not a known parameter"))
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
