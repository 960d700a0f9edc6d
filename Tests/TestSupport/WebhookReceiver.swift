import Crypto
public import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A real HTTP receiver of webhooks on 127.0.0.1 for the tests: records every request it gets (headers, body, when,
/// and how many requests for the same event were in flight with it), and answers as its ``Behaviour`` says.
public final class WebhookReceiver: Sendable {
    /// How the receiver answers.
    public enum Behaviour: Sendable, Hashable {
        /// 200 at once.
        case accept
        /// 500 to the first `count` requests for each event id, then 200.
        case failFirst(Int)
        /// 500 to everything.
        case failAlways
        /// Never answers (until told to behave otherwise, the receiver stops, or a minute passes).
        case hang
        /// 200 after a random wait of up to the duration.
        case slow(Duration)
        /// 302 to another URL of the receiver (which a delivery must not follow).
        case redirect
        /// 200 with a body of the size, in bytes.
        case largeBody(Int)
    }

    /// One request as received.
    public struct Request: Sendable {
        /// Header names in lower case.
        public let headers: [String: String]
        public let body: [UInt8]
        public let receivedAt: Date
        /// Requests for the same event in flight when this one arrived, itself included.
        public let inFlightForEvent: Int
        public var eventID: String? { headers["wallet-event-id"] }

        /// The secrets among `secrets` that signed the request, as a receiver checks it: a `v1` of its
        /// `Wallet-Signature` that is hex HMAC-SHA256 of "<t>.<body>" under the secret.
        public func signers(among secrets: [String]) -> [String] {
            guard let header = headers["wallet-signature"] else { return [] }
            let parts = header.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
            guard let timestamp = parts.first(where: { $0.first == "t" })?.last else { return [] }
            let signatures = Set(parts.filter { $0.first == "v1" }.compactMap(\.last))
            return secrets.filter { secret in
                let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
                return signatures.contains(mac.map { String(format: "%02x", $0) }.joined())
            }
        }
    }

    /// The longest a hanging request is held.
    static let longestHang: Duration = .seconds(60)

    public let port: Int
    private let state: Locked<State>
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    private struct State: Sendable {
        var behaviour: Behaviour
        var requests: [Request] = []
        var answered: [String: Int] = [:]
        var inFlight: [String: Int] = [:]
        var stopped = false
    }

    /// Starts a receiver on a port the kernel picks.
    public init(_ behaviour: Behaviour) async throws {
        let state = Locked(State(behaviour: behaviour))
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var fields: [String: String] = [:]
            for field in request.headers { fields[field.name.canonicalName] = field.value }
            let body = Array((try await request.body.collect(upTo: 1 << 20)).readableBytesView)
            let event = fields["wallet-event-id"] ?? ""
            let (behaviour, count) = state.withLock { state in
                state.inFlight[event, default: 0] += 1
                let count = state.answered[event, default: 0]
                state.requests.append(Request(headers: fields, body: body, receivedAt: Date(), inFlightForEvent: state.inFlight[event]!))
                return (state.behaviour, count)
            }
            defer {
                state.withLock { state in
                    state.inFlight[event, default: 1] -= 1
                    state.answered[event, default: 0] += 1
                }
            }
            switch behaviour {
            case .accept:
                return Response(status: .ok)
            case .failFirst(let failures):
                return Response(status: count < failures ? .internalServerError : .ok)
            case .failAlways:
                return Response(status: .internalServerError)
            case .hang:
                let until = ContinuousClock.now + Self.longestHang
                while ContinuousClock.now < until, state.withLock({ !$0.stopped && $0.behaviour == .hang }) {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return Response(status: .ok)
            case .redirect:
                return Response(status: .found, headers: [.location: "/elsewhere"])
            case .largeBody(let size):
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: size)))
            case .slow(let longest):
                try? await Task.sleep(for: .microseconds(Int64.random(in: 0...max(1, longest.microsecondsValue))))
                return Response(status: .ok)
            }
        }
        let bound = Mutex<Int?>(nil)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "webhook-receiver"),
            onServerRunning: { channel in bound.withLock { $0 = channel.localAddress?.port } },
            logger: Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() })))
        self.group = group
        self.state = state
        self.running = Task { try await group.run() }
        var port: Int?
        for _ in 0..<500 {
            port = bound.withLock { $0 }
            if port != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        guard let port else {
            await group.triggerGracefulShutdown()
            throw WebhookReceiverError(description: "the receiver did not start within 5 s")
        }
        self.port = port
    }

    /// The URL deliveries should go to.
    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Every request so far, in arrival order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Answers from now on as `behaviour` says.
    public func behave(_ behaviour: Behaviour) {
        state.withLock { $0.behaviour = behaviour }
    }

    /// Waits until `condition` holds of the requests, up to `timeout`; returns whether it did.
    public func wait(upTo timeout: Duration = .seconds(30), until condition: ([Request]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(requests) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(requests)
    }

    /// Releases hanging requests and stops listening.
    public func stop() async {
        state.withLock { $0.stopped = true }
        await group.triggerGracefulShutdown()
        _ = await running.result
    }
}

/// The receiver could not start.
public struct WebhookReceiverError: Error, CustomStringConvertible {
    public let description: String
}

extension Duration {
    fileprivate var microsecondsValue: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
