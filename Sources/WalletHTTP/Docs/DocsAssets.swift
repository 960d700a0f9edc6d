import Crypto
import Foundation

/// Where the `/docs` page loads Swagger UI from: the pinned release on its CDN (the default), or a local copy of
/// the same files that the service serves itself under `/docs/assets/`, for machines without internet.
public enum DocsAssets: Sendable {
    /// The browser loads ``SwaggerUIRelease``'s files from ``SwaggerUIRelease/cdnBaseURL``.
    case cdn
    /// The service serves these files (``SwaggerUIRelease/files``, read at start-up), keyed by name.
    case local([String: DocsAsset])

    /// The largest file accepted from a local folder (the release's largest, the script, is about 1.5 MB).
    public static let maximumFileBytes = 8 * 1024 * 1024
    /// The path under which local files are served, ending in `/`.
    public static let pathPrefix = "/docs/assets/"

    /// Why a local folder cannot be used; the description says what to do.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads ``SwaggerUIRelease/files`` from `directory` (for example the `swagger_ui_path` of PyPI's
    /// `swagger-ui-bundle-v2`), refusing a missing folder, a missing or oversized file, and files that are not
    /// the pinned release's (their SHA-384 differs from its integrity hash).
    public static func load(directory: String) throws(LoadError) -> DocsAssets {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw LoadError(description: "no Swagger UI folder at \(directory) (--docs-assets-dir or WALLET_DOCS_ASSETS_DIR)")
        }
        var files: [String: DocsAsset] = [:]
        for file in SwaggerUIRelease.files {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(file.name).path
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw LoadError(description: "no \(file.name) in \(directory): not a Swagger UI \(SwaggerUIRelease.version) folder")
            }
            // One byte more than the bound tells an oversized file from one of exactly the largest size.
            let read = Result { try handle.read(upToCount: maximumFileBytes + 1) ?? Data() }
            try? handle.close()
            guard case .success(let data) = read else {
                throw LoadError(description: "cannot read \(path)")
            }
            guard data.count <= maximumFileBytes else {
                throw LoadError(description: "\(path) is larger than \(maximumFileBytes) bytes")
            }
            guard "sha384-" + Data(SHA384.hash(data: data)).base64EncodedString() == file.integrity else {
                throw LoadError(
                    description: "\(path) is not Swagger UI \(SwaggerUIRelease.version)'s \(file.name) (its SHA-384 differs); "
                        + "use that release's files, for example: pip install swagger-ui-bundle-v2==\(SwaggerUIRelease.version)"
                )
            }
            files[file.name] = DocsAsset(name: file.name, contentType: file.contentType, bytes: data)
        }
        return .local(files)
    }

    /// The address the page loads `file` from.
    func url(of file: SwaggerUIRelease.File) -> String {
        switch self {
        case .cdn: SwaggerUIRelease.cdnBaseURL + file.name
        case .local: Self.pathPrefix + file.name
        }
    }

    /// The Content-Security-Policy source of the Swagger UI files: the CDN's origin, or none beyond `'self'`.
    var externalOrigin: String? {
        switch self {
        case .cdn: SwaggerUIRelease.cdnOrigin
        case .local: nil
        }
    }

    /// The files the service serves itself.
    var localFiles: [String: DocsAsset] {
        switch self {
        case .cdn: [:]
        case .local(let files): files
        }
    }
}
