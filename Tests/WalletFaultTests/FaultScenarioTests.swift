import Foundation
import TestSupport
import Testing

/// Faults injected while `wallet-loadtest` drives `wallet serve` (both real processes) against a real MariaDB. After
/// each scenario every uncertain request has been resolved with its own key and the ledger is verified: every
/// acknowledged movement exactly once, nothing else, balances equal their entries, no negative balance, money
/// conserved, every hold in the state its answers imply, `held` the sum of the active holds, `available` never
/// negative, every committed event given its feed position (after a kill, by the restarted service once the dead
/// one's lease ran out), `wallet audit` clean: which includes every change having exactly its events, none naming
/// anything that does not exist, and a feed without gaps. The load includes holds (``FaultRig/mix``). The counts
/// are printed.
@Suite("Fault scenarios", .serialized)
struct FaultScenarioTests {
    /// The outage of the database in the kill scenario, after the service has been seen answering 503.
    static let databaseOutageSeconds = 2.0
    /// How soon after the database is back the service must be ready again (the issue's promise).
    static let recoverySeconds = 5.0
    /// How soon a movement must be answered while the database is down (connect timeout 5 s, plus slack).
    static let unavailableAnswerSeconds = 8.0
    /// Rounds of `KILL CONNECTION` and the pause between them.
    static let connectionKillRounds = 6
    static let connectionKillPause: Duration = .milliseconds(400)
    /// How long the external session holds the wallets' row locks (past the fault server's lock wait timeout).
    static let lockHoldSeconds = Double(FaultRig.lockWaitTimeoutSeconds) + 2
    /// The movement deadline of the deadline scenario, well inside the lock hold.
    static let movementDeadlineMilliseconds = 2_000
    /// Probe movements sent while the locks are held, and how long after taking them. At most the HTTP client's
    /// connections per host (6), so that all of them are sent at once and none starts its deadline late.
    static let deadlineProbes = 6
    static let probeDelayAfterLocking: Duration = .seconds(1)
    /// The lock storms' mix on their one hot wallet: deposits keep it funded; holds on it are placed, captured (out
    /// of the ledger: there is no other wallet to capture to) and voided under the storm too.
    static let hotWalletMix = "deposit=3,withdrawal=1,hold=1,capture=1,void=1"

    @Test func mariadbKilledMidLoadAndRestarted() async throws {
        let report = try await FaultRig.run("mariadb-killed") { rig in
            let probe = try await ProbeAccount.open(on: rig.baseURL)
            let key = "fault-probe-" + UUID().uuidString
            try await rig.killDatabase()

            #expect(await HTTPProbe.waitFor(rig.baseURL + "/readyz", status: 503, timeoutSeconds: 5), "/readyz stays 200 without MariaDB")
            let started = Date()
            let refused = await probe.deposit(amount: 500, key: key)
            let seconds = Date().timeIntervalSince(started)
            #expect(refused?.status == 503, "a movement without MariaDB: \(String(describing: refused))")
            #expect(refused?.problemCode == "unavailable")
            #expect(refused?.headers["retry-after"] != nil)
            #expect(refused?.headers["content-type"] == "application/problem+json")
            #expect(seconds < Self.unavailableAnswerSeconds, "the 503 took \(seconds) s")
            #expect(await HTTPProbe.send("GET", rig.baseURL + "/livez")?.status == 200, "the service died with its database")

            try await Task.sleep(for: .seconds(Self.databaseOutageSeconds))
            try await rig.server.start()
            let back = Date()
            let ready = await HTTPProbe.waitFor(rig.baseURL + "/readyz", status: 200, timeoutSeconds: Self.recoverySeconds)
            #expect(ready, "/readyz not 200 within \(Self.recoverySeconds) s of MariaDB being back")
            print("mariadb-killed: 503 unavailable after \(Int(seconds * 1000)) ms; ready \(Int(Date().timeIntervalSince(back) * 1000)) ms after restart")

            // The refused request, resent with its key, moves the money once; a third send replays it.
            let applied = await probe.deposit(amount: 500, key: key)
            #expect(applied?.status == 201, "\(String(describing: applied))")
            let replayed = await probe.deposit(amount: 500, key: key)
            #expect(replayed?.status == 201)
            #expect(replayed?.headers["idempotent-replayed"] == "true")
            #expect(await probe.balance() == 500)
        }
        #expect(report.attempts(labelled: "503 unavailable") > 0, "the load never saw the outage: \(report.summary)")
    }

    @Test func serviceConnectionsKilledFromTheServer() async throws {
        let report = try await FaultRig.run("connections-killed") { rig in
            var killed = 0
            for _ in 0..<Self.connectionKillRounds {
                killed += try await rig.killServiceConnections()
                try await Task.sleep(for: Self.connectionKillPause)
            }
            #expect(killed > 0, "no service connection was found to kill")
        }
        #expect(report.faults > 0)
    }

