import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
public import WalletCore

#if canImport(Glibc)
import Glibc
#endif

/// Why an attempt got no answer that counts.
public struct WebhookAttemptFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    static let timedOut = WebhookAttemptFailure(description: "no answer within the attempt's time limit")
    static let closedBeforeAnswer = WebhookAttemptFailure(description: "the receiver closed the connection before answering")
}

/// The HTTP client of webhook deliveries: one `POST` per attempt on a connection of its own, to an address checked
/// against the ``WebhookAddressPolicy`` after resolving the URL's host (so a DNS answer that changed since the
/// endpoint was registered cannot point a delivery into the service's own network). TLS with the system's trust
/// roots and the host's name checked; no redirects followed; at most ``maximumResponseBodyBytes`` of an answer read;
/// everything within one time limit.
///
/// It runs on event loop and resolver threads of its own, apart from the API's, and blocks none of Swift's
/// concurrency threads (name resolution is a blocking call, made on the resolver threads).
public final class WebhookHTTPClient: Sendable {
    /// The most bytes of an answer read; the rest is not waited for.
    public static let maximumResponseBodyBytes = 64 * 1024
    /// Threads that resolve host names (a blocking call) at once.
    public static let resolverThreads = 2
    /// Event loop threads of the deliveries.
    public static let eventLoopThreads = 1
    /// The `User-Agent` of every attempt.
    static let userAgent = "wallet-webhooks/1"

    let policy: WebhookAddressPolicy
    private let group: MultiThreadedEventLoopGroup
    private let resolver: NIOThreadPool
    private let tls: NIOSSLContext

    /// A client that connects only where `policy` allows.
    public init(policy: WebhookAddressPolicy) throws {
        self.policy = policy
        group = MultiThreadedEventLoopGroup(numberOfThreads: Self.eventLoopThreads)
        resolver = NIOThreadPool(numberOfThreads: Self.resolverThreads)
        resolver.start()
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        tls = try NIOSSLContext(configuration: configuration)
    }

    /// Stops the client's threads; attempts in flight fail.
    public func shutdown() async {
        try? await resolver.shutdownGracefully()
        try? await group.shutdownGracefully()
    }

