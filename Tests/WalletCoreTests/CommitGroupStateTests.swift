import Testing

@testable import WalletCore

/// The decisions of group commit, without a database: who runs, who waits, who goes together.
@Suite("Group commit's slots and groups")
struct CommitGroupStateTests {
    struct Batch: GroupedBatch, Equatable {
        let name: String
        let keys: [String]
        var movements: Int { keys.count }
        var exclusionKeys: [String] { keys }

        init(_ name: String, keys: [String]? = nil) {
            self.name = name
            self.keys = keys ?? [name]
        }
    }

    typealias State = CommitGroupState<Batch>

    @Test func batchesRunAloneWhileASlotIsFreeAndWaitOnlyWhenNoneIs() {
        var state = State(slots: 2, maximumGroupSize: 64, maximumWaiting: 100)
        #expect(state.arrive(Batch("a")) == .runs)
        #expect(state.arrive(Batch("b")) == .runs)
        #expect(state.arrive(Batch("c")) == .waits)
        #expect(state.running == 2 && state.waitingBatches == 1)
        // A slot ends: the one waiting takes it; then nothing waits, and the next end frees a slot.
        #expect(state.finish()?.map(\.name) == ["c"])
        #expect(state.running == 2 && state.waitingBatches == 0)
        #expect(state.finish() == nil)
        #expect(state.running == 1)
        #expect(state.arrive(Batch("d")) == .runs, "a free slot: no waiting for company")
    }

    @Test func everythingWaitingGoesIntoTheNextTransactionInArrivalOrderUpToTheGroupSize() {
        var state = State(slots: 1, maximumGroupSize: 5, maximumWaiting: 100)
        #expect(state.arrive(Batch("running")) == .runs)
        for name in ["a", "b", "c"] { #expect(state.arrive(Batch(name)) == .waits) }
        #expect(state.arrive(Batch("d", keys: ["d1", "d2", "d3"])) == .waits)
        #expect(state.arrive(Batch("e")) == .waits)
        #expect(state.waitingMovements == 7)
        // a, b, c make 3; d would make 6, over 5: the group stops there, in order.
        #expect(state.finish()?.map(\.name) == ["a", "b", "c"])
        #expect(state.finish()?.map(\.name) == ["d", "e"])
        #expect(state.waitingMovements == 0 && state.running == 1)
        // A batch larger than the group size still runs, alone.
        #expect(state.arrive(Batch("big", keys: (1...9).map(String.init))) == .waits)
        #expect(state.finish()?.map(\.name) == ["big"])
    }

    @Test func aKeyNeverAppearsTwiceInOneGroupAndTheSkippedKeepTheirPlace() {
        var state = State(slots: 1, maximumGroupSize: 64, maximumWaiting: 100)
        #expect(state.arrive(Batch("running")) == .runs)
        #expect(state.arrive(Batch("first", keys: ["k"])) == .waits)
        #expect(state.arrive(Batch("again", keys: ["k"])) == .waits)
        #expect(state.arrive(Batch("other", keys: ["x"])) == .waits)
        #expect(state.finish()?.map(\.name) == ["first", "other"])
        #expect(state.arrive(Batch("later", keys: ["y"])) == .waits)
        #expect(state.finish()?.map(\.name) == ["again", "later"], "the skipped one is ahead of later arrivals")
        #expect(state.finish() == nil && state.running == 0)
    }

    @Test func waitingIsBoundedInMovements() {
        var state = State(slots: 1, maximumGroupSize: 64, maximumWaiting: 3)
        #expect(state.arrive(Batch("running")) == .runs)
        #expect(state.arrive(Batch("two", keys: ["a", "b"])) == .waits)
        #expect(state.arrive(Batch("two more", keys: ["c", "d"])) == .refused)
        #expect(state.arrive(Batch("one", keys: ["e"])) == .waits)
        #expect(state.waitingMovements == 3)
        #expect(state.finish()?.count == 2)
        #expect(state.arrive(Batch("fits again")) == .waits)
    }

    @Test func aLongQueueDrainsThroughManyGroupsInOrder() {
        var state = State(slots: 1, maximumGroupSize: 7, maximumWaiting: 10_000)
        #expect(state.arrive(Batch("running")) == .runs)
        for index in 0..<5_000 { #expect(state.arrive(Batch("\(index)")) == .waits) }
        var order: [String] = []
        for _ in 0..<1_000 {
            guard let group = state.finish() else { break }
            #expect(group.count <= 7)
            order += group.map(\.name)
        }
        #expect(order == (0..<5_000).map(String.init))
        #expect(state.running == 0 && state.waitingBatches == 0)
    }
}
