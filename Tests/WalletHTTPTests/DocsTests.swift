import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MariaDB
import Prometheus
import Testing
import TestSupport
import WalletCore
import WalletHTTP

/// The `/docs` page and its files, served over a real socket by the whole router. Swagger UI's own files in a
/// browser: `scripts/docs-browser-test`.
@Suite("The API reference page")
struct DocsTests {
    static let logger = Logger(label: "docs-test")
    static let document = OpenAPIDocument(
        text: "openapi: 3.1.0\npaths:\n  /livez:\n    get:\n      summary: Liveness\n  /v1/wallets:\n    get:\n      summary: List <wallets>\n"
    )

    private func withLiveService(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let pool = MariaDBConnectionPool(database: try TestDatabase.configuration(), configuration: .init(size: 1), logger: Self.logger)
        do {
            let router = try await buildRouter(
                RouterDependencies(
                    wallet: WalletService(pool: pool, eventData: APIEventData(), logger: Self.logger),
                    readiness: ReadinessCheck(pool: pool) { _ in nil },
                    metrics: PrometheusCollectorRegistry(),
                    openAPI: Self.document,
                    hasher: PasswordHasher(cost: PasswordHasher.costRange.lowerBound)
                )
            )
            try await Application(router: router, logger: Self.logger).test(.live, body)
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    @Test func thePageLoadsThePinnedSwaggerUIFromTheCDNWithIntegrityAndAStrictPolicy() async throws {
        try await withLiveService { client in
            try await client.execute(uri: "/docs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                let cdn = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@\(SwaggerUIRelease.version)/"
                #expect(page.contains("<script src=\"\(cdn)swagger-ui-bundle.js\" integrity=\"\(SwaggerUIRelease.script.integrity)\""))
                #expect(page.contains("<link rel=\"stylesheet\" href=\"\(cdn)swagger-ui.css\" integrity=\"\(SwaggerUIRelease.styleSheet.integrity)\""))
                #expect(page.contains("<script src=\"/docs/assets/wallet-docs.js\"></script>"))
                // Without JavaScript: every operation, escaped, and the spec's address.
                #expect(page.contains("<noscript>"))
                #expect(page.contains("<code>/livez</code>"))
                #expect(page.contains("<td>List &lt;wallets&gt;</td>"))
                #expect(page.contains("<a href=\"/openapi.yaml\">"))
                #expect(!page.contains("<script>"), "no inline script: the policy allows none")
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("default-src 'none'"))
                #expect(policy.contains("script-src 'self' https://cdn.jsdelivr.net;"))
                #expect(policy.contains("style-src 'self' https://cdn.jsdelivr.net;"))
                #expect(policy.contains("connect-src 'self';"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test func theStartUpScriptUsesTheSpecAndKeepsTheTokenAndIsRevalidatedByItsETag() async throws {
        try await withLiveService { client in
            let entityTag = try await client.execute(uri: "/docs/assets/wallet-docs.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-cache")
                let script = String(buffer: response.body)
                #expect(script.contains("url: \"/openapi.yaml\""))
                #expect(script.contains("persistAuthorization: true"))
                let tag = try #require(response.headers[.eTag])
                #expect(tag.count == 66 && tag.hasPrefix("\"") && tag.hasSuffix("\""))
                return tag
            }
            for ifNoneMatch in [entityTag, "W/\(entityTag)", "\"other\", \(entityTag)", "*"] {
                try await client.execute(uri: "/docs/assets/wallet-docs.js", method: .get, headers: [.ifNoneMatch: ifNoneMatch]) { response in
                    #expect(response.status == .notModified, "If-None-Match: \(ifNoneMatch)")
                    #expect(response.body.readableBytes == 0)
                    #expect(response.headers[.eTag] == entityTag)
                }
            }
            try await client.execute(uri: "/docs/assets/wallet-docs.js", method: .get, headers: [.ifNoneMatch: "\"stale\""]) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes > 0)
            }
        }
    }

    @Test func onlyTheListedFilesAreServedAndNoPathLeavesTheList() async throws {
        try await withLiveService { client in
            let refused = [
                "/docs/assets/swagger-ui-bundle.js",  // served only with --docs-assets-dir
                "/docs/assets/swagger-ui.css",
                "/docs/assets/index.html",  // in Swagger UI's folder, but not listed
                "/docs/assets/../openapi.yaml",
                "/docs/assets/..%2Fopenapi.yaml",
                "/docs/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/docs/assets/..%5c..%5cetc%5cpasswd",
                "/docs/assets/wallet-docs.js%00.css",
                "/docs/assets/./wallet-docs.js",
                "/docs/assets//etc/passwd",
                "/docs/assets/",
            ]
            for path in refused {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(path)")
                    #expect(!String(buffer: response.body).contains("root:"), "\(path)")
                }
            }
        }
    }

    @Test func aLocalFolderIsRefusedUnlessItHoldsThePinnedReleasesFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("docs-assets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }

        #expect(throws: DocsAssets.LoadError.self) { try DocsAssets.load(directory: folder.path) }
        do {
            _ = try DocsAssets.load(directory: folder.path)
        } catch {
            #expect(error.description.contains("no Swagger UI folder at \(folder.path)"))
        }

        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            _ = try DocsAssets.load(directory: folder.path)
            Issue.record("an empty folder was accepted")
        } catch {
            #expect(error.description.contains("no swagger-ui-bundle.js in \(folder.path)"), "\(error.description)")
        }

        // The right names, but not the pinned release's bytes.
        for file in SwaggerUIRelease.files {
            try Data("window.SwaggerUIBundle = function () {};".utf8).write(to: folder.appendingPathComponent(file.name))
        }
        do {
            _ = try DocsAssets.load(directory: folder.path)
            Issue.record("files of another release were accepted")
        } catch {
            #expect(error.description.contains("is not Swagger UI \(SwaggerUIRelease.version)'s swagger-ui-bundle.js"), "\(error.description)")
            #expect(error.description.contains("pip install swagger-ui-bundle-v2==\(SwaggerUIRelease.version)"))
        }

        // Larger than the bound: refused after reading one byte past it.
        let script = try FileHandle(forWritingTo: folder.appendingPathComponent(SwaggerUIRelease.script.name))
        try script.truncate(atOffset: UInt64(DocsAssets.maximumFileBytes + 1))
        try script.close()
        do {
            _ = try DocsAssets.load(directory: folder.path)
            Issue.record("an oversized file was accepted")
        } catch {
            #expect(error.description.contains("is larger than \(DocsAssets.maximumFileBytes) bytes"), "\(error.description)")
        }
    }
}
