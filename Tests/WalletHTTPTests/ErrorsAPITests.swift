import Foundation
import HTTPTypes
import Testing
import WalletCore
import WalletHTTP

@Suite("Bad requests over HTTP: every one a problem with a stable code, never a 500")
struct ErrorsAPITests {
    @Test func bodiesThatAreNotJSONOrTooLarge() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let path = "/v1/wallets/\(wallet)/deposits"
            let text = try await api.send(.post, path, token: alice, key: "a", json: "amount=5", headers: [.contentType: "text/plain"])
            #expect(text.status == .unsupportedMediaType)
            #expect(text.code == "unsupported_media_type")
            let large = try await api.send(.post, path, token: alice, key: "b", json: #"{"amount":5,"pad":""# + String(repeating: "x", count: JSONBody.maximumBytes) + #""}"#)
            #expect(large.status == .contentTooLarge)
            #expect(large.code == "payload_too_large")
            for body in ["{", "[]", "null", #"{"amount":"5"}"#, #"{"amount":5.0}"#, #"{"amount":-5}"#, #"{"amount":9007199254740992}"#, #"{"amount":5,"note":"x"}"#, "{}"] {
                let answer = try await api.send(.post, path, token: alice, key: "c", json: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.code == "invalid_request", "\(body)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                for field in ["type", "title", "status", "detail", "code"] { #expect(answer.json[field] != nil, "\(field)") }
            }
            #expect(try await api.balance(alice, wallet) == 0)
        }
    }

    @Test func unknownRoutesAndMethodsAndRequestIDs() async throws {
        try await APIHarness.run { api in
            let unknown = try await api.send(.get, "/v1/nothing-here")
            #expect(unknown.status == .notFound)
            #expect(unknown.code == "not_found")
            let method = try await api.send(.put, "/v1/transfers")
            #expect(method.status == .methodNotAllowed)
            #expect(method.code == "method_not_allowed")
            #expect(method.headers[.allow] == "POST")
            let echoed = try await api.send(.get, "/v1/wallets", headers: [HTTPField.Name("Request-Id")!: "trace-me"])
            #expect(echoed.headers[HTTPField.Name("Request-Id")!] == "trace-me")
        }
    }
}
