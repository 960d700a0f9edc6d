import Foundation
import MariaDB
import TestSupport
import Testing

@testable import WalletCore

/// Holds against MariaDB: real concurrent clients, checked by invariants and the audit. Serialized: each test loads
/// the machine.
@Suite("Holds against MariaDB", .serialized)
struct HoldTests {
    /// The outcome of one concurrent call: its result, or the name of the error it threw.
    typealias Outcome = (result: MovementResult?, error: String?)

    /// Runs every request at once, each under its own key, and returns the outcomes in request order.
    private func concurrently(_ requests: [MovementRequest], by user: UserID, in context: WalletTestContext) async throws -> [Outcome] {
        try await withThrowingTaskGroup(of: (Int, Outcome).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask {
                    do {
                        return (index, (try await context.execute(request, by: user), nil))
                    } catch let error as WalletError {
                        return (index, (nil, error.caseName))
                    }
                }
            }
            var outcomes = [Outcome?](repeating: nil, count: requests.count)
            for try await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map { $0! }
        }
    }

    private func activeHoldTotal(of wallet: Wallet, in context: WalletTestContext) async throws -> Int64 {
        try #require(try await context.sql("SELECT CAST(COALESCE(SUM(amount), 0) AS SIGNED) AS total FROM holds WHERE wallet_id = '\(wallet.id)' AND status = 'active'").first)
            .decode(Int64.self, "total")
    }

    @Test(arguments: ConcurrencyTests.modes)
    func twoHundredConcurrentHoldsNeverReserveMoreThanTheBalance(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(movements: mode) { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 5000)
            let amounts = (0..<200).map { Int64(1 + $0 * 53 % 97) }
            let requests = amounts.map { MovementRequest.placeHold(wallet: wallet.id, amount: .of($0), expiresIn: .default) }
            let outcomes = try await concurrently(requests, by: alice.id, in: context)
            let errors = outcomes.compactMap(\.error)
            #expect(errors.allSatisfy { $0 == "contention" })
            if mode.combinesMovements { #expect(errors.isEmpty) }
            let placed = outcomes.compactMap { $0.result?.hold }
            let refusals = outcomes.compactMap { $0.result?.refusal }
            #expect(refusals.allSatisfy { $0.caseName == "insufficientFunds" })
            #expect(placed.count + refusals.count + errors.count == 200)
            #expect(!placed.isEmpty && !refusals.isEmpty, "the balance covers some of the holds, not all")
            let placedTotal = placed.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            #expect(placedTotal <= 5000)
            let stored = try await context.service.wallets.wallet(wallet.id, ownedBy: .user(alice.id))
            #expect(stored.balance == 5000 && stored.held == placedTotal && stored.available == 5000 - placedTotal)
            #expect(try await activeHoldTotal(of: wallet, in: context) == placedTotal)
            // Each refusal saw less available than it asked for: the balance was really used up.
            for refusal in refusals {
                if case .insufficientFunds(let available, let amount) = refusal { #expect(available < amount.minorUnits && available >= 0) }
            }
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test(arguments: ConcurrencyTests.modes)
    func fiftyConcurrentCapturesAndVoidsOfOneHoldHaveExactlyOneWinner(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(movements: mode) { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 1000)
            let destination = try await context.makeWallet(for: alice, balance: 0)
            let hold = try #require(
                try await context.execute(.placeHold(wallet: wallet.id, amount: .of(600), expiresIn: .default), by: alice.id).hold)
            let requests: [MovementRequest] = (0..<50).map { index in
                switch index % 3 {
                case 0: .captureHold(hold.id, amount: nil, to: nil)
                case 1: .captureHold(hold.id, amount: .of(250), to: destination.id)
                default: .voidHold(hold.id)
                }
            }
            let outcomes = try await concurrently(requests, by: alice.id, in: context)
            let errors = outcomes.compactMap(\.error)
            #expect(errors.allSatisfy { $0 == "contention" })
            if mode.combinesMovements { #expect(errors.isEmpty) }
            let captures = outcomes.compactMap { $0.result?.transaction }
            let voids = outcomes.compactMap { $0.result?.hold }
            #expect(captures.count + voids.count == 1, "exactly one capture or void wins")
            let refusals = outcomes.compactMap { $0.result?.refusal?.caseName }
            #expect(refusals.count + errors.count == 49)
            let final = try await context.service.holds.hold(hold.id, visibleTo: .user(alice.id))
            let expectedRefusal = final.status == .captured ? "holdCaptured" : "holdVoided"
            #expect(refusals.allSatisfy { $0 == expectedRefusal }, "the others get the pinned refusal of the winner's state")
            let stored = try await context.service.wallets.wallet(wallet.id, ownedBy: .user(alice.id))
            #expect(stored.held == 0 && stored.balance == 1000 - final.capturedAmount)
            if let capture = captures.first {
                #expect(final.transactionID == capture.id && capture.holdID == hold.id && final.capturedAmount == capture.amount?.minorUnits)
            }
            #expect(outcomes.allSatisfy { $0.result?.refusal == nil || $0.result?.response.status == 422 })
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func aPartialCaptureReleasesTheRestAndTheHoldIsCapturedOnce() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 1000)
            let hold = try #require(
                try await context.execute(.placeHold(wallet: wallet.id, amount: .of(700), expiresIn: .default), by: alice.id).hold)
            #expect(try await context.service.wallets.wallet(wallet.id, ownedBy: .user(alice.id)).available == 300)
            let capture = try await context.execute(.captureHold(hold.id, amount: .of(200), to: nil), by: alice.id, key: "capture")
            let transaction = try #require(capture.transaction)
            #expect(transaction.type == .withdrawal && transaction.amount == .of(200) && transaction.holdID == hold.id)
            #expect(transaction.entries.map(\.amount) == [-200, 200] && transaction.entries.map(\.walletID) == [wallet.id, nil])
            let after = try await context.service.wallets.wallet(wallet.id, ownedBy: .user(alice.id))
            #expect(after.balance == 800 && after.held == 0 && after.available == 800, "the 500 not captured are released")
            // At most once: a second capture under another key is refused, and the refusal is pinned to its key.
            let again = try await context.execute(.captureHold(hold.id, amount: .of(100), to: nil), by: alice.id, key: "again")
            #expect(again.refusal?.caseName == "holdCaptured")
            let replay = try await context.execute(.captureHold(hold.id, amount: .of(100), to: nil), by: alice.id, key: "again")
            #expect(replay.isReplay && replay.response == again.response)
            // The read shows the capture and its transaction.
            let read = try await context.service.wallets.transaction(transaction.id, visibleTo: .user(alice.id))
            #expect(read == transaction)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    @Test func expiryIsExactWithNoSweeperRun() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 100)
            let hold = try #require(
                try await context.execute(.placeHold(wallet: wallet.id, amount: .of(100), expiresIn: HoldExpiry(seconds: 1)!), by: alice.id)
                    .hold)
            #expect(try await context.execute(.withdrawal(wallet: wallet.id, amount: .of(1)), by: alice.id).refusal?.caseName == "insufficientFunds")
            // A refusal answered before the hold's time, under a key: replayed after it, it is the same answer.
            let unknown = HoldID.generate()
            let early = try await context.execute(.voidHold(unknown), by: alice.id, key: "unknown-hold")
            #expect(early.refusal?.caseName == "holdNotFound")
            let waited = Date().distance(to: hold.expiresAt)
            if waited > 0 { try await Task.sleep(for: .seconds(waited)) }
            // From expires_at on: expired in every read, its amount available to every movement, though the stored
            // status still says active.
            #expect(try await context.sql("SELECT status FROM holds WHERE id = '\(hold.id)'").first?.decode(String.self, "status") == "active")
            let read = try await context.service.holds.hold(hold.id, visibleTo: .user(alice.id))
            #expect(read.status == .expired && read.resolvedAt == hold.expiresAt)
            #expect(try await context.service.wallets.wallet(wallet.id, ownedBy: .user(alice.id)).available == 100)
            let expiredPage = try await context.service.holds.holds(of: wallet.id, ownedBy: .user(alice.id), status: .expired)
            #expect(expiredPage.holds.map(\.id) == [hold.id])
            #expect(try await context.service.holds.holds(of: wallet.id, ownedBy: .user(alice.id), status: .active).holds.isEmpty)
            let capture = try await context.execute(.captureHold(hold.id, amount: nil, to: nil), by: alice.id, key: "late-capture")
            #expect(capture.refusal?.caseName == "holdExpired")
            #expect(try await context.execute(.withdrawal(wallet: wallet.id, amount: .of(100)), by: alice.id).transaction != nil)
            #expect(try await context.execute(.voidHold(unknown), by: alice.id, key: "unknown-hold").response == early.response)
            // The sweeper then records it; the stored state matches the reads.
            let round = try await context.service.holdSweeper.sweep()
            #expect(round.found == 1 && round.recorded == 1)
            #expect(try await context.sql("SELECT status FROM holds WHERE id = '\(hold.id)'").first?.decode(String.self, "status") == "expired")
            #expect(try await context.service.holdSweeper.sweep().found == 0)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func aCaptureReplayedAfterExpiryIsTheOriginalAnswer() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 100)
            let hold = try #require(
                try await context.execute(.placeHold(wallet: wallet.id, amount: .of(60), expiresIn: HoldExpiry(seconds: 1)!), by: alice.id)
                    .hold)
            let capture = try await context.execute(.captureHold(hold.id, amount: .of(10), to: nil), by: alice.id, key: "capture")
            #expect(capture.transaction != nil)
            let waited = Date().distance(to: hold.expiresAt)
            if waited > 0 { try await Task.sleep(for: .seconds(waited + 0.05)) }
            _ = try await context.service.holdSweeper.sweep()
            let replay = try await context.execute(.captureHold(hold.id, amount: .of(10), to: nil), by: alice.id, key: "capture")
            #expect(replay.isReplay && replay.response == capture.response)
            #expect(try await context.service.holds.hold(hold.id, visibleTo: .user(alice.id)).status == .captured, "a captured hold never expires")
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    /// A capture that read its hold active but reaches the commit only after the hold's time (its wallet's row was
    /// locked meanwhile) must not commit: the reads already show the hold expired. Its retry refuses it.
    @Test func aCaptureThatWouldCommitAfterTheHoldsTimeIsRefusedAsExpired() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 100)
            let hold = try #require(
                try await context.execute(.placeHold(wallet: wallet.id, amount: .of(60), expiresIn: HoldExpiry(seconds: 1)!), by: alice.id)
                    .hold)
            let capture = try await RowLockHolder.holding(["SELECT id FROM wallets WHERE id = '\(wallet.id)' FOR UPDATE"], on: context.pool) {
                let capture = Task { try await context.execute(.captureHold(hold.id, amount: nil, to: nil), by: alice.id) }
                try await context.waitUntilAStatementWaits(on: "UPDATE wallets")
                let untilExpiry = Date().distance(to: hold.expiresAt)
                #expect(untilExpiry > 0, "the capture must be waiting before the hold's time")
                try await Task.sleep(for: .seconds(max(untilExpiry, 0) + 0.05))
                return capture
            }
            let result = try await capture.value
            #expect(result.refusal?.caseName == "holdExpired")
            #expect(try await context.sql("SELECT status FROM holds WHERE id = '\(hold.id)'").first?.decode(String.self, "status") == "active")
            #expect(try await context.balance(of: wallet) == 100)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    @Test func captureOrVoidAtTheInstantOfExpiryHasOneWinner() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 1000)
            var holds: [Hold] = []
            for _ in 0..<20 {
                holds.append(
                    try #require(
                        try await context.execute(
                            .placeHold(wallet: wallet.id, amount: .of(10), expiresIn: HoldExpiry(seconds: 1)!), by: alice.id
                        ).hold))
            }
            // Captures, voids and the sweeper all race the holds' time.
            let latest = holds.map(\.expiresAt).max()!
            let wait = Date().distance(to: latest) - 0.02
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
            async let sweeps = withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 { group.addTask { try await context.service.holdSweeper.sweep().recorded } }
                return try await group.reduce(0, +)
            }
            let requests = holds.enumerated().map { index, hold in
                index % 2 == 0 ? MovementRequest.captureHold(hold.id, amount: nil, to: nil) : .voidHold(hold.id)
            }
            let outcomes = try await concurrently(requests, by: alice.id, in: context)
            let swept = try await sweeps + context.service.holdSweeper.sweep().recorded
            let final = try await context.sql("SELECT status, COUNT(*) AS n FROM holds GROUP BY status")
            var counts: [String: Int] = [:]
            for row in final { counts[try row.decode(String.self, "status")] = try row.decode(Int.self, "n") }
            let won = outcomes.filter { $0.result?.transaction != nil || $0.result?.hold != nil }.count
            let refusedExpired = outcomes.filter { $0.result?.refusal?.caseName == "holdExpired" }.count
            #expect(outcomes.allSatisfy { $0.error == nil })
            #expect(won + refusedExpired == 20, "each hold is resolved by its request or expired, never both")
            #expect((counts["captured"] ?? 0) + (counts["voided"] ?? 0) == won)
            #expect(counts["expired"] == swept && swept == refusedExpired, "every expiry is recorded once")
            #expect(counts["active"] == nil)
            let stored = try await context.service.wallets.wallet(wallet.id, ownedBy: .user(alice.id))
            let captured = Int64(10 * outcomes.filter { $0.result?.transaction != nil }.count)
            #expect(stored.held == 0 && stored.balance == 1000 - captured)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    @Test(arguments: ConcurrencyTests.modes)
    func holdsAndWithdrawalsTogetherNeverExceedTheBalance(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(movements: mode) { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 3000)
            let requests: [MovementRequest] = (0..<120).map { index in
                let amount = Amount.of(Int64(50 + index % 7 * 10))
                return index % 2 == 0
                    ? .placeHold(wallet: wallet.id, amount: amount, expiresIn: .default) : .withdrawal(wallet: wallet.id, amount: amount)
            }
            let outcomes = try await concurrently(requests, by: alice.id, in: context)
            #expect(outcomes.allSatisfy { $0.error == nil || $0.error == "contention" })
            let held = outcomes.compactMap { $0.result?.hold?.amount.minorUnits }.reduce(0, +)
            let withdrawn = outcomes.compactMap { $0.result?.transaction?.amount?.minorUnits }.reduce(0, +)
            #expect(held + withdrawn <= 3000)
            #expect(outcomes.compactMap { $0.result?.refusal?.caseName }.allSatisfy { $0 == "insufficientFunds" })
            let stored = try await context.service.wallets.wallet(wallet.id, ownedBy: .user(alice.id))
            #expect(stored.balance == 3000 - withdrawn && stored.held == held && stored.available >= 0)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    @Test func anotherPrincipalsHoldIsNotFound() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let mallory = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 100)
            let hold = try #require(
                try await context.execute(.placeHold(wallet: wallet.id, amount: .of(60), expiresIn: .default), by: alice.id).hold)
            #expect(try await context.execute(.captureHold(hold.id, amount: nil, to: nil), by: mallory.id).refusal?.caseName == "holdNotFound")
            #expect(try await context.execute(.voidHold(hold.id), by: mallory.id).refusal?.caseName == "holdNotFound")
            await #expect(throws: WalletError.self) { try await context.service.holds.hold(hold.id, visibleTo: .user(mallory.id)) }
            await #expect(throws: WalletError.self) { try await context.service.holds.holds(of: wallet.id, ownedBy: .user(mallory.id)) }
            #expect(try await context.service.holds.hold(hold.id, visibleTo: .user(alice.id)).status == .active)
        }
    }

    @Test func holdPagesAreNewestFirstAndVisitEveryHoldOnce() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 100)
            var placed: [HoldID] = []
            for _ in 0..<7 {
                placed.append(
                    try #require(
                        try await context.execute(.placeHold(wallet: wallet.id, amount: .of(1), expiresIn: .default), by: alice.id).hold
                    ).id)
            }
            try await context.execute(.voidHold(placed[2]), by: alice.id)
            var seen: [HoldID] = []
            var cursor: HoldID?
            for _ in 0..<10 {
                let page = try await context.service.holds.holds(of: wallet.id, ownedBy: .user(alice.id), pageSize: PageSize(3)!, after: cursor)
                seen += page.holds.map(\.id)
                guard let next = page.nextCursor else { break }
                cursor = next
            }
            #expect(seen == placed.sorted().reversed())
            let voided = try await context.service.holds.holds(of: wallet.id, ownedBy: .user(alice.id), status: .voided)
            #expect(voided.holds.map(\.id) == [placed[2]] && voided.nextCursor == nil)
            #expect(try await context.service.holds.holds(of: wallet.id, ownedBy: .user(alice.id), status: .active).holds.count == 6)
        }
    }
}
