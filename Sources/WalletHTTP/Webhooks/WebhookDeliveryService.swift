public import Logging
public import ServiceLifecycle
import WalletCore

/// Delivers webhooks in the background: claims due deliveries (every ``pollInterval`` while there is room and
/// nothing was due), attempts each in a task of its own, and records the backlog metric every ``backlogInterval``.
/// On graceful shutdown it stops claiming and lets the attempts in flight finish (each within its time limit);
/// a delivery left claimed by a killed instance is attempted again when its lease ends.
public struct WebhookDeliveryService: Service {
    /// The wait before claiming again when nothing was due or there was no room.
    public static let pollInterval: Duration = .milliseconds(200)
    /// Connections of the delivery workers' own pool: claims and outcomes are short statements.
    public static let poolSize = 2
    /// How often the oldest pending delivery's age is measured.
    public static let backlogInterval: Duration = .seconds(5)

    let dispatcher: WebhookDispatcher
    let logger: Logger

    public init(dispatcher: WebhookDispatcher, logger: Logger) {
        self.dispatcher = dispatcher
        self.logger = logger
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var nextBacklog = clock.now
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                var claimed = 0
                do {
                    let claims = try await dispatcher.claimDue()
                    claimed = claims.count
                    for delivery in claims { group.addTask { _ = await dispatcher.attempt(delivery) } }
                } catch {
                    logger.warning("claiming webhook deliveries failed; trying again later", metadata: ["error": "\(error)"])
                }
                if clock.now >= nextBacklog {
                    nextBacklog = clock.now + Self.backlogInterval
                    do {
                        try await dispatcher.recordBacklog()
                    } catch {
                        logger.warning("measuring the webhook backlog failed", metadata: ["error": "\(error)"])
                    }
                }
                if claimed == 0 {
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.pollInterval) }
                    } catch {
                        break
                    }
                }
            }
        }
        await dispatcher.client.shutdown()
    }
}
