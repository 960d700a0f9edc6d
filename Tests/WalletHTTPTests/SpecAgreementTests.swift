import Foundation
import HTTPTypes
import Testing
import WalletCore
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

@Suite("openapi.yaml and the service's lists agree")
struct SpecListsTests {
    @Test func theCurrencyEnumIsTheServicesListOfActiveCodes() throws {
        let text = try String(contentsOfFile: APIHarness.openAPIFile, encoding: .utf8)
        let schema = try #require(text.range(of: "\n    Currency:\n"), "no Currency schema")
        let enumStart = try #require(text.range(of: "enum: [", range: schema.upperBound..<text.endIndex))
        let enumEnd = try #require(text.range(of: "]", range: enumStart.upperBound..<text.endIndex))
        let listed = text[enumStart.upperBound..<enumEnd.lowerBound]
            .split(whereSeparator: { $0 == "," || $0.isWhitespace })
            .map(String.init)
        #expect(listed == listed.sorted(), "the enum is kept sorted")
        #expect(Set(listed) == Currency.activeCodes)
        #expect(listed.count == Currency.activeCodes.count, "no code listed twice")
    }
}
