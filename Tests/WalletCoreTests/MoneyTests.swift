import Testing

@testable import WalletCore

@Suite("Amounts and currencies")
struct MoneyTests {
    @Test func amountsAreOneToTwoToTheFiftyThreeMinusOne() {
        #expect(Amount(minorUnits: 1)?.minorUnits == 1)
        #expect(Amount(minorUnits: 9_007_199_254_740_991)?.minorUnits == 9_007_199_254_740_991)
        #expect(Amount(minorUnits: 0) == nil)
        #expect(Amount(minorUnits: -1) == nil)
        #expect(Amount(minorUnits: 9_007_199_254_740_992) == nil)
        #expect(Amount(minorUnits: .max) == nil)
        #expect(Wallet.maximumBalance == 9_007_199_254_740_991)
    }

    @Test(arguments: ["USD", "EUR", "JPY", "GBP", "CHF", "CHE", "XAU", "XDR", "XCG", "ZWG", "SLE", "VED", "BOV"])
    func activeCodesAreCurrencies(code: String) {
        #expect(Currency(code: code)?.code == code)
    }

    @Test(arguments: ["usd", "Usd", "XXX", "XTS", "HRK", "ZWL", "SLL", "ANG", "CUC", "ABC", "", "US", "USDD", " USD", "€"])
    func everythingElseIsRejected(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test func theListHasEveryActiveCodeOnceInUpperCase() {
        #expect(Currency.activeCodes.count == 175)
        #expect(Currency.activeCodes.allSatisfy { $0.utf8.count == 3 && $0.utf8.allSatisfy { (65...90).contains($0) } })
    }
}
