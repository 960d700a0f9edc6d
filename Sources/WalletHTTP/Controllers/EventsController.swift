public import Hummingbird
public import WalletCore

/// The event feed: `GET /v1/events`, the caller's events (those of changes to its wallets and holds), oldest
/// first, each exactly once to a consumer that follows `next_cursor`; and `POST /v1/events/{id}/redeliver`, which
/// queues an event's webhook delivery again.
public struct EventsController: Sendable {
    let feed: EventFeed
    let webhooks: WebhookQueue

    public init(feed: EventFeed, webhooks: WebhookQueue) {
        self.feed = feed
        self.webhooks = webhooks
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
        group.route(.post, "/v1/events/{id}/redeliver", access: .scope(.webhooksWrite), table: table) { request, context in
            try await redeliver(request, context: context)
        }
    }

    /// Queues the event's delivery again, due at once, to the endpoint named or to every enabled endpoint of the
    /// caller subscribed to its type: 202 with those deliveries. A delivery still pending keeps its place (and an
    /// attempt in flight finishes); a delivered or failed one starts over, with a new retry window.
    func redeliver(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal()
        var fields = FieldReader(try await JSONBody.readOptional(request, context: context), allowed: ["endpoint_id"])
        let endpointText = fields.optionalString("endpoint_id")
        let endpoint = endpointText.flatMap(WebhookEndpointID.init)
        if endpointText != nil, endpoint == nil { fields.invalid("endpoint_id", "is not a webhook endpoint id") }
        try fields.finish()
        guard let text = context.parameters.get("id"), let id = EventID(text) else { throw WalletError.eventNotFound }
        let deliveries = try await webhooks.redeliver(event: id, of: owner, to: endpoint)
        return JSONResponse.make(.accepted) { json in
            json.object { json in
                json.key("data")
                json.array { json in
                    for delivery in deliveries { json.webhookDelivery(delivery) }
                }
            }
        }
    }
}
