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

    /// YAML parsers disagree on a repeated key (one keeps the last, Swagger UI's refuses the document), so a
    /// path written twice hides operations from the fuzzer and blanks the reference page.
    @Test func noMappingInTheSpecHasAKeyTwice() throws {
        let text = try String(contentsOfFile: APIHarness.openAPIFile, encoding: .utf8)
        #expect(BlockMappingKeys.repeated(in: text) == [])
    }
}

/// The keys of YAML block mappings, read line by line (block scalars skipped), to find a key written twice in
/// one mapping.
enum BlockMappingKeys {
    /// `line number: key` for every key that repeats an earlier key of its mapping.
    static func repeated(in text: String) -> [String] {
        var open: [(indent: Int, keys: Set<String>)] = []
        var blockScalarIndent: Int?
        var repeats: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix(while: { $0 == " " }).count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if let scalarIndent = blockScalarIndent {
                if indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            while let last = open.last, last.indent > indent { open.removeLast() }
            var entry = content
            var entryIndent = indent
            if entry.hasPrefix("- ") {
                // A sequence item starts a new mapping at the item's content.
                entry = entry.dropFirst(2)
                entryIndent = indent + 2
                while let last = open.last, last.indent >= entryIndent { open.removeLast() }
            }
            guard let colon = entry.range(of: ":"), entry[colon.upperBound...].first.map({ $0 == " " }) ?? true,
                  !entry.hasPrefix("{"), !entry.hasPrefix("[") else { continue }
            let key = String(entry[..<colon.lowerBound])
            if open.last?.indent != entryIndent { open.append((entryIndent, [])) }
            if !open[open.count - 1].keys.insert(key).inserted { repeats.append("\(number + 1): \(key)") }
            let value = entry[colon.upperBound...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("|") || value.hasPrefix(">") { blockScalarIndent = indent }
        }
        return repeats
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
