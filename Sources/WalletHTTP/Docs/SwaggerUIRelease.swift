/// The one Swagger UI release that `/docs` renders with, from the CDN or from a local copy of the same files.
///
/// Pinned to the version that PyPI's `swagger-ui-bundle-v2` package of the same number ships (the original
/// `swagger-ui-bundle` stops at Swagger UI 4.15.5, which refuses OpenAPI 3.1 documents). The integrity hashes are
/// the SHA-384 of that package's files; the browser refuses a CDN file that differs, and `wallet serve` refuses a
/// local folder whose files differ, so the page runs the same code either way.
public enum SwaggerUIRelease {
    /// One file of the release that the page loads.
    public struct File: Sendable, Hashable {
        /// The file's name, the same on the CDN and in the package's folder.
        public let name: String
        /// Its `Content-Type` when served locally.
        public let contentType: String
        /// Its Subresource Integrity value (`sha384-` and the base64 digest).
        public let integrity: String
    }

    /// The pinned version.
    public static let version = "5.31.0"
    /// Where the CDN serves this version's files (the npm package `swagger-ui-dist` through jsDelivr).
    public static let cdnOrigin = "https://cdn.jsdelivr.net"
    /// The folder of this version's files on the CDN, ending in `/`.
    public static let cdnBaseURL = "\(cdnOrigin)/npm/swagger-ui-dist@\(version)/"

    /// The script: Swagger UI with its dependencies in one file.
    public static let script = File(
        name: "swagger-ui-bundle.js",
        contentType: "text/javascript; charset=utf-8",
        integrity: "sha384-cxafBeQ+zYROeFafGFxtFbnp1ICqeS9mG7+f0WWSHzhnrUvwg9Za5CCw6wgrHA7K"
    )
    /// The style sheet.
    public static let styleSheet = File(
        name: "swagger-ui.css",
        contentType: "text/css; charset=utf-8",
        integrity: "sha384-KX9Rx9vM1AmUNAn07bPAiZhFD4C8jdNgG6f5MRNvR+EfAxs2PmMFtUUazui7ryZQ"
    )
    /// Every file the page loads; nothing else of a local folder is ever served.
    public static let files = [script, styleSheet]
}
