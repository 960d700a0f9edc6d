import Foundation
public import Hummingbird

/// An error answer in the RFC 9457 `application/problem+json` format, with a stable machine-readable `code`.
///
/// Every 4xx and 5xx answer of the service is one of these: routes throw them, and ``ProblemMiddleware`` turns
/// any other error into one.
public struct Problem: HTTPResponseError, Sendable {
    /// One invalid field of a request.
    public struct InvalidParameter: Codable, Sendable, Equatable {
        public var name: String
        public var reason: String
        public init(name: String, reason: String) {
            self.name = name
            self.reason = reason
        }
    }

    /// The media type of every problem answer.
    public static let mediaType = "application/problem+json"
    /// Where the problem types are described; the `type` URI is this followed by the code.
    public static let typeBaseURI = "https://wallet.example/problems/"

    public let status: HTTPResponse.Status
    /// The stable code clients switch on, for example `insufficient_funds`.
    public let code: String
    /// A short summary of the problem type.
    public let title: String
    /// What happened this time.
    public let detail: String
    /// The fields at fault, for `invalid_request`.
    public let invalidParameters: [InvalidParameter]
    /// Extra headers, for example `Retry-After`.
    public let headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status,
        code: String,
        title: String,
        detail: String,
        invalidParameters: [InvalidParameter] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.invalidParameters = invalidParameters
        self.headers = headers
    }

    /// The JSON document of this problem.
    public var body: [UInt8] {
        let document = Document(
            type: Self.typeBaseURI + code,
            title: title,
            status: Int(status.code),
            detail: detail,
            code: code,
            invalidParams: invalidParameters.isEmpty ? nil : invalidParameters
        )
        // Encoding a struct of strings and integers cannot fail.
        return Array(try! Self.encoder.encode(document))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = Self.mediaType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private struct Document: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var invalidParams: [InvalidParameter]?

        enum CodingKeys: String, CodingKey {
            case type, title, status, detail, code
            case invalidParams = "invalid_params"
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

extension Problem {
    /// No route has this path.
    public static func notFound(_ path: String) -> Problem {
        Problem(.notFound, code: "not_found", title: "Not found", detail: "There is no resource at \(path).")
    }

    /// The path exists, but not with this method.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> Problem {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return Problem(
            .methodNotAllowed,
            code: "method_not_allowed",
            title: "Method not allowed",
            detail: "\(method.rawValue) is not allowed here; allowed: \(allowed.map(\.rawValue).joined(separator: ", ")).",
            headers: headers
        )
    }

    /// The database cannot be reached or is not ready.
    public static func unavailable(_ detail: String, retryAfterSeconds: Int = 1) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfterSeconds)
        return Problem(.serviceUnavailable, code: "unavailable", title: "Service unavailable", detail: detail, headers: headers)
    }

    /// Something failed inside the service; the detail never carries internals.
    public static func internalError(requestID: String) -> Problem {
        Problem(
            .internalServerError,
            code: "internal_error",
            title: "Internal error",
            detail: "The service failed to answer this request; it has been logged with request id \(requestID)."
        )
    }
}
