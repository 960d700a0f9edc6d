import Foundation
import Testing

@testable import WalletCore

@Suite("The money logic, without a database")
struct MovementPlanTests {
    let alice = PrincipalID.user(.generate())
    let bob = PrincipalID.application(.generate())
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func wallet(_ owner: PrincipalID, _ currency: String = "USD", balance: Int64, held: Int64 = 0) -> Wallet {
        Wallet(
            id: .generate(), ownerID: owner, ownerReference: nil, currency: Currency(code: currency)!, balance: balance, held: held, version: 3,
            createdAt: now, updatedAt: now
        )
    }

    func hold(on wallet: Wallet, amount: Int64, status: HoldStatus = .active, expiresIn seconds: TimeInterval = 60) -> Hold {
        Hold(
            id: .generate(), walletID: wallet.id, amount: .of(amount), currency: wallet.currency, status: status, capturedAmount: 0,
            transactionID: nil, details: .none, version: 0, expiresAt: now.addingTimeInterval(seconds), createdAt: now,
            resolvedAt: status == .active ? nil : now
        )
    }

    func plan(_ request: MovementRequest, by user: PrincipalID, _ wallets: Wallet..., holds: [Hold] = [], at instant: Date? = nil) -> Result<MovementPlan, WalletError> {
        MovementPlan.make(
            for: request, by: user, wallets: Dictionary(uniqueKeysWithValues: wallets.map { ($0.id, $0) }),
            holds: Dictionary(uniqueKeysWithValues: holds.map { ($0.id, $0) }), at: instant ?? now,
            newIDs: (transaction: .generate(), hold: .generate())
        )
    }

    func refusal(_ result: Result<MovementPlan, WalletError>) -> WalletError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func aDepositDebitsTheExternalAccountAndCreditsTheOwnersWallet() throws {
        let mine = wallet(alice, balance: 10)
        let transaction = try #require(try plan(.deposit(wallet: mine.id, amount: .of(5)), by: alice, mine).get().transaction)
        #expect(transaction.type == .deposit && transaction.currency == mine.currency && transaction.amount == .of(5))
        #expect(transaction.postings.map(\.wallet?.id) == [nil, mine.id])
        #expect(transaction.postings.map(\.amount) == [-5, 5])
        #expect(transaction.postings.map(\.balanceAfter) == [nil, 15])
        #expect(transaction.postings[1].wallet?.version == 3)
    }

    @Test func aWithdrawalDebitsTheWalletAndCreditsTheExternalAccount() throws {
        let mine = wallet(alice, balance: 10)
        let transaction = try #require(try plan(.withdrawal(wallet: mine.id, amount: .of(10)), by: alice, mine).get().transaction)
        #expect(transaction.postings.map(\.wallet?.id) == [mine.id, nil])
        #expect(transaction.postings.map(\.amount) == [-10, 10])
        #expect(transaction.postings.map(\.balanceAfter) == [0, nil])
    }

    @Test func aTransferDebitsTheSourceFirstAndMayGoToAnyonesWallet() throws {
        let mine = wallet(alice, balance: 10)
        let theirs = wallet(bob, balance: 1)
        let transaction = try #require(try plan(.transfer(from: mine.id, to: theirs.id, amount: .of(4)), by: alice, mine, theirs).get().transaction)
        #expect(transaction.postings.map(\.wallet?.id) == [mine.id, theirs.id])
        #expect(transaction.postings.map(\.amount) == [-4, 4])
        #expect(transaction.postings.map(\.balanceAfter) == [6, 5])
    }

    @Test func someoneElsesOrAnUnknownWalletIsNotFound() {
        let theirs = wallet(bob, balance: 10)
        let mine = wallet(alice, balance: 10)
        #expect(refusal(plan(.deposit(wallet: theirs.id, amount: .of(1)), by: alice, theirs)).map(\.description) == "wallet not found")
        #expect(refusal(plan(.withdrawal(wallet: theirs.id, amount: .of(1)), by: alice, theirs)).map(\.description) == "wallet not found")
        #expect(refusal(plan(.deposit(wallet: .generate(), amount: .of(1)), by: alice)).map(\.description) == "wallet not found")
        let foreignHold = plan(.placeHold(wallet: theirs.id, amount: .of(1), expiresIn: .default), by: alice, theirs)
        #expect(refusal(foreignHold).map(\.description) == "wallet not found")
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
        #expect(poor.map(\.description) == WalletError.insufficientFunds(available: 10, amount: .of(100)).description)
        let limit = refusal(plan(.transfer(from: mine.id, to: full.id, amount: .of(1)), by: alice, mine, full))
        #expect(limit.map(\.description) == WalletError.balanceLimitExceeded.description)
    }