    /// The service is killed mid-load and mid-delivery: a probe's webhook receiver, set up before the load, holds
    /// every attempt open when the kill comes, and the restarted service attempts each delivery again once its claim's
    /// lease ends.
    @Test func serviceKilledMidLoadAndMidDeliveryAndStartedAgain() async throws {
        let receiver = try await WebhookReceiver(.hang)
        let probe = Locked<WebhookProbe?>(nil)
        let report = try await FaultRig.run(
            "service-killed", serviceArguments: WebhookProbe.serviceArguments,
            prepare: { rig in
                let opened = try await WebhookProbe.open(on: rig.baseURL, receiver: receiver)
                try await opened.depositAndWaitForAttempts()
                probe.withLock { $0 = opened }
            }
        ) { rig in
            let status = try await rig.stopService(signal: SIGKILL)
            #expect(status == 128 + SIGKILL)
            receiver.behave(.accept)
            try await rig.startService()
            try await #require(probe.value).expectEveryEventDeliveredAgain()
        }
        await receiver.stop()
        #expect(report.attempts(labelled: "connection error") + report.attempts(labelled: "timeout") > 0, "\(report.summary)")
    }

    @Test func sigtermUnderLoadLosesNoAcknowledgedMovement() async throws {
        _ = try await FaultRig.run("sigterm") { rig in
            let started = Date()
            let status = try await rig.stopService(signal: SIGTERM)
            #expect(status == 0, "wallet serve after SIGTERM: \(rig.serviceLog)")
            print("sigterm: wallet serve exited \(String(describing: status)) after \(Int(Date().timeIntervalSince(started) * 1000)) ms")
            try await rig.startService()
        }
    }

    @Test func lockWaitStormOnAHotWallet() async throws {
        let report = try await FaultRig.run(
            "lock-wait-storm", concurrency: 64, loadArguments: ["--distribution", "hot:1", "--mix", Self.hotWalletMix]
        ) { rig in
            let locked = try await rig.holdWalletLocks(seconds: Self.lockHoldSeconds)
            #expect(locked == FaultRig.wallets)
        }
        #expect((report.databaseAttempts["lock_wait_timeout"] ?? 0) > 0, "no lock wait timed out: \(report.summary)")
    }

    @Test func lockWaitStormAnsweredAtTheMovementDeadline() async throws {
        let report = try await FaultRig.run(
            "lock-storm-deadline", concurrency: 64, loadArguments: ["--distribution", "hot:1", "--mix", Self.hotWalletMix],
            serviceArguments: ["--movement-deadline", String(Self.movementDeadlineMilliseconds)]
        ) { rig in
            let probe = try await ProbeAccount.open(on: rig.baseURL)
            let hold = Task { try await rig.holdWalletLocks(seconds: Self.lockHoldSeconds) }
            try await Task.sleep(for: Self.probeDelayAfterLocking)

            // Movements on a locked wallet: every one answers 503 contention near the deadline, nothing committed.
            let keys = (0..<Self.deadlineProbes).map { _ in "deadline-probe-" + UUID().uuidString }
            let answers = await withTaskGroup(of: (ProbeAccount.Answer?, Double).self) { group in
                for key in keys {
                    group.addTask {
                        let started = Date()
                        let answer = await probe.deposit(amount: 1, key: key)
                        return (answer, Date().timeIntervalSince(started))
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let milliseconds = answers.map { Int($0.1 * 1000) }.sorted()
            let deadline = Double(Self.movementDeadlineMilliseconds) / 1000
            for (answer, seconds) in answers {
                #expect(answer?.status == 503 && answer?.problemCode == "contention", "\(String(describing: answer))")
                #expect(answer?.headers["retry-after"] != nil)
                #expect(seconds < Self.lockHoldSeconds - 0.5, "answered at the locks' release (\(seconds) s), not at the deadline")
                #expect(seconds > deadline * 0.5, "answered before any deadline (\(seconds) s)")
            }
            #expect(try await hold.value == FaultRig.wallets + 1)
            let metrics = await HTTPProbe.send("GET", rig.baseURL + "/metrics").map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            let expired = metrics.split(separator: "\n").first { $0.hasPrefix("wallet_movement_deadline_expired_total") }
            print(
                "lock-storm-deadline: \(Self.deadlineProbes) probes during a \(Self.lockHoldSeconds) s lock hold with a "
                    + "\(Self.movementDeadlineMilliseconds) ms deadline answered in \(milliseconds) ms; service: \(expired ?? "no deadline counter")"
            )
            #expect(expired.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } ?? 0 >= Double(Self.deadlineProbes))

            // Nothing was stored under the keys: resent after the storm, each moves its money once.
            for key in keys {
                let resent = await probe.deposit(amount: 1, key: key)
                #expect(resent?.status == 201 && resent?.headers["idempotent-replayed"] == nil, "\(String(describing: resent))")
            }
            #expect(await probe.balance() == Self.deadlineProbes)
        }
        // The load's clients met the deadline too, resent those requests with their keys, and the ledger verified.
        #expect(report.attempts(labelled: "503 contention") > 0, "the load never met the deadline: \(report.summary)")
    }
}
