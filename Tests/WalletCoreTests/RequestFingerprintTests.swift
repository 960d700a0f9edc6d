import Testing

@testable import WalletCore

@Suite("Request fingerprints")
struct RequestFingerprintTests {
    let a = WalletID("wal_0123456789abcdefghjkmnpqrs")!
    let b = WalletID("wal_1123456789abcdefghjkmnpqrs")!

    @Test func theCanonicalFieldsAreNameValueLinesInCanonicalOrder() {
        let fingerprint = RequestFingerprint(.transfer(from: b, to: a, amount: .of(250)))
        #expect(fingerprint.canonicalFields == "operation=transfer\nfrom_wallet_id=\(b)\nto_wallet_id=\(a)\namount=250\n")
        #expect(fingerprint.digest.utf8.count == 64)
        #expect(fingerprint == RequestFingerprint(.transfer(from: b, to: a, amount: .of(250))))
    }

    @Test func mismatchesNameTheFieldsThatDiffer() {
        let deposit = RequestFingerprint(.deposit(wallet: a, amount: .of(100)))
        #expect(RequestFingerprint(.deposit(wallet: a, amount: .of(101))).mismatchedFields(against: deposit.canonicalFields) == ["amount"])
        #expect(RequestFingerprint(.deposit(wallet: b, amount: .of(100))).mismatchedFields(against: deposit.canonicalFields) == ["wallet_id"])
        #expect(RequestFingerprint(.withdrawal(wallet: a, amount: .of(100))).mismatchedFields(against: deposit.canonicalFields) == ["operation"])
        #expect(
            RequestFingerprint(.transfer(from: a, to: b, amount: .of(100))).mismatchedFields(against: deposit.canonicalFields)
                == ["operation", "from_wallet_id", "to_wallet_id", "wallet_id"], "the request's fields in its order, then those only the other had"
        )
        // Legs and metadata are named one by one; details are covered as well as the money.
        let legs = [TransferLeg(from: a, to: b, amount: .of(5)), TransferLeg(from: b, to: a, amount: .of(2))]
        let split = RequestFingerprint(.multiLeg(legs), details: MovementDetails(metadata: try! Metadata.validated(["order_id": "1"]).get()))
        let otherLeg = RequestFingerprint(
            .multiLeg([legs[0], TransferLeg(from: b, to: a, amount: .of(3))]), details: MovementDetails(metadata: try! Metadata.validated(["order_id": "2"]).get()))
        #expect(otherLeg.mismatchedFields(against: split.canonicalFields) == ["legs[1].amount", "metadata.order_id"])
        #expect(RequestFingerprint(.multiLeg(legs)).mismatchedFields(against: split.canonicalFields) == ["metadata.order_id"])
        #expect(
            RequestFingerprint(.deposit(wallet: a, amount: .of(100)), details: MovementDetails(reference: MovementReference("ord-1")))
                .mismatchedFields(against: deposit.canonicalFields) == ["reference"])
        let transfer = RequestFingerprint(.transfer(from: a, to: b, amount: .of(100)))
        #expect(
            RequestFingerprint(.transfer(from: b, to: a, amount: .of(7))).mismatchedFields(against: transfer.canonicalFields)
                == ["from_wallet_id", "to_wallet_id", "amount"])
    }

    @Test func differentRequestsHaveDifferentDigests() {
        let digests = Set([
            RequestFingerprint(.deposit(wallet: a, amount: .of(100))).digest,
            RequestFingerprint(.withdrawal(wallet: a, amount: .of(100))).digest,
            RequestFingerprint(.deposit(wallet: a, amount: .of(10))).digest,
            RequestFingerprint(.transfer(from: a, to: b, amount: .of(100))).digest,
            RequestFingerprint(.transfer(from: b, to: a, amount: .of(100))).digest,
        ])
        #expect(digests.count == 5)
    }
}
