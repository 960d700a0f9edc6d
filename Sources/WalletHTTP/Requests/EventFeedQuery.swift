import Hummingbird
import WalletCore

/// The query of `GET /v1/events`: `after` (a cursor of the feed), `types` (comma-separated event types) and
/// `limit`, nothing else; every fault is `400 invalid_request` naming it.
struct EventFeedQuery {
    /// The most types one `types` filter may name (there are no more than this many).
    static let maximumTypes = EventType.allCases.count

    var pageSize: PageSize = .default
    var after: EventCursor?
    /// The types asked for; nil for every type.
    var types: Set<EventType>?

    init(_ request: Request) throws(Problem) {
        var query = try QueryParameters(request, allowed: ["after", "types", "limit"])
        if let limit = query.values["limit"] {
            if let value = Int(limit), let size = PageSize(value) {
                pageSize = size
            } else {
                query.invalid("limit", "must be a whole number from \(PageSize.validRange.lowerBound) to \(PageSize.validRange.upperBound)")
            }
        }
        if let text = query.values["after"] {
            after = EventCursor(encoded: text)
            if after == nil { query.invalid("after", "is not an event cursor this service handed out") }
        }
        if let text = query.values["types"] {
            let names = text.split(separator: ",", omittingEmptySubsequences: false)
            let parsed = names.compactMap { EventType(rawValue: String($0)) }
            if names.count > Self.maximumTypes || parsed.count != names.count {
                let known = EventType.allCases.map(\.rawValue).joined(separator: ", ")
                query.invalid("types", "must be a comma-separated list of event types: \(known)")
            } else {
                types = Set(parsed)
            }
        }
        try query.finish()
    }
}
