import Foundation
import Testing
import TestSupport

@testable import WalletCore

/// The pure rules of webhooks: which addresses and URLs deliveries may reach, the retry schedule, the signature.
@Suite("Webhook rules")
struct WebhookRulesTests {
    @Test(arguments: [
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255", "127.0.0.1", "127.1.2.3",
        "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1",
        "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.255", "240.0.0.1", "255.255.255.255",
        "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd00:ec2::254", "ff02::1", "2001:db8::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "::10.0.0.1", "100::1",
    ])
    func inwardAddressesAreRefused(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(WebhookAddressPolicy.publicOnly.refusal(of: address) != nil, "\(text) must be refused")
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "11.0.0.1",
        "192.169.0.1", "2606:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8", "64:ff9b::808:808"])
    func publicAddressesAreAllowed(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(WebhookAddressPolicy.publicOnly.refusal(of: address) == nil, "\(text) must be allowed")
    }

    @Test func insecureLocalAllowsLoopbackAndNothingElseInward() throws {
        let policy = WebhookAddressPolicy.allowingInsecureLocal
        for allowed in ["127.0.0.1", "::1", "::ffff:127.0.0.1", "8.8.8.8"] {
            #expect(policy.refusal(of: try #require(IPAddress(allowed))) == nil, "\(allowed)")
        }
        for refused in ["10.0.0.1", "169.254.169.254", "192.168.0.1", "fe80::1", "0.0.0.0"] {
            #expect(policy.refusal(of: try #require(IPAddress(refused))) != nil, "\(refused)")
        }
        #expect(policy.refusal(of: try #require(IPAddress("169.254.169.254")))?.contains("metadata") == true)
    }

    @Test func registrationRefusesWhatDeliveriesCouldNotReach() throws {
        let refusals: [(String, String)] = [
            ("http://example.com/hook", "https"),
            ("ftp://example.com/hook", "https"),
            ("https://169.254.169.254/latest", "link-local"),
            ("https://10.0.0.1/hook", "private"),
            ("https://[::1]/hook", "loopback"),
            ("https://93.184.216.34/hook", "by name"),
            ("https://localhost/hook", "local host"),
            ("https://metadata.google.internal/hook", "local host"),
            ("https://user:secret@example.com/hook", "credentials"),
            ("https://example.com/hook#part", "fragment"),
            ("/hook", "absolute"),
            ("https://" + String(repeating: "a", count: 2_040) + ".com/", "2048"),
        ]
        for (text, reason) in refusals {
            #expect(throws: WebhookURL.Refusal.self, "\(text)") { try WebhookURL(text, policy: .publicOnly) }
            do {
                _ = try WebhookURL(text, policy: .publicOnly)
            } catch {
                #expect(error.description.contains(reason), "\(text): \(error.description)")
            }
        }
        let url = try WebhookURL("https://Hooks.Example.com:8443/in?x=1", policy: .publicOnly)
        #expect((url.host, url.port, url.target, url.hostHeader) == ("hooks.example.com", 8443, "/in?x=1", "hooks.example.com:8443"))
        #expect(try WebhookURL("https://example.com", policy: .publicOnly).target == "/")
        let local = try WebhookURL("http://127.0.0.1:9000/hook", policy: .allowingInsecureLocal)
        #expect((local.isSecure, local.hostHeader) == (false, "127.0.0.1:9000"))
        #expect(throws: WebhookURL.Refusal.self) { try WebhookURL("http://10.0.0.1/hook", policy: .allowingInsecureLocal) }
    }

    @Test func retriesWaitThirtySecondsDoublingToSixHoursWithinTheirJitterAndNeverPastTheGiveUpTime() {
        let schedule = WebhookRetrySchedule()
        let nominal = (1...12).map { schedule.nominalWait(afterAttempts: $0) }
        #expect(nominal == [30, 60, 120, 240, 480, 960, 1_920, 3_840, 7_680, 15_360, 21_600, 21_600].map { Duration.seconds($0) })
        var generator = SplitMix64(seed: 7)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let giveUpAt = start.addingTimeInterval(WebhookRetrySchedule.retryWindow.seconds)
        var now = start
        var attempts = 0
        while let next = schedule.nextAttempt(afterAttempts: attempts + 1, at: now, giveUpAt: giveUpAt, using: &generator), attempts < 100 {
            let wait = next.timeIntervalSince(now)
            let expected = schedule.nominalWait(afterAttempts: attempts + 1).seconds
            #expect(next == giveUpAt || (wait >= expected * 0.8 - 1e-6 && wait <= expected * 1.2 + 1e-6), "attempt \(attempts + 1) waited \(wait) s")
            #expect(next <= giveUpAt)
            now = next
            attempts += 1
        }
        #expect(now == giveUpAt, "the last attempt is at the give-up time")
        #expect((18...26).contains(attempts), "\(attempts) retries in three days")
    }

    @Test func theSignatureIsStripesSchemeOverTheTimestampAndBody() {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test', b'1700000000.' + body, hashlib.sha256).hexdigest())"
        let body = Array(#"{"id":"evt_1"}"#.utf8)
        let at = Date(timeIntervalSince1970: 1_700_000_000.9)
        #expect(
            WebhookSignature.header(body: body, timestamp: at, secrets: ["whsec_test"])
                == "t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925")
        #expect(
            WebhookSignature.header(body: body, timestamp: at, secrets: ["whsec_test", "whsec_old"])
                == "t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925,v1=ef1b1b7e4b312671a75ef2a03e10529f7834a6528a49db77ad6568c8c8017843")
        #expect(WebhookSignature.generateSecret().hasPrefix("whsec_"))
    }
}
