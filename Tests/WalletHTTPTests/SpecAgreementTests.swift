import Foundation
import HTTPTypes
import Testing
import WalletHTTP

@Suite("openapi.yaml and the routes agree")
struct SpecAgreementTests {
    @Test func everyRouteIsInTheSpecAndEveryOperationIsARoute() async throws {
        try await APIHarness.run { api in
            let text = try String(contentsOfFile: APIHarness.openAPIFile, encoding: .utf8)
            let spec = Set(OpenAPIDocument(text: text).operations.map { "\($0.method) \($0.path)" })
            let routes = Set(api.routes.all.map { "\($0.method.rawValue) \($0.path)" })
            #expect(spec.count >= 16)
            #expect(routes.subtracting(spec).isEmpty, "routes missing from openapi.yaml: \(routes.subtracting(spec).sorted())")
            #expect(spec.subtracting(routes).isEmpty, "operations without a route: \(spec.subtracting(routes).sorted())")
        }
    }
}
