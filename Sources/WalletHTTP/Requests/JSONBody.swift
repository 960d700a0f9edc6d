import HTTPTypes
public import Hummingbird

/// Reads a request's JSON body: checks the media type, bounds the size and parses strictly.
public enum JSONBody {
    /// The largest request body accepted: room for the largest valid request, 64 legs and 50 metadata values of
    /// 500 four-byte characters (about 110 KB), and no more.
    public static let maximumBytes = 160 * 1024

    /// The parsed body, or a problem: 415 for another media type, 413 over ``maximumBytes``, 400 for malformed JSON.
    public static func read(_ request: Request, context: some RequestContext) async throws -> JSONValue {
        guard isJSON(request.headers[.contentType]) else { throw unsupportedMediaType }
        return try parse(try await collect(request))
    }

    /// Like ``read(_:context:)``, but a request with no body at all (no `Content-Type`, nothing sent) reads as the
    /// empty object: for routes whose fields are all optional.
    public static func readOptional(_ request: Request, context: some RequestContext) async throws -> JSONValue {
        let contentType = request.headers[.contentType]
        guard contentType == nil || isJSON(contentType) else { throw unsupportedMediaType }
        let buffer = try await collect(request)
        guard contentType != nil else {
            guard buffer.readableBytes == 0 else { throw unsupportedMediaType }
            return .object([])
        }
        return try parse(buffer)
    }

    private static let unsupportedMediaType = Problem(
        .unsupportedMediaType,
        code: "unsupported_media_type",
        title: "Unsupported media type",
        detail: "The body must be application/json."
    )

    /// The whole body, or 413 over ``maximumBytes``.
    private static func collect(_ request: Request) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: maximumBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(
                .contentTooLarge,
                code: "payload_too_large",
                title: "Payload too large",
                detail: "The body is larger than \(maximumBytes) bytes."
            )
        }
    }

    /// The JSON in `buffer`, or 400 when it is malformed.
    private static func parse(_ buffer: ByteBuffer) throws -> JSONValue {
        do {
            return try JSONParser.parse(Array(buffer.readableBytesView))
        } catch {
            throw Problem(
                .badRequest,
                code: "invalid_request",
                title: "Invalid request",
                detail: "The body is not valid JSON: \(error.reason) at byte \(error.offset)."
            )
        }
    }

    /// True for `application/json`, with or without parameters such as `charset=utf-8`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace().lowercased() }
        return mediaType == "application/json"
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var text = self
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }
}
