import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WalletHTTP

/// The cap on requests in flight: beyond it `503 overloaded` at once; health and metrics always served.
@Suite("In-flight limit")
struct InFlightLimitTests {
    @Test func requestsBeyondTheCapAreRefusedAndHealthIsNot() async throws {
        let limit = InFlightLimitMiddleware(limit: 1)
        let (gate, open) = AsyncStream<Void>.makeStream()
        let router = Router(context: WalletRequestContext.self)
        router.addMiddleware {
            limit
            ProblemMiddleware(routes: RouteTable())
        }
        router.get("/slow") { _, _ -> HTTPResponse.Status in
            for await _ in gate { break }
            return .ok
        }
        router.get("/fast") { _, _ in HTTPResponse.Status.ok }
        router.get("/livez") { _, _ in HTTPResponse.Status.ok }

        try await Application(router: router).test(.router) { client in
            async let slow = client.execute(uri: "/slow", method: .get) { $0.status }
            while limit.current < 1 { try await Task.sleep(for: .milliseconds(5)) }

            try await client.execute(uri: "/fast", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(String(buffer: response.body).contains(#""code":"overloaded""#))
            }
            try await client.execute(uri: "/livez", method: .get) { response in
                #expect(response.status == .ok, "health checks are never refused")
            }
            open.yield()
            #expect(try await slow == .ok)
            #expect(limit.current == 0)
            try await client.execute(uri: "/fast", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
