public import Hummingbird
public import WalletCore

/// The event feed: `GET /v1/events`, the caller's events (those of changes to its wallets and holds), oldest
/// first, each exactly once to a consumer that follows `next_cursor`.
public struct EventsController: Sendable {
    let feed: EventFeed

    public init(feed: EventFeed) {
        self.feed = feed
    }

    public func addRoutes(to group: RouterGroup<WalletRequestContext>, table: RouteTable) {
        group.route(.get, "/v1/events", access: .scope(.eventsRead), table: table) { request, context in
            let owner = try context.requirePrincipal()
            let query = try EventFeedQuery(request)
            let page = try await feed.page(for: owner, after: query.after, types: query.types, pageSize: query.pageSize)
            return JSONResponse.make(.ok) { json in
                json.object { json in
                    json.key("data")
                    json.array { json in
                        for event in page.events { json.event(event) }
                    }
                    json.key("next_cursor")
                    if let cursor = page.nextCursor { json.string(cursor.encoded) } else { json.null() }
                    json.key("has_more")
                    json.boolean(page.hasMore)
                }
            }
        }
    }
}
