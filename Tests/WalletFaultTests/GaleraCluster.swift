import Foundation
import TestSupport
import Testing

/// A private 3-node Galera cluster of the cluster fault test, run by `scripts/galera` in a directory and on ports of
/// its own (not the developer's cluster in `.galera/`), deleted after the test.
struct GaleraCluster: Sendable {
    static let nodes = 1...3
    /// Client port of node 1 (node N: +N-1) and the first of the nodes' own ports (gcomm, IST, SST blocks of ten).
    /// Outside the kernel's ephemeral range, where the other tests' servers get their ports, and clear of the
    /// developer's cluster (3311-3313, 4601-4623). `WALLET_TEST_GALERA_BASE_PORT` and `…_PEER_BASE_PORT` move them.
    static let defaultBasePort = 3371
    static let defaultPeerBasePort = 4671
    /// Limits on one `scripts/galera` call: a start (three nodes, two full state transfers) and anything else.
    static let startTimeoutSeconds = 240.0
    static let commandTimeoutSeconds = 240.0
    /// Lines of each node's error log shown when a test fails.
    static let logTailLines = 40
    static let script = PrivateMariaDBServer.repositoryRoot + "/scripts/galera"

    let directory: String
    let basePort: Int
    let peerBasePort: Int

    init() {
        let environment = ProcessInfo.processInfo.environment
        // Under /var/tmp, not the checkout: started by root, the nodes run as mysql, which must reach the directory.
        directory = "/var/tmp/wallet-galera-test-\(getpid())-\(UUID().uuidString.prefix(6))"
        basePort = environment["WALLET_TEST_GALERA_BASE_PORT"].flatMap(Int.init) ?? Self.defaultBasePort
        peerBasePort = environment["WALLET_TEST_GALERA_PEER_BASE_PORT"].flatMap(Int.init) ?? Self.defaultPeerBasePort
    }

    func port(of node: Int) -> Int { basePort + node - 1 }

    /// The host list starting at `first`, then the others in order: an instance next to node `first`.
    func url(startingAt first: Int) -> String {
        let order = Self.nodes.map { (first - 1 + $0 - 1) % Self.nodes.count + 1 }
        return "mariadb://wallet:wallet@" + order.map { "127.0.0.1:\(port(of: $0))" }.joined(separator: ",") + "/wallet"
    }

    /// Node `node` alone.
    func url(ofNode node: Int) -> String { "mariadb://wallet:wallet@127.0.0.1:\(port(of: node))/wallet" }

    /// Runs `scripts/galera arguments…`; throws with its output when it fails.
    @discardableResult
    func run(_ arguments: String..., timeoutSeconds: Double = commandTimeoutSeconds) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["WALLET_GALERA_DIR"] = directory
        environment["WALLET_GALERA_BASE_PORT"] = String(basePort)
        environment["WALLET_GALERA_PEER_BASE_PORT"] = String(peerBasePort)
        let outcome = try await offload { [environment] in
            try ChildProcess.run("/bin/bash", [Self.script] + arguments, environment: environment, timeoutSeconds: timeoutSeconds)
        }
        guard outcome.status == 0 else {
            let command = arguments.joined(separator: " ") + (outcome.timedOut ? " (killed after \(Int(timeoutSeconds)) s)" : "")
            throw GaleraClusterError(command: command, output: outcome.output)
        }
        return outcome.output
    }

    func start() async throws { try await run("start", timeoutSeconds: Self.startTimeoutSeconds) }

    /// Stops every node and deletes the directory.
    func destroy() async {
        _ = try? await run("stop")
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The last ``logTailLines`` lines of every node's error log, for a failed test's output.
    func errorLogTails() -> String {
        Self.nodes.map { node in
            let log = (try? String(contentsOfFile: "\(directory)/node\(node)/error.log", encoding: .utf8)) ?? "(no log)"
            return "--- node \(node) error.log ---\n" + log.split(separator: "\n").suffix(Self.logTailLines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// The tab-separated output of `statements` run as the admin account on `node`.
    func sql(_ node: Int, _ statements: String) async throws -> String {
        try await run("sql", String(node), statements)
    }

    /// The cluster size node `node` sees, and whether its component is primary; nil when it does not answer.
    func view(of node: Int) async -> (size: Int, primary: Bool)? {
        guard
            let output = try? await sql(
                node, "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_cluster_status')")
        else { return nil }
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2 { values[String(fields[0])] = String(fields[1]) }
        }
        guard let size = values["wsrep_cluster_size"].flatMap(Int.init) else { return nil }
        return (size, values["wsrep_cluster_status"] == "Primary")
    }

    /// Polls node `node` until `condition` holds for its view, for at most `timeoutSeconds`; true when it did.
    func waitForView(of node: Int, timeoutSeconds: Double, _ condition: (Int, Bool) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if let view = await view(of: node), condition(view.size, view.primary) { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}

struct GaleraClusterError: Error, CustomStringConvertible {
    let command: String
    let output: String
    var description: String { "scripts/galera \(command) failed:\n\(output)" }
}
