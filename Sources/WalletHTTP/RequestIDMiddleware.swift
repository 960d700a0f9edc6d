import Foundation
public import Hummingbird
import HTTPTypes
import Logging

/// Gives every request a `Request-Id` (the client's own when it sent a sensible one) and echoes it on the response,
/// errors included. Runs first, so that every later layer and log line has the id.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = WalletRequestContext

    /// The longest client-supplied request id that is kept; longer ones are replaced.
    public static let maximumClientRequestIDLength = 128
    /// The header name.
    public static let headerName = HTTPField.Name("Request-Id")!

    public init() {}

    public func handle(
        _ request: Request,
        context: WalletRequestContext,
        next: (Request, WalletRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.acceptable(request.headers[Self.headerName]) ?? Self.makeID()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response = try await next(request, context)
        response.headers[Self.headerName] = context.requestID
        return response
    }

    /// A client id made of visible ASCII and not too long, or nil.
    static func acceptable(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= maximumClientRequestIDLength,
            value.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { return nil }
        return value
    }

    static func makeID() -> String {
        UUID().uuidString.lowercased()
    }
}
