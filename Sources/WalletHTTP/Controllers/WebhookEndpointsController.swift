import Foundation
public import Hummingbird
public import WalletCore

/// Webhook endpoints, each principal's own (scope `webhooks:write` for an API key): `POST /v1/webhook-endpoints`,
/// `GET /v1/webhook-endpoints[/{id}]`, `DELETE /v1/webhook-endpoints/{id}`, `POST …/{id}/rotate-secret`,
/// `POST …/{id}/enable` and `GET …/{id}/deliveries`.
public struct WebhookEndpointsController: Sendable {
    let endpoints: WebhookEndpointStore
    let deliveries: WebhookQueue
    /// Which URLs may be registered.
    let policy: WebhookAddressPolicy

    public init(endpoints: WebhookEndpointStore, deliveries: WebhookQueue, policy: WebhookAddressPolicy) {
        self.endpoints = endpoints
        self.deliveries = deliveries
        self.policy = policy
    }

    public func addRoutes(to group: RouterGroup<WalletRequestContext>, table: RouteTable) {
        let access = RouteAccess.scope(.webhooksWrite)
        group.route(.post, "/v1/webhook-endpoints", access: access, table: table) { request, context in
            try await create(request, context: context)
        }
        group.route(.get, "/v1/webhook-endpoints", access: access, table: table) { request, context in
            let owner = try context.requirePrincipal()
            try QueryParameters(request, allowed: []).finish()
            let owned = try await endpoints.endpoints(of: owner)
            return JSONResponse.make(.ok) { json in json.page(owned, nextCursor: nil) { $0.webhookEndpoint($1) } }
        }
        group.route(.get, "/v1/webhook-endpoints/{id}", access: access, table: table) { _, context in
            let endpoint = try await endpoints.endpoint(try Self.endpointID(context), of: try context.requirePrincipal())
            return JSONResponse.make(.ok) { $0.webhookEndpoint(endpoint) }
        }
        group.route(.delete, "/v1/webhook-endpoints/{id}", access: access, table: table) { _, context in
            try await endpoints.delete(try Self.endpointID(context), of: try context.requirePrincipal())
            return Response(status: .noContent)
        }
        group.route(.post, "/v1/webhook-endpoints/{id}/rotate-secret", access: access, table: table) { request, context in
            try FieldReader(try await JSONBody.readOptional(request, context: context), allowed: []).finish()
            let rotated = try await endpoints.rotateSecret(of: try Self.endpointID(context), owner: try context.requirePrincipal())
            return JSONResponse.make(.ok) { $0.webhookEndpoint(rotated.endpoint, secret: rotated.secret) }
        }
        group.route(.post, "/v1/webhook-endpoints/{id}/enable", access: access, table: table) { request, context in
            try FieldReader(try await JSONBody.readOptional(request, context: context), allowed: []).finish()
            let endpoint = try await endpoints.enable(try Self.endpointID(context), of: try context.requirePrincipal())
            return JSONResponse.make(.ok) { $0.webhookEndpoint(endpoint) }
        }
        group.route(.get, "/v1/webhook-endpoints/{id}/deliveries", access: access, table: table) { request, context in
            try await listDeliveries(request, context: context)
        }
    }

    /// Registers an endpoint: `{url, event_types, description?}` → 201 with its secret, shown only now.
    func create(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal()
        var fields = FieldReader(try await JSONBody.read(request, context: context), allowed: ["url", "event_types", "description"])
        var url: WebhookURL?
        if let text = fields.string("url") {
            do {
                url = try WebhookURL(text, policy: policy)
            } catch {
                fields.invalid("url", error.description)
            }
        }
        let eventTypes = fields.eventTypes()
        let description = fields.optionalString("description")
        if let description, description.utf8.count > WebhookEndpoint.maximumDescriptionBytes || description.isEmpty {
            fields.invalid("description", "must be 1 to \(WebhookEndpoint.maximumDescriptionBytes) bytes")
        }
        try fields.finish()
        guard let url, let eventTypes else { throw Problem.invalidRequest(fields.invalidParameters) }
        let created = try await endpoints.create(for: owner, url: url, eventTypes: eventTypes, description: description)
        return JSONResponse.make(.created) { $0.webhookEndpoint(created.endpoint, secret: created.secret) }
    }

    /// An endpoint's deliveries, newest first: `status`, `limit` and `cursor`.
    func listDeliveries(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal()
        var query = try QueryParameters(request, allowed: PageQuery<WebhookDeliveryCursor>.parameterNames.union(["status"]))
        let page = PageQuery<WebhookDeliveryCursor>(reading: &query, defaultSize: .default) { WebhookDeliveryCursor(encoded: $0) }
        let status = query.values["status"].flatMap(WebhookDeliveryStatus.init(rawValue:))
        if query.values["status"] != nil, status == nil {
            query.invalid("status", "must be one of \(WebhookDeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try query.finish()
        let listed = try await deliveries.deliveries(
            of: try Self.endpointID(context), owner: owner, status: status, pageSize: page.pageSize, after: page.cursor)
        return JSONResponse.make(.ok) { json in
            json.page(listed.deliveries, nextCursor: listed.nextCursor?.encoded) { $0.webhookDelivery($1) }
        }
    }

    /// The `{id}` of the path: an id that is not an endpoint's is answered as an unknown endpoint.
    static func endpointID(_ context: WalletRequestContext) throws(WalletError) -> WebhookEndpointID {
        guard let text = context.parameters.get("id"), let id = WebhookEndpointID(text) else { throw .webhookEndpointNotFound }
        return id
    }
}

extension FieldReader {
    /// The required `event_types` field: a non-empty array of event types, each at most once.
    mutating func eventTypes() -> Set<EventType>? {
        guard let names = stringArray("event_types") else { return nil }
        var types = Set<EventType>()
        for name in names {
            guard let type = EventType(rawValue: name) else {
                invalid("event_types", "\(name) is not an event type (\(EventType.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            guard types.insert(type).inserted else {
                invalid("event_types", "names \(name) twice")
                return nil
            }
        }
        guard !types.isEmpty else {
            invalid("event_types", "must name at least one event type")
            return nil
        }
        return types
    }
}
