/// An ISO 4217 currency: one of the active alphabetic codes, in upper case (`USD`, `EUR`, `JPY`).
///
/// Every wallet has exactly one currency; amounts are integers in its minor units. Money never moves between
/// wallets of different currencies.
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The active codes of ISO 4217 list one (national currencies, funds codes, precious metals, bond-market and
    /// settlement units), as of 2026: Debian's iso-codes 4.15 list with later amendments applied (`XCG` and `ZWG`
    /// added; `ANG`, `BGN`, `CUC`, `HRK`, `SLL` and `ZWL` withdrawn). `XTS` (reserved for testing) and `XXX`
    /// (no currency) are codes but not currencies a wallet can hold, so they are left out.
    public static let activeCodes: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD", "BIF", "BMD", "BND",
        "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY",
        "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
        "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD",
        "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
        "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
        "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN",
        "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
        "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX",
        "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB",
        "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG",
    ]

    /// The three-letter code.
    public let code: String

    /// The currency with this code, or nil when `code` is not an active ISO 4217 code (codes are upper case).
    public init?(code: String) {
        guard Self.activeCodes.contains(code) else { return nil }
        self.code = code
    }

    public var description: String { code }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }
}
