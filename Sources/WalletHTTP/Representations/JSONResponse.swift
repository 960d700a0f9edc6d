public import Hummingbird

/// JSON answers of the API.
public enum JSONResponse {
    /// The media type of every successful JSON answer.
    public static let contentType = "application/json"

    /// An answer with `status` whose body `write` produces.
    public static func make(_ status: HTTPResponse.Status, _ write: (inout JSONWriter) -> Void) -> Response {
        var writer = JSONWriter()
        write(&writer)
        return make(status, body: writer.bytes)
    }

    /// An answer with `status` and a body already written.
    public static func make(_ status: HTTPResponse.Status, body: [UInt8], headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
