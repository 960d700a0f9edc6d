import Histogram

/// Latencies in microseconds, in an HdrHistogram with three significant digits.
public struct LatencyHistogram: Sendable {
    /// The largest latency tracked: one hour. Longer ones are recorded as this.
    public static let highestTrackableMicroseconds: UInt64 = 3_600_000_000

    private var histogram = Histogram<UInt64>(highestTrackableValue: Self.highestTrackableMicroseconds, numberOfSignificantValueDigits: .three)

    public init() {}

    /// Records one latency.
    public mutating func record(_ latency: Duration) {
        let microseconds = max(latency / .microseconds(1), 0)
        histogram.record(min(UInt64(microseconds), Self.highestTrackableMicroseconds))
    }

    public var count: UInt64 { histogram.totalCount }

    /// The latency at `percentile` (0…100) in milliseconds.
    public func milliseconds(atPercentile percentile: Double) -> Double {
        count == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    /// The largest latency recorded, in milliseconds.
    public var maximumMilliseconds: Double { count == 0 ? 0 : Double(histogram.max) / 1000 }

    /// p50, p90, p99, p99.9 and max.
    public var summary: LatencySummary {
        LatencySummary(
            count: Int(count),
            p50: milliseconds(atPercentile: 50),
            p90: milliseconds(atPercentile: 90),
            p99: milliseconds(atPercentile: 99),
            p999: milliseconds(atPercentile: 99.9),
            max: maximumMilliseconds
        )
    }
}

/// Latency percentiles in milliseconds.
public struct LatencySummary: Hashable, Sendable, Codable {
    public var count: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
}
