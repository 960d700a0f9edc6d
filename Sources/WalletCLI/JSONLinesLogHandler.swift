import Foundation
import Logging
import WalletHTTP

/// A swift-log handler that writes every message as one JSON object on one line of standard error, for log
/// collectors: `{"time":…,"level":…,"label":…,"message":…,<metadata>…}`. Metadata keys become top-level fields;
/// nested metadata is flattened into its text.
///
/// Each line is written with a single `write(2)`, so lines of concurrent requests never interleave.
struct JSONLinesLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var writer = JSONWriter()
        writer.object { json in
            json.field("time", timestamp: Date())
            json.field("level", event.level.rawValue)
            json.field("label", label)
            json.field("message", event.message.description)
            for key in fields.keys.sorted() where !Self.reserved.contains(key) {
                json.field(key, fields[key]!.description)
            }
        }
        var bytes = writer.bytes
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Field names of every line, which metadata cannot overwrite.
    static let reserved: Set<String> = ["time", "level", "label", "message"]
}
