import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time used so far by a process of this machine, read from `/proc`, and by the harness itself.
enum ProcessCPU {
    /// User plus system seconds of process `pid`, from `/proc/<pid>/stat`; nil when it cannot be read (another
    /// machine's process, or no `/proc`).
    static func seconds(ofProcess pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After the name in parentheses: state (field 3), …, utime (field 14), stime (field 15), in clock ticks.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// User plus system seconds of this process.
    static func ownSeconds() -> Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return [usage.ru_utime, usage.ru_stime].reduce(0) { $0 + Double($1.tv_sec) + Double($1.tv_usec) / 1_000_000 }
    }
}

/// What a phase's load cost in CPU, per movement sent (warmup included, like the time measured): the service's
/// from its `/metrics` (`process_cpu_seconds_total`), MariaDB's from `/proc` (found by its `pid_file`, so only for
/// a server on this machine), and the harness's own. Nil where not measured.
public struct CPUCost: Sendable, Codable, Hashable {
    public var serviceMillisecondsPerMovement: Double?
    public var databaseMillisecondsPerMovement: Double?
    public var harnessMillisecondsPerMovement: Double?

    /// CPU seconds of each process at one instant.
    struct Sample {
        var database: Double?
        var harness: Double

        /// Now, for MariaDB at `databaseProcessID`.
        static func now(databaseProcessID: Int32?) -> Sample {
            Sample(database: databaseProcessID.flatMap(ProcessCPU.seconds(ofProcess:)), harness: ProcessCPU.ownSeconds())
        }
    }

    /// The cost between `start` and `end` of `movements`, the service having used `serviceSeconds` in between.
    init(from start: Sample, to end: Sample, serviceSeconds: Double?, movements: Int) {
        func perMovement(_ seconds: Double?) -> Double? {
            guard let seconds, movements > 0 else { return nil }
            return seconds * 1000 / Double(movements)
        }
        serviceMillisecondsPerMovement = perMovement(serviceSeconds)
        let databaseSeconds: Double? = if let first = start.database, let last = end.database { last - first } else { nil }
        databaseMillisecondsPerMovement = perMovement(databaseSeconds)
        harnessMillisecondsPerMovement = perMovement(end.harness - start.harness)
    }
}
