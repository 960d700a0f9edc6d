import HTTPTypes
import Hummingbird
import Testing
import WalletHTTP

@Suite("Strict JSON, field validation and idempotency keys")
struct RequestParsingTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesObjectsKeepingIntegersApartFromOtherNumbers() throws {
        let value = try parse(#" {"amount": 9007199254740991, "rate": 1.0, "big": 1e3, "s": "a\"b\u00e9\ud83d\udcb6", "n": null, "t": [true, false]} "#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["amount", "rate", "big", "s", "n", "t"])
        #expect(members[0].value == .integer(9_007_199_254_740_991))
        #expect(members[1].value == .number("1.0"))
        #expect(members[2].value == .number("1e3"))
        #expect(members[3].value == .string("a\"bé💶"))
        #expect(members[4].value == .null)
        #expect(members[5].value == .array([.bool(true), .bool(false)]))
    }

    @Test(arguments: [
        "", "{", "{\"a\":1,}", "{\"a\":1}{}", "[1 2]", "{\"a\":01}", "{\"a\":-}", "{'a':1}", "{\"a\":1,\"a\":2}",
        "{\"a\":\"\u{01}\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "nul", "{\"a\":1.}",
    ])
    func rejectsMalformedJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func boundsNestingAndStringLength() throws {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try parse(fine)
        let long = "\"" + String(repeating: "x", count: JSONParser.maximumStringBytes + 1) + "\""
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(long.utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func fieldReaderNamesEveryBadField() throws {
        var reader = FieldReader(try parse(#"{"amount": 1.5, "currency": 7, "extra": true}"#), allowed: ["amount", "currency", "to"])
        _ = reader.integer("amount", in: 1...9_007_199_254_740_991)
        _ = reader.string("currency")
        _ = reader.string("to")
        let names = reader.invalidParameters.map(\.name).sorted()
        #expect(names == ["amount", "currency", "extra", "to"])
        let problem = #expect(throws: Problem.self) { try reader.finish() }
        #expect(problem?.code == "invalid_request")
        #expect(problem?.status == .badRequest)
        #expect(problem?.invalidParameters.count == 4)
    }

    @Test func fieldReaderChecksRanges() throws {
        for (text, valid) in [("0", false), ("-1", false), ("1", true), ("9007199254740991", true), ("9007199254740992", false), ("true", false), ("\"5\"", false)] {
            var reader = FieldReader(try parse("{\"amount\": \(text)}"), allowed: ["amount"])
            let amount = reader.integer("amount", in: 1...9_007_199_254_740_991)
            #expect((amount != nil) == valid, "amount \(text)")
            #expect(reader.invalidParameters.isEmpty == valid)
        }
        let notObject = FieldReader(try parse("[1]"), allowed: [])
        #expect(notObject.invalidParameters.first?.name == "body")
    }
}

@Suite("The Idempotency-Key header")
struct IdempotencyKeyHeaderTests {
    private func request(_ value: String?) -> Request {
        var headers = HTTPFields()
        if let value { headers[IdempotencyKeyHeader.name] = value }
        return Request(head: HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/v1/transfers", headerFields: headers), body: .init(buffer: ByteBuffer()))
    }

    @Test func acceptsTheBareAndTheQuotedForm() throws {
        #expect(try IdempotencyKeyHeader.key(of: request("order-42")) == "order-42")
        #expect(try IdempotencyKeyHeader.key(of: request("\"order-42\"")) == "order-42")
        #expect(try IdempotencyKeyHeader.key(of: request(String(repeating: "k", count: 255))).count == 255)
    }

    @Test func aMissingKeyAndABadKeyHaveTheirOwnCodes() {
        let missing = #expect(throws: Problem.self) { try IdempotencyKeyHeader.key(of: request(nil)) }
        #expect(missing?.code == "idempotency_key_missing")
        for bad in ["", "has space", String(repeating: "k", count: 256), "caf\u{e9}", "\"unterminated\\\"", "\"\""] {
            let problem = #expect(throws: Problem.self) { try IdempotencyKeyHeader.key(of: request(bad)) }
            #expect(problem?.code == "idempotency_key_invalid", "\(bad)")
        }
    }
}
