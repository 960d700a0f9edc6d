/// The `/docs` page: Swagger UI rendering `/openapi.yaml`, with a list of the operations for browsers without
/// JavaScript, its start-up script (served by the service, so that no inline script is needed) and the
/// Content-Security-Policy that allows exactly what it loads.
struct DocsPage: Sendable {
    /// The name of the start-up script under ``DocsAssets/pathPrefix``.
    static let scriptName = "wallet-docs.js"

    /// The HTML.
    let html: String
    /// The start-up script.
    let script: DocsAsset
    /// The `Content-Security-Policy` of the page.
    let contentSecurityPolicy: String

    init(document: OpenAPIDocument, assets: DocsAssets) {
        html = Self.renderHTML(document, assets: assets)
        script = DocsAsset(name: Self.scriptName, contentType: "text/javascript; charset=utf-8", bytes: Array(Self.scriptText.utf8))
        // Scripts and styles from here or the pinned CDN only (never inline); the spec and "try it" requests go to
        // this service only; Swagger UI's icons are data: images.
        let external = assets.externalOrigin.map { " " + $0 } ?? ""
        contentSecurityPolicy = [
            "default-src 'none'",
            "script-src 'self'\(external)",
            "style-src 'self'\(external)",
            "img-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    /// Swagger UI's settings: the spec from this service, a search box over the operations, and the bearer token
    /// entered in "Authorize" kept (in the browser's local storage) and sent by every "try it".
    static let scriptText = """
        "use strict";
        (function () {
          var root = document.getElementById("swagger-ui");
          if (typeof SwaggerUIBundle !== "function") {
            root.textContent = "Swagger UI could not be loaded. The specification is at /openapi.yaml.";
            return;
          }
          window.ui = SwaggerUIBundle({
            url: "/openapi.yaml",
            domNode: root,
            deepLinking: true,
            filter: true,
            persistAuthorization: true,
            displayRequestDuration: true,
            validatorUrl: null
          });
        })();

        """

    private static func renderHTML(_ document: OpenAPIDocument, assets: DocsAssets) -> String {
        let rows = document.operations.map { operation in
            "<tr><td><code>\(escape(operation.method))</code></td><td><code>\(escape(operation.path))</code></td>"
                + "<td>\(escape(operation.summary))</td></tr>"
        }.joined(separator: "\n")
        let styleSheet = SwaggerUIRelease.styleSheet
        let script = SwaggerUIRelease.script
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Wallet API reference</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="\(escape(assets.url(of: styleSheet)))" integrity="\(styleSheet.integrity)" crossorigin="anonymous">
            </head><body>
            <noscript>
            <h1>Wallet API reference</h1>
            <p>The interactive reference needs JavaScript. The specification is at <a href="/openapi.yaml">/openapi.yaml</a> (OpenAPI 3.1).</p>
            <table><thead><tr><th>Method</th><th>Path</th><th>Summary</th></tr></thead><tbody>
            \(rows)
            </tbody></table>
            </noscript>
            <div id="swagger-ui"></div>
            <script src="\(escape(assets.url(of: script)))" integrity="\(script.integrity)" crossorigin="anonymous"></script>
            <script src="\(DocsAssets.pathPrefix)\(scriptName)"></script>
            </body></html>
            """
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
