public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client for tests that talk to a `wallet serve` process on loopback.
public enum HTTPProbe {
    /// The limit on one request.
    public static let requestTimeoutSeconds: TimeInterval = 10

    /// Sends one request and returns the status, headers and body; nil when nothing answers.
    public static func send(
        _ method: String,
        _ url: String,
        body: Data? = nil,
        headers: [String: String] = [:]
    ) async -> (status: Int, headers: [String: String], body: Data)? {
        guard let url = URL(string: url) else { return nil }
        var request = URLRequest(url: url, timeoutInterval: requestTimeoutSeconds)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else { return nil }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return (http.statusCode, fields, data)
    }

    /// Polls `url` until it answers `status` or `timeoutSeconds` pass; true when it did.
    public static func waitFor(_ url: String, status: Int, timeoutSeconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if await send("GET", url)?.status == status { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
