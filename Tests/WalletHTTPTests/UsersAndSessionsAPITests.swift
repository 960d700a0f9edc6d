import Foundation
import HTTPTypes
import Testing
import WalletCore

@Suite("Users and sessions over HTTP")
struct UsersAndSessionsAPITests {
    @Test func registersSignsInAndSignsOut() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(.post, "/v1/users", json: #"{"email":"Bob@Example.COM","password":"hunter2hunter2"}"#)
            #expect(created.status == .created)
            #expect(created.string("email") == "bob@example.com")
            #expect(created.json["password"] == nil)
            #expect(created.string("id")?.hasPrefix("usr_") == true)

            let taken = try await api.send(.post, "/v1/users", json: #"{"email":"bob@example.com","password":"another-password"}"#)
            #expect(taken.status == .conflict)
            #expect(taken.code == "email_taken")

            let session = try await api.send(.post, "/v1/sessions", json: #"{"email":"BOB@example.com","password":"hunter2hunter2"}"#)
            #expect(session.status == .created)
            let token = try #require(session.string("token"))
            #expect(token.count >= 22)
            #expect(session.string("expires_at")?.hasSuffix("Z") == true)

            #expect(try await api.send(.get, "/v1/wallets", token: token).status == .ok)
            let signOut = try await api.send(.delete, "/v1/sessions/current", token: token)
            #expect(signOut.status == .noContent)
            let after = try await api.send(.get, "/v1/wallets", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.code == "unauthorized")
            #expect(after.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test func unknownEmailAndWrongPasswordGetTheSameAnswer() async throws {
        try await APIHarness.run { api in
            _ = try await api.send(.post, "/v1/users", json: #"{"email":"carol@example.com","password":"right-password"}"#)
            let wrong = try await api.send(.post, "/v1/sessions", json: #"{"email":"carol@example.com","password":"wrong-password"}"#)
            let unknown = try await api.send(.post, "/v1/sessions", json: #"{"email":"nobody@example.com","password":"wrong-password"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.code == "invalid_credentials")
            #expect(unknown.status == wrong.status)
            #expect(unknown.code == wrong.code)
            #expect(unknown.string("detail") == wrong.string("detail"))
        }
    }

    @Test func badRegistrationsNameTheirFields() async throws {
        try await APIHarness.run { api in
            let cases: [(String, [String])] = [
                (#"{"email":"not-an-email","password":"long enough"}"#, ["email"]),
                (#"{"email":"a@example.com","password":"short"}"#, ["password"]),
                (#"{"email":"a@example.com","password":"\#(String(repeating: "p", count: 73))"}"#, ["password"]),
                (#"{"email":"a@example.com"}"#, ["password"]),
                (#"{"email":7,"password":"long enough","admin":true}"#, ["admin", "email"]),
            ]
            for (body, names) in cases {
                let answer = try await api.send(.post, "/v1/users", json: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.code == "invalid_request")
                let parameters = (answer.json["invalid_params"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(parameters.sorted() == names, "\(body)")
            }
        }
    }

    @Test func missingAndForgedTokensAreUnauthorized() async throws {
        try await APIHarness.run { api in
            for token in [nil, "forged-token", ""] as [String?] {
                let answer = try await api.send(.get, "/v1/wallets", token: token)
                #expect(answer.status == .unauthorized)
                #expect(answer.headers[.wwwAuthenticate] == "Bearer")
                #expect(answer.headers[.contentType] == "application/problem+json")
            }
            let basic = try await api.send(.get, "/v1/wallets", headers: [.authorization: "Basic Ym9iOnNlY3JldA=="])
            #expect(basic.status == .unauthorized)
        }
    }
}
