public import Hummingbird

/// `GET /openapi.yaml` (the spec) and `GET /docs` (a self-contained, browsable reference built from it).
public struct DocsController: Sendable {
    let document: OpenAPIDocument
    private let page: String

    public init(document: OpenAPIDocument) {
        self.document = document
        self.page = Self.renderPage(document)
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
                headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: page))
            )
        }
        table.add(.get, "/openapi.yaml")
        table.add(.get, "/docs")
    }

    /// An HTML page: a table of every operation, then the whole spec, with no external scripts or styles.
    static func renderPage(_ document: OpenAPIDocument) -> String {
        let rows = document.operations.map { operation in
            "<tr><td><code>\(escape(operation.method))</code></td><td><code>\(escape(operation.path))</code></td>"
                + "<td>\(escape(operation.summary))</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Wallet API reference</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}\
            td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}pre{background:#f6f6f6;padding:1rem;overflow:auto}</style>
            </head><body>
            <h1>Wallet API reference</h1>
            <p>The machine-readable spec is at <a href="/openapi.yaml">/openapi.yaml</a> (OpenAPI 3.1).</p>
            <table><thead><tr><th>Method</th><th>Path</th><th>Summary</th></tr></thead><tbody>
            \(rows)
            </tbody></table>
            <h2>Specification</h2>
            <pre>\(escape(document.text))</pre>
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
