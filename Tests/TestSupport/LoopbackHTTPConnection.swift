#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One kept-alive HTTP/1.1 connection to a service on 127.0.0.1, from a chosen loopback source address (any of
/// 127.0.0.0/8), for tests that send many requests as one client, or as several. Blocking: use it from
/// ``offload(_:)``.
public final class LoopbackHTTPConnection {
    /// How long a read or a write may wait.
    public static let timeoutSeconds = 10
    /// The largest answer head read.
    static let maximumHeadBytes = 16 * 1024

    /// One answer.
    public struct Answer: Sendable {
        public var status: Int
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]
        /// The body's top-level JSON string field `key`.
        public func string(_ key: String) -> String? {
            ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?[key] as? String
        }
    }

    private let descriptor: Int32
    private var buffered: [UInt8] = []

    /// Connects to 127.0.0.1:`port` from `source`.
    public init(port: Int, source: String = "127.0.0.1") throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackHTTPError.socket(errno) }
        var timeout = timeval(tv_sec: Self.timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var local = Self.address(source, port: 0)
        var remote = Self.address("127.0.0.1", port: port)
        let bound = withUnsafePointer(to: &local) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = bound == 0 && withUnsafePointer(to: &remote) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
        guard connected else {
            let failure = errno
            close(descriptor)
            throw LoopbackHTTPError.connect(failure)
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends one request and reads its answer (which must carry `Content-Length`, as every answer of the service does).
    public func send(_ method: String, _ path: String, json body: String? = nil, token: String? = nil) throws -> Answer {
        let bytes = Array((body ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n" }
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        try write(Array((head + "\r\n").utf8) + bytes)
        return try readAnswer()
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw LoopbackHTTPError.closed }
            sent += count
        }
    }

    private func readAnswer() throws -> Answer {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find(separator, in: buffered)
            if headEnd == nil {
                guard buffered.count < Self.maximumHeadBytes else { throw LoopbackHTTPError.malformed }
                try fill()
            }
        }
        let head = String(decoding: buffered[..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw LoopbackHTTPError.malformed }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let length = Int(headers["content-length"] ?? "") else { throw LoopbackHTTPError.malformed }
        let bodyStart = headEnd! + separator.count
        while buffered.count < bodyStart + length { try fill() }
        let body = Array(buffered[bodyStart..<(bodyStart + length)])
        buffered.removeFirst(bodyStart + length)
        return Answer(status: status, headers: headers, body: body)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { throw LoopbackHTTPError.closed }
        buffered.append(contentsOf: chunk[..<count])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }

    private static func address(_ text: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(text)
        return address
    }
}

/// Why a ``LoopbackHTTPConnection`` failed.
public enum LoopbackHTTPError: Error {
    case socket(Int32)
    case connect(Int32)
    case closed
    case malformed
}