    /// Posts `body` to `url` with `headers`; returns the answer's status code, or throws a ``WebhookAttemptFailure``
    /// (refused address, resolution, connection, TLS, time limit).
    public func post(to url: WebhookURL, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws(WebhookAttemptFailure) -> Int {
        do {
            try policy.check(scheme: url.scheme)
        } catch {
            throw WebhookAttemptFailure(description: "the URL \(error.description)")
        }
        let attempt = Task { () -> Result<Int, WebhookAttemptFailure> in
            do throws(WebhookAttemptFailure) {
                let addresses = try await self.resolve(url)
                return .success(try await self.exchange(with: addresses, url: url, headers: headers, body: body))
            } catch {
                return .failure(error)
            }
        }
        return try await Self.within(timeout, attempt).get()
    }

    /// `attempt`'s result, or ``WebhookAttemptFailure/timedOut`` (and `attempt` cancelled) when `timeout` passes first.
    /// The wait ends on time even if the attempt is stuck where cancellation cannot reach (a blocking resolution).
    static func within(_ timeout: Duration, _ attempt: Task<Result<Int, WebhookAttemptFailure>, Never>) async -> Result<Int, WebhookAttemptFailure> {
        let result: Result<Int, WebhookAttemptFailure> = await withCheckedContinuation { continuation in
            let resumed = Mutex(false)
            let resume = { @Sendable (result: Result<Int, WebhookAttemptFailure>) in
                let first = resumed.withLock { resumed in
                    defer { resumed = true }
                    return !resumed
                }
                if first { continuation.resume(returning: result) }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                attempt.cancel()
                resume(.failure(.timedOut))
            }
            Task {
                let result = await attempt.value
                timer.cancel()
                resume(result)
            }
        }
        return result
    }

    /// The addresses to connect to for `url`, in the resolver's order: its host resolved, every address checked
    /// against the policy (one refused address refuses the host: a name that points anywhere inside is not
    /// delivered to).
    func resolve(_ url: WebhookURL) async throws(WebhookAttemptFailure) -> [SocketAddress] {
        let (host, port) = (url.host, url.port)
        let resolved: Result<[SocketAddress], WebhookAttemptFailure>
        do {
            resolved = try await resolver.runIfActive { Self.getaddrinfo(host: host, port: port) }
        } catch {
            throw WebhookAttemptFailure(description: "the service is shutting down")
        }
        let addresses = try resolved.get()
        guard !addresses.isEmpty else { throw WebhookAttemptFailure(description: "\(host) has no address") }
        for address in addresses {
            guard let text = address.ipAddress, let ip = IPAddress(text) else {
                throw WebhookAttemptFailure(description: "\(host) resolved to an address that is not IP")
            }
            if let refusal = policy.refusal(of: ip) {
                throw WebhookAttemptFailure(description: "refused: \(host) resolves to \(refusal)")
            }
        }
        return addresses
    }

    /// The TCP addresses of `host` (blocking: only on the resolver threads).
    private static func getaddrinfo(host: String, port: Int) -> Result<[SocketAddress], WebhookAttemptFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = Glibc.getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            return .failure(WebhookAttemptFailure(description: "\(host) did not resolve: \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let info = entry?.pointee {
            if let socketAddress = info.ai_addr {
                switch info.ai_family {
                case AF_INET:
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                case AF_INET6:
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                default:
                    break
                }
            }
            entry = info.ai_next
        }
        return .success(addresses)
    }

    /// A new connection to the first of `addresses` that accepts one (a host may have an address this machine
    /// cannot reach, such as IPv6 without a route).
    private func connect(to addresses: [SocketAddress], url: WebhookURL) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let tls = url.isSecure ? self.tls : nil
        let serverName = url.host
        var failure: (any Error)?
        for address in addresses {
            do {
                return try await ClientBootstrap(group: group)
                    .connectTimeout(.seconds(10))
                    .connect(to: address) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let tls {
                                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                            }
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                        }
                    }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = WebhookAttemptFailure(description: "connection to \(address) failed: \(error)")
            }
        }
        throw failure ?? WebhookAttemptFailure(description: "\(url.host) has no address")
    }

    /// One request and its answer's status line on a new connection to one of `addresses`.
    private func exchange(with addresses: [SocketAddress], url: WebhookURL, headers: [(String, String)], body: [UInt8]) async throws(WebhookAttemptFailure) -> Int {
        do {
            let channel = try await connect(to: addresses, url: url)
            return try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: url.target)
                head.headers.add(name: "Host", value: url.hostHeader)
                head.headers.add(name: "User-Agent", value: Self.userAgent)
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(body.count))
                head.headers.add(name: "Connection", value: "close")
                for (name, value) in headers { head.headers.add(name: name, value: value) }
                try await outbound.write(.head(head))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                try await outbound.write(.end(nil))
                var status: Int?
                var bodyBytes = 0
                for try await part in inbound {
                    switch part {
                    case .head(let response):
                        // An interim answer (100 Continue) is followed by the real one.
                        if response.status.code >= 200 { status = Int(response.status.code) }
                    case .body(let buffer):
                        bodyBytes += buffer.readableBytes
                        if bodyBytes > Self.maximumResponseBodyBytes, let status { return status }
                    case .end:
                        if let status { return status }
                    }
                }
                guard let status else { throw WebhookAttemptFailure.closedBeforeAnswer }
                return status
            }
        } catch let failure as WebhookAttemptFailure {
            throw failure
        } catch is CancellationError {
            throw WebhookAttemptFailure.timedOut
        } catch let error as NIOSSLError {
            throw WebhookAttemptFailure(description: "TLS failed: \(error)")
        } catch let error as BoringSSLError {
            throw WebhookAttemptFailure(description: "TLS failed: \(error)")
        } catch {
            throw WebhookAttemptFailure(description: "the exchange with \(url.host) failed: \(error)")
        }
    }
}
