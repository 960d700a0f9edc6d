/// The name of a migration file, `NNNN_name.up.sql` or `NNNN_name.down.sql`, taken apart.
public struct MigrationFileName: Sendable, Hashable {
    /// Which way a file moves the schema.
    public enum Direction: String, Sendable, Hashable {
        /// Applies a migration.
        case up
        /// Reverts it.
        case down
    }

    /// The fewest digits a version is written with.
    public static let minimumVersionDigits = 4
    /// The most digits a version may be written with (so that it fits a `BIGINT`).
    public static let maximumVersionDigits = 18
    /// The longest migration name (it is stored in a `VARCHAR(255)`, and the file name must stay well under 255 bytes).
    public static let maximumNameLength = 200
    /// The extension every migration file has.
    public static let sqlExtension = ".sql"

    /// The version, always above 0.
    public let version: Int64
    /// The version as written in the file name, with its leading zeros.
    public let versionText: String
    /// The name between the version and the direction.
    public let name: String
    /// Up or down.
    public let direction: Direction

    /// Parses `fileName`; nil when it is not of the form `NNNN_name.up.sql` or `NNNN_name.down.sql`.
    public init?(_ fileName: String) {
        let direction: Direction
        let stem: Substring
        if fileName.hasSuffix(".up" + Self.sqlExtension) {
            direction = .up
            stem = fileName.dropLast((".up" + Self.sqlExtension).count)
        } else if fileName.hasSuffix(".down" + Self.sqlExtension) {
            direction = .down
            stem = fileName.dropLast((".down" + Self.sqlExtension).count)
        } else {
            return nil
        }
        guard let separator = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<separator]
        let name = String(stem[stem.index(after: separator)...])
        guard (Self.minimumVersionDigits...Self.maximumVersionDigits).contains(digits.count),
            digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let version = Int64(digits), version > 0,
            Self.isValidName(name)
        else { return nil }
        self.version = version
        self.versionText = String(digits)
        self.name = name
        self.direction = direction
    }

    /// True when `name` may name a migration: 1 to ``maximumNameLength`` lower-case ASCII letters, digits and
    /// underscores.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumNameLength
            && name.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_")
            }
    }

    /// `version` written with at least `width` digits, leading zeros first.
    public static func versionText(_ version: Int64, width: Int = minimumVersionDigits) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The file name of a migration's file in `direction`.
    public static func fileName(versionText: String, name: String, direction: Direction) -> String {
        "\(versionText)_\(name).\(direction.rawValue)\(sqlExtension)"
    }
}
