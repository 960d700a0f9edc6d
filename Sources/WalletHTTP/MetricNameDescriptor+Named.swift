import Prometheus

extension MetricNameDescriptor {
    /// The descriptor of the metric called exactly `name` (units already in it, as in `…_seconds_total`), with its
    /// `# HELP` text.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
