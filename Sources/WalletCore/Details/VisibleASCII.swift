/// The rule of the caller's references (a wallet's `owner_ref`, a movement's `reference`): 1 to a limit of
/// visible ASCII characters (`!` to `~`, RFC 5234's VCHAR: no spaces, no control characters).
enum VisibleASCII {
    /// Whether `text` is 1 to `maximumLength` visible ASCII characters.
    static func isValid(_ text: String, maximumLength: Int) -> Bool {
        (1...maximumLength).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
