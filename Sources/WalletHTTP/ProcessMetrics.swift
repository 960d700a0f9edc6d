import Foundation
#if canImport(Glibc)
import Glibc
#endif
public import Prometheus
import Synchronization

/// The process's own CPU time and resident size in `/metrics`, under the names Prometheus's client libraries use,
/// read at each scrape: what a load test divides by the movements it sent to get the service's cost per movement.
public final class ProcessMetrics: Sendable {
    private let cpuSeconds: Counter
    private let residentBytes: Gauge
    /// The CPU seconds at the last scrape, to turn the process's total into counter increments.
    private let lastCPUSeconds = Mutex<Double>(0)

    public init(registry: PrometheusCollectorRegistry) {
        cpuSeconds = registry.makeCounter(
            descriptor: .named("process_cpu_seconds_total", help: "CPU time the process used, user and system, in seconds."))
        residentBytes = registry.makeGauge(descriptor: .named("process_resident_memory_bytes", help: "The process's resident size."))
    }

    /// Brings the metrics up to date with the process.
    public func update() {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return }
        let total = Self.seconds(usage.ru_utime) + Self.seconds(usage.ru_stime)
        lastCPUSeconds.withLock { last in
            cpuSeconds.increment(by: max(0, total - last))
            last = max(last, total)
        }
        if let resident = Self.residentBytes() { residentBytes.set(resident) }
    }

    private static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }

    /// The resident size from `/proc/self/statm` (its second field, in pages); nil where there is no `/proc`.
    private static func residentBytes() -> Int64? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }
}
