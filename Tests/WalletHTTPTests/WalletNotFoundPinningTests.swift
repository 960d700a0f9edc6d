import Foundation
import HTTPTypes
import Testing
import WalletHTTP

/// `wallet_not_found` reached the money logic, so it is pinned to the key like every other refusal; an id that is
/// not written as a wallet id at all is a malformed request (400), refused before the key is claimed.
@Suite("wallet_not_found is pinned to its key")
struct WalletNotFoundPinningTests {
    /// Well formed (`wal_`, then 26 Crockford base32 characters starting 0‥3) and never generated: the time part
    /// of every real id is far from zero.
    static let unknownWallet = "wal_" + String(repeating: "0", count: 26)

    @Test func aTransferToAnUnknownWalletReplaysItsStored404AfterTheSourceChanges() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let source = try await api.wallet(alice)
            _ = try await api.deposit(alice, source, 500)
            let first = try await api.transfer(alice, from: source, to: Self.unknownWallet, 100, key: "to-nowhere")
            #expect(first.status == .notFound)
            #expect(first.code == "wallet_not_found")
            #expect(first.headers[MovementsController.replayedHeader] == nil)

            _ = try await api.deposit(alice, source, 700)
            let again = try await api.transfer(alice, from: source, to: Self.unknownWallet, 100, key: "to-nowhere")
            try expectReplay(again, of: first)
            #expect(try await api.balance(alice, source) == 1_200)
        }
    }

    @Test func aTransferFromAnotherUsersWalletReplaysItsStored404AfterThatWalletIsFunded() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let bob = try await api.signedInUser()
            let alices = try await api.wallet(alice)
            let bobs = try await api.wallet(bob)
            let first = try await api.transfer(alice, from: bobs, to: alices, 100, key: "not-mine")
            #expect(first.code == "wallet_not_found")

            // Whatever happens in between: bob's wallet now holds the amount, alice's has money too.
            _ = try await api.deposit(bob, bobs, 1_000)
            _ = try await api.deposit(alice, alices, 1_000)
            let again = try await api.transfer(alice, from: bobs, to: alices, 100, key: "not-mine")
            try expectReplay(again, of: first)
            #expect(try await api.balance(bob, bobs) == 1_000)
            #expect(try await api.balance(alice, alices) == 1_000)
        }
    }

    @Test func aDepositOrWithdrawalOnAnUnknownOrInvisibleWalletReplaysItsStored404() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let bob = try await api.signedInUser()
            let bobs = try await api.wallet(bob)
            for wallet in [Self.unknownWallet, bobs] {
                let deposit = try await api.deposit(alice, wallet, 100, key: "deposit-\(wallet)")
                let withdrawal = try await api.withdraw(alice, wallet, 100, key: "withdrawal-\(wallet)")
                #expect(deposit.code == "wallet_not_found")
                #expect(withdrawal.code == "wallet_not_found")
                _ = try await api.deposit(bob, bobs, 500)
                try expectReplay(try await api.deposit(alice, wallet, 100, key: "deposit-\(wallet)"), of: deposit)
                try expectReplay(try await api.withdraw(alice, wallet, 100, key: "withdrawal-\(wallet)"), of: withdrawal)
            }
            #expect(try await api.balance(bob, bobs) == 1_000)
        }
    }

    @Test func anIdNotWrittenAsAWalletIdIsAValidationErrorAndNotStored() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let wallet = try await api.wallet(alice)
            let other = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 500)

            let badDestination = try await api.transfer(alice, from: wallet, to: "not-a-wallet", 100, key: "malformed")
            #expect(badDestination.status == .badRequest)
            #expect(badDestination.code == "invalid_request")
            #expect(Self.invalidNames(badDestination) == ["to_wallet_id"])
            let badPath = try await api.deposit(alice, "wal_nope", 100, key: "malformed-path")
            #expect(badPath.status == .badRequest)
            #expect(Self.invalidNames(badPath) == ["id"])

            // Nothing was stored: the same keys serve the corrected requests.
            let corrected = try await api.transfer(alice, from: wallet, to: other, 100, key: "malformed")
            #expect(corrected.status == .created)
            #expect(corrected.headers[MovementsController.replayedHeader] == nil)
            let correctedPath = try await api.deposit(alice, wallet, 100, key: "malformed-path")
            #expect(correctedPath.status == .created)
            #expect(try await api.balance(alice, wallet) == 500)
        }
    }

    private func expectReplay(_ again: APIHarness.Answer, of first: APIHarness.Answer) throws {
        #expect(again.status == first.status)
        #expect(again.body == first.body, "byte for byte")
        #expect(again.headers[MovementsController.replayedHeader] == "true")
        #expect(again.headers[.contentType] == "application/problem+json")
    }

    private static func invalidNames(_ answer: APIHarness.Answer) -> [String] {
        (answer.json["invalid_params"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }
}
