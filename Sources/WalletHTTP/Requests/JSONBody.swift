import HTTPTypes
public import Hummingbird

/// Reads a request's JSON body: checks the media type, bounds the size and parses strictly.
public enum JSONBody {
    /// The largest request body accepted.
    public static let maximumBytes = 64 * 1024

    /// The parsed body, or a problem: 415 for another media type, 413 over ``maximumBytes``, 400 for malformed JSON.
    public static func read(_ request: Request, context: some RequestContext) async throws -> JSONValue {
        guard isJSON(request.headers[.contentType]) else {
            throw Problem(
                .unsupportedMediaType,
                code: "unsupported_media_type",
                title: "Unsupported media type",
                detail: "The body must be application/json."
            )
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(
                .contentTooLarge,
                code: "payload_too_large",
                title: "Payload too large",
                detail: "The body is larger than \(maximumBytes) bytes."
            )
        }
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
