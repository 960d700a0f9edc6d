import Foundation
import Testing

@testable import WalletCore

@Suite("The money logic, without a database")
struct MovementPlanTests {
    let alice = PrincipalID.user(.generate())
    let bob = PrincipalID.application(.generate())

    func wallet(_ owner: PrincipalID, _ currency: String = "USD", balance: Int64) -> Wallet {
        let now = Date()
        return Wallet(
            id: .generate(), ownerID: owner, ownerReference: nil, currency: Currency(code: currency)!, balance: balance, version: 3,
            createdAt: now, updatedAt: now
        )
    }

    func plan(_ request: MovementRequest, by user: PrincipalID, _ wallets: Wallet...) -> Result<MovementPlan, WalletError> {
        MovementPlan.make(for: request, by: user, wallets: Dictionary(uniqueKeysWithValues: wallets.map { ($0.id, $0) }))
    }

    func refusal(_ result: Result<MovementPlan, WalletError>) -> WalletError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func aDepositCreditsTheOwnersWallet() throws {
        let mine = wallet(alice, balance: 10)
        let plan = try plan(.deposit(wallet: mine.id, amount: .of(5)), by: alice, mine).get()
        #expect(plan.type == .deposit && plan.currency == mine.currency && plan.amount == .of(5))
        #expect(plan.postings.map(\.amount) == [5])
        #expect(plan.postings.map(\.balanceAfter) == [15])
        #expect(plan.postings[0].wallet.version == 3)
    }

    @Test func aWithdrawalDebitsAndMayEmptyTheWallet() throws {
        let mine = wallet(alice, balance: 10)
        let plan = try plan(.withdrawal(wallet: mine.id, amount: .of(10)), by: alice, mine).get()
        #expect(plan.postings.map(\.amount) == [-10])
        #expect(plan.postings.map(\.balanceAfter) == [0])
    }

    @Test func aTransferDebitsTheSourceFirstAndMayGoToAnyonesWallet() throws {
        let mine = wallet(alice, balance: 10)
        let theirs = wallet(bob, balance: 1)
        let plan = try plan(.transfer(from: mine.id, to: theirs.id, amount: .of(4)), by: alice, mine, theirs).get()
        #expect(plan.postings.map(\.wallet.id) == [mine.id, theirs.id])
        #expect(plan.postings.map(\.amount) == [-4, 4])
        #expect(plan.postings.map(\.balanceAfter) == [6, 5])
    }

    @Test func someoneElsesOrAnUnknownWalletIsNotFound() {
        let theirs = wallet(bob, balance: 10)
        let mine = wallet(alice, balance: 10)
        #expect(refusal(plan(.deposit(wallet: theirs.id, amount: .of(1)), by: alice, theirs)).map(\.description) == "wallet not found")
        #expect(refusal(plan(.withdrawal(wallet: theirs.id, amount: .of(1)), by: alice, theirs)).map(\.description) == "wallet not found")
        #expect(refusal(plan(.deposit(wallet: .generate(), amount: .of(1)), by: alice)).map(\.description) == "wallet not found")
        // The source must be the caller's; an unknown destination is not found either.
        #expect(
            refusal(plan(.transfer(from: theirs.id, to: mine.id, amount: .of(1)), by: alice, theirs, mine)).map(\.description) == "wallet not found")
        #expect(refusal(plan(.transfer(from: mine.id, to: .generate(), amount: .of(1)), by: alice, mine)).map(\.description) == "wallet not found")
    }

    @Test func refusalsComeInADocumentedOrder() {
        let mine = wallet(alice, balance: 10)
        let euros = wallet(bob, "EUR", balance: Wallet.maximumBalance)
        let full = wallet(bob, balance: Wallet.maximumBalance)
        let sameWallet = refusal(plan(.transfer(from: mine.id, to: mine.id, amount: .of(100)), by: alice, mine))
        #expect(sameWallet.map(\.description) == WalletError.sameWallet.description)
        // Currency before funds, funds before the destination's limit.
        let mismatch = refusal(plan(.transfer(from: mine.id, to: euros.id, amount: .of(100)), by: alice, mine, euros))
        #expect(mismatch.map(\.description) == WalletError.currencyMismatch(source: mine.currency, destination: euros.currency).description)
        let poor = refusal(plan(.transfer(from: mine.id, to: full.id, amount: .of(100)), by: alice, mine, full))
        #expect(poor.map(\.description) == WalletError.insufficientFunds(balance: 10, amount: .of(100)).description)
        let limit = refusal(plan(.transfer(from: mine.id, to: full.id, amount: .of(1)), by: alice, mine, full))
        #expect(limit.map(\.description) == WalletError.balanceLimitExceeded.description)
    }

    @Test func balancesStopAtTheLimit() throws {
        let nearlyFull = wallet(alice, balance: Wallet.maximumBalance - 5)
        #expect(
            try plan(.deposit(wallet: nearlyFull.id, amount: .of(5)), by: alice, nearlyFull).get().postings[0].balanceAfter == Wallet.maximumBalance)
        #expect(
            refusal(plan(.deposit(wallet: nearlyFull.id, amount: .of(6)), by: alice, nearlyFull)).map(\.description)
                == WalletError.balanceLimitExceeded.description)
        let empty = wallet(alice, balance: 0)
        #expect(
            try plan(.deposit(wallet: empty.id, amount: .of(Amount.maximumMinorUnits)), by: alice, empty).get().postings[0].balanceAfter
                == Wallet.maximumBalance)
    }

    @Test func insufficientFundsNameTheBalanceAndAmount() {
        let mine = wallet(alice, balance: 10)
        guard case .insufficientFunds(let balance, let amount)? = refusal(plan(.withdrawal(wallet: mine.id, amount: .of(11)), by: alice, mine)) else {
            Issue.record("expected insufficient funds")
            return
        }
        #expect(balance == 10 && amount == .of(11))
    }
}
