import Testing

@testable import WalletCore

@Suite("Email addresses")
struct EmailAddressTests {
    @Test func addressesAreLowerCased() {
        #expect(EmailAddress("Alice.Smith@Example.COM")?.normalized == "alice.smith@example.com")
        #expect(EmailAddress("a@b.co")?.normalized == "a@b.co")
    }

    @Test(arguments: [
        "", "alice", "alice@", "@example.com", "alice@example", "alice@@example.com", "alice@ex@ample.com",
        "alice smith@example.com", "alice@example..com", "alice@.example.com", "alice@example.com.", "alice\t@example.com",
        "alice@exam\u{0}ple.com",
    ])
    func implausibleAddressesAreRejected(text: String) {
        #expect(EmailAddress(text) == nil)
    }

    @Test func lengthsAreLimited() {
        let local64 = String(repeating: "a", count: 64)
        #expect(EmailAddress("\(local64)@example.com") != nil)
        #expect(EmailAddress("a\(local64)@example.com") == nil)
        let domain = String(repeating: "d", count: 255 - 2 - 4) + ".com"
        #expect(EmailAddress("a@" + domain) == nil)
        #expect(EmailAddress("a@" + domain.dropFirst()) != nil)
    }
}
