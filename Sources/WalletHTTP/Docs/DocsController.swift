public import Hummingbird

/// `GET /openapi.yaml` (the spec), `GET /docs` (Swagger UI rendering it) and `GET /docs/assets/{file}` (the page's
/// start-up script, and Swagger UI's files when the service serves a local copy).
public struct DocsController: Sendable {
    /// The `Cache-Control` of asset files: kept, but revalidated on every use (a 304 without a body when
    /// unchanged). Their addresses carry no version, and an upgrade of the service changes the integrity hashes
    /// the page asks for, so a long-lived cached copy would break the page after one.
    static let assetCacheControl = "no-cache"

    let document: OpenAPIDocument
    private let page: DocsPage
    /// The files under ``DocsAssets/pathPrefix``, by name; nothing else is served there.
    private let assets: [String: DocsAsset]

    public init(document: OpenAPIDocument, assets: DocsAssets) {
        self.document = document
        self.page = DocsPage(document: document, assets: assets)
        self.assets = assets.localFiles.merging([DocsPage.scriptName: page.script]) { local, _ in local }
    }

    public func addRoutes(to router: Router<WalletRequestContext>, table: RouteTable) {
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: document.text))
            )
        }
        router.get("/docs") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .contentSecurityPolicy: page.contentSecurityPolicy,
                    .xContentTypeOptions: "nosniff",
                    .cacheControl: "no-cache",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: page.html))
            )
        }
        router.get("\(DocsAssets.pathPrefix){file}") { request, context in
            try asset(named: context.parameters.get("file"), request: request)
        }
        table.add(.get, "/openapi.yaml")
        table.add(.get, "/docs")
        table.add(.get, "\(DocsAssets.pathPrefix){file}")
    }

    /// One of ``assets`` by its exact name (no path is ever built from the request), or 404 `not_found`.
    private func asset(named name: String?, request: Request) throws -> Response {
        guard let name, let asset = assets[name] else { throw Problem.notFound(request.uri.path) }
        var headers: HTTPFields = [
            .eTag: asset.entityTag,
            .cacheControl: Self.assetCacheControl,
            .xContentTypeOptions: "nosniff",
        ]
        if let ifNoneMatch = request.headers[.ifNoneMatch], asset.isMatched(byIfNoneMatch: ifNoneMatch) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
    }
}