    @Test func balancesStopAtTheLimit() throws {
        let nearlyFull = wallet(alice, balance: Wallet.maximumBalance - 5)
        #expect(
            try plan(.deposit(wallet: nearlyFull.id, amount: .of(5)), by: alice, nearlyFull).get().transaction?.postings[1].balanceAfter
                == Wallet.maximumBalance)
        #expect(
            refusal(plan(.deposit(wallet: nearlyFull.id, amount: .of(6)), by: alice, nearlyFull)).map(\.description)
                == WalletError.balanceLimitExceeded.description)
        let empty = wallet(alice, balance: 0)
        #expect(
            try plan(.deposit(wallet: empty.id, amount: .of(Amount.maximumMinorUnits)), by: alice, empty).get().transaction?.postings[1].balanceAfter
                == Wallet.maximumBalance)
    }

    @Test func insufficientFundsNameTheAvailableBalanceAndAmount() {
        let mine = wallet(alice, balance: 10, held: 4)
        guard case .insufficientFunds(let available, let amount)? = refusal(plan(.withdrawal(wallet: mine.id, amount: .of(7)), by: alice, mine)) else {
            Issue.record("expected insufficient funds")
            return
        }
        #expect(available == 6 && amount == .of(7))
    }

    @Test func withdrawalsTransfersAndNewHoldsTakeOnlyWhatIsAvailable() throws {
        let mine = wallet(alice, balance: 10, held: 4)
        let theirs = wallet(bob, balance: 0)
        #expect(refusal(plan(.withdrawal(wallet: mine.id, amount: .of(7)), by: alice, mine))?.caseName == "insufficientFunds")
        #expect(refusal(plan(.transfer(from: mine.id, to: theirs.id, amount: .of(7)), by: alice, mine, theirs))?.caseName == "insufficientFunds")
        let tooMuch = plan(.placeHold(wallet: mine.id, amount: .of(7), expiresIn: .default), by: alice, mine)
        #expect(refusal(tooMuch)?.caseName == "insufficientFunds")
        #expect(throws: Never.self) { try plan(.withdrawal(wallet: mine.id, amount: .of(6)), by: alice, mine).get() }
        // A deposit is never limited by holds.
        #expect(throws: Never.self) { try plan(.deposit(wallet: mine.id, amount: .of(1)), by: alice, mine).get() }
    }

    @Test func placingAHoldReservesItsAmountUntilItsTime() throws {
        let mine = wallet(alice, balance: 10, held: 4)
        let details = MovementDetails(reference: MovementReference("ride-4411"), description: MovementDescription("ride 4411")!)
        let placed = try MovementPlan.make(
            for: .placeHold(wallet: mine.id, amount: .of(6), expiresIn: HoldExpiry(seconds: 90)!), details: details, by: alice,
            wallets: [mine.id: mine], at: now, newIDs: (.generate(at: now), .generate(at: now))
        ).get()
        let hold = try #require(placed.hold)
        #expect(placed.placesHold && placed.transaction == nil)
        #expect(hold.status == .active && hold.amount == .of(6) && hold.walletID == mine.id && hold.currency == mine.currency)
        #expect(hold.expiresAt == now.addingTimeInterval(90) && hold.createdAt == now && hold.details == details)
        #expect(placed.heldChanges == [mine.id: .init(recorded: 6, current: 6)])
    }

    @Test func aWholeCaptureWithdrawsTheHoldAndReleasesIt() throws {
        let mine = wallet(alice, balance: 10, held: 6)
        let held = hold(on: mine, amount: 6)
        let capture = try plan(.captureHold(held.id, amount: nil, to: nil), by: alice, mine, holds: [held]).get()
        let transaction = try #require(capture.transaction)
        #expect(transaction.type == .withdrawal && transaction.amount == .of(6))
        #expect(transaction.postings.map(\.wallet?.id) == [mine.id, nil] && transaction.postings.map(\.amount) == [-6, 6])
        #expect(capture.hold?.status == .captured && capture.hold?.capturedAmount == 6 && capture.hold?.transactionID != nil)
        #expect(capture.hold?.version == held.version + 1 && capture.hold?.resolvedAt == now)
        #expect(capture.heldChanges == [mine.id: .init(recorded: -6, current: -6)])
    }

    @Test func aPartialCaptureToAWalletReleasesTheRest() throws {
        let mine = wallet(alice, balance: 10, held: 6)
        let theirs = wallet(bob, balance: 0)
        let held = hold(on: mine, amount: 6)
        let capture = try plan(.captureHold(held.id, amount: .of(2), to: theirs.id), by: alice, mine, theirs, holds: [held]).get()
        let transaction = try #require(capture.transaction)
        #expect(transaction.type == .transfer && transaction.postings.map(\.wallet?.id) == [mine.id, theirs.id])
        #expect(transaction.postings.map(\.balanceAfter) == [8, 2])
        #expect(capture.hold?.capturedAmount == 2)
        // The whole hold leaves held: 4 released, 2 moved.
        #expect(capture.heldChanges == [mine.id: .init(recorded: -6, current: -6)])
    }

    @Test func aCaptureDrawsOnItsHoldNotOnTheAvailableBalance() throws {
        // Everything is held: nothing is available, yet the capture goes through.
        let mine = wallet(alice, balance: 6, held: 6)
        let held = hold(on: mine, amount: 6)
        #expect(throws: Never.self) { try plan(.captureHold(held.id, amount: nil, to: nil), by: alice, mine, holds: [held]).get() }
    }

    @Test func captureRefusals() {
        let mine = wallet(alice, balance: 10, held: 6)
        let euros = wallet(alice, "EUR", balance: 0)
        let held = hold(on: mine, amount: 6)
        #expect(refusal(plan(.captureHold(held.id, amount: .of(7), to: nil), by: alice, mine, holds: [held]))?.caseName == "amountExceedsHold")
        #expect(refusal(plan(.captureHold(held.id, amount: nil, to: mine.id), by: alice, mine, holds: [held]))?.caseName == "sameWallet")
        #expect(refusal(plan(.captureHold(held.id, amount: nil, to: euros.id), by: alice, mine, euros, holds: [held]))?.caseName == "currencyMismatch")
        #expect(refusal(plan(.captureHold(held.id, amount: nil, to: .generate()), by: alice, mine, holds: [held]))?.caseName == "walletNotFound")
        // Another principal's hold, or an unknown one, is not found.
        #expect(refusal(plan(.captureHold(held.id, amount: nil, to: nil), by: bob, mine, holds: [held]))?.caseName == "holdNotFound")
        #expect(refusal(plan(.voidHold(.generate()), by: alice, mine))?.caseName == "holdNotFound")
    }

    @Test func terminalHoldsAreFinal() {
        let mine = wallet(alice, balance: 10)
        for (status, refusalName) in [(HoldStatus.captured, "holdCaptured"), (.voided, "holdVoided"), (.expired, "holdExpired")] {
            let resolved = hold(on: mine, amount: 6, status: status)
            #expect(refusal(plan(.captureHold(resolved.id, amount: nil, to: nil), by: alice, mine, holds: [resolved]))?.caseName == refusalName)
            #expect(refusal(plan(.voidHold(resolved.id), by: alice, mine, holds: [resolved]))?.caseName == refusalName)
        }
    }

    @Test func aHoldIsExpiredFromTheInstantOfItsTime() throws {
        // Held 6 as of one microsecond before; the wallet as read at the instant no longer counts it.
        let held = hold(on: wallet(alice, balance: 10), amount: 6, expiresIn: 30)
        let before = held.expiresAt.addingTimeInterval(-0.000_001)
        let mine = wallet(alice, balance: 10, held: 6)
        let heldWallet = Wallet(
            id: held.walletID, ownerID: alice, ownerReference: nil, currency: mine.currency, balance: 10, held: 6, version: 3, createdAt: now,
            updatedAt: now)
        #expect(throws: Never.self) { try plan(.voidHold(held.id), by: alice, heldWallet, holds: [held], at: before).get() }
        let atExpiry = plan(.captureHold(held.id, amount: nil, to: nil), by: alice, heldWallet, holds: [held], at: held.expiresAt)
        #expect(refusal(atExpiry)?.caseName == "holdExpired")
        #expect(held.asOf(held.expiresAt).status == .expired && held.asOf(before).status == .active)
        #expect(held.asOf(held.expiresAt).resolvedAt == held.expiresAt)
    }

    @Test func expiringADueHoldChangesOnlyTheStoredSum() throws {
        let held = hold(on: wallet(alice, balance: 10), amount: 6, expiresIn: 30)
        // As of the expiry, Wallet.held no longer has it; the stored sum does.
        let mine = Wallet(
            id: held.walletID, ownerID: alice, ownerReference: nil, currency: held.currency, balance: 10, held: 0, version: 3, createdAt: now,
            updatedAt: now)
        let expiry = try plan(.expireHold(held.id), by: alice, mine, holds: [held], at: held.expiresAt.addingTimeInterval(5)).get()
        #expect(expiry.hold?.status == .expired && expiry.hold?.resolvedAt == held.expiresAt && expiry.hold?.version == held.version + 1)
        #expect(expiry.heldChanges == [mine.id: .init(recorded: -6, current: 0)])
        // Not yet due: nothing to record. Resolved meanwhile: its state is the answer.
        let early = try plan(.expireHold(held.id), by: alice, mine, holds: [held], at: now).get()
        #expect(early.heldChanges.isEmpty && early.hold?.version == held.version && early.hold?.status == .active)
        let voided = hold(on: mine, amount: 6, status: .voided)
        #expect(refusal(plan(.expireHold(voided.id), by: alice, mine, holds: [voided]))?.caseName == "holdVoided")
    }
}
