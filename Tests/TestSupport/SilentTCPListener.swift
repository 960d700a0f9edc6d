#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A TCP listener on 127.0.0.1 that accepts connections and never writes a byte: a "database" that takes the
/// connection and never answers. It counts the connections it accepted and keeps them open until ``stop()``.
public final class SilentTCPListener: Sendable {
    /// The most connections kept open; later ones are accepted, counted and closed at once.
    public static let maximumHeldConnections = 256
    /// How often the accepting thread looks whether it should stop (milliseconds).
    static let pollIntervalMs: Int32 = 50

    /// The port it listens on.
    public let port: Int
    private let descriptor: Int32
    private let state = Mutex(State())

    private struct State {
        var accepted = 0
        var held: [Int32] = []
        var isStopped = false
        var isThreadDone = false
    }

    /// Listens on a port the kernel picks, and accepts on a thread of its own.
    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SilentTCPListenerError(step: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 128) == 0 else {
            close(descriptor)
            throw SilentTCPListenerError(step: "bind/listen", errno: errno)
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptUntilStopped() }
        thread.name = "silent-tcp-listener"
        thread.start()
    }

    /// Connections accepted so far.
    public var acceptedConnections: Int { state.withLock { $0.accepted } }

    /// Stops accepting and closes every connection and the listener. Blocks for up to a poll interval.
    public func stop() {
        state.withLock { $0.isStopped = true }
        while !state.withLock({ $0.isThreadDone }) { usleep(useconds_t(Self.pollIntervalMs) * 1000) }
        let held = state.withLock { state in
            defer { state.held.removeAll() }
            return state.held
        }
        for connection in held { close(connection) }
        close(descriptor)
    }

    private func acceptUntilStopped() {
        defer { state.withLock { $0.isThreadDone = true } }
        while !state.withLock({ $0.isStopped }) {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Self.pollIntervalMs) > 0 else { continue }
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { continue }
            let keep = state.withLock { state in
                state.accepted += 1
                guard state.held.count < Self.maximumHeldConnections else { return false }
                state.held.append(connection)
                return true
            }
            if !keep { close(connection) }
        }
    }
}

/// The listener could not be set up.
public struct SilentTCPListenerError: Error, CustomStringConvertible {
    public let step: String
    public let errno: Int32
    public var description: String { "\(step) failed: \(String(cString: strerror(errno)))" }
}
