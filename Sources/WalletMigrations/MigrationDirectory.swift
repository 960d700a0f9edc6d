import Foundation

/// The migrations folder: every `NNNN_name.up.sql` / `NNNN_name.down.sql` pair in it, read, checksummed and split.
///
/// Files whose names do not end in `.sql`, hidden files and sub-folders are ignored; any other `.sql` file must be
/// a well-formed migration file. Loading fails, naming the file, on a malformed name, a version used twice, an up
/// file without its down file (or the reverse), a file too large or not UTF-8, or SQL that cannot be split.
public struct MigrationDirectory: Sendable {
    /// The most migrations one folder may hold.
    public static let maximumMigrations = 10_000
    /// The largest migration file read, in bytes.
    public static let maximumFileBytes = 16 * 1024 * 1024

    /// What ``createMigration(named:in:)`` wrote.
    public struct NewMigration: Sendable, Hashable {
        /// The new migration's version.
        public let version: Int64
        /// The path of the new up file.
        public let upPath: String
        /// The path of the new down file.
        public let downPath: String
    }

    /// The folder's path, as given.
    public let path: String
    /// The migrations, in increasing version order.
    public let migrations: [Migration]

    /// A folder's migrations; they must have distinct versions and are sorted here.
    public init(path: String, migrations: [Migration]) {
        precondition(Set(migrations.map(\.version)).count == migrations.count, "migration versions are unique")
        self.path = path
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Reads every migration in the folder at `path`.
    public static func load(_ path: String) throws(MigrationError) -> MigrationDirectory {
        let pairs = try scan(path)
        var migrations: [Migration] = []
        migrations.reserveCapacity(pairs.count)
        for pair in pairs {
            let up = try readFile(pair.upFileName, in: path)
            let down = try readFile(pair.downFileName, in: path)
            migrations.append(Migration(version: pair.version, name: pair.name, versionText: pair.versionText, up: up, down: down))
        }
        return MigrationDirectory(path: path, migrations: migrations)
    }

    /// The migration with this version, if the folder has one.
    public func migration(version: Int64) -> Migration? {
        migrations.first { $0.version == version }
    }

    /// Creates the next migration's empty up and down files in the folder at `path` (created if absent).
    ///
    /// The version is one above the highest in the folder (1 in an empty one), written with as many digits as the
    /// widest existing version and at least ``MigrationFileName/minimumVersionDigits``. Only file names are read, so
    /// this works while another migration's SQL is still being written.
    public static func createMigration(named name: String, in path: String) throws(MigrationError) -> NewMigration {
        guard MigrationFileName.isValidName(name) else {
            throw MigrationError(
                .invalidName,
                "'\(name)' is not a migration name: use 1 to \(MigrationFileName.maximumNameLength) lower-case letters, digits and underscores"
            )
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw MigrationError(.noDirectory, "cannot create the migrations folder \(path): \(error.localizedDescription)")
        }
        let existing = try scan(path)
        let version = (existing.last?.version ?? 0) + 1
        let width = max(MigrationFileName.minimumVersionDigits, existing.map(\.versionText.count).max() ?? 0)
        let versionText = MigrationFileName.versionText(version, width: width)
        guard versionText.count <= MigrationFileName.maximumVersionDigits else {
            throw MigrationError(.invalidName, "the next version, \(versionText), has more than \(MigrationFileName.maximumVersionDigits) digits")
        }
        let identifier = "\(versionText)_\(name)"
        let upPath = join(path, MigrationFileName.fileName(versionText: versionText, name: name, direction: .up))
        let downPath = join(path, MigrationFileName.fileName(versionText: versionText, name: name, direction: .down))
        try create(upPath, contents: "-- \(identifier): up. Statements end with ';'. MariaDB commits each DDL statement at once.\n")
        do {
            try create(downPath, contents: "-- \(identifier): down. Undo everything the up file does, in reverse order.\n")
        } catch {
            try? FileManager.default.removeItem(atPath: upPath)
            throw error
        }
        return NewMigration(version: version, upPath: upPath, downPath: downPath)
    }

    // MARK: Reading

    /// One version's pair of file names.
    private struct FilePair {
        var version: Int64
        var versionText: String
        var name: String
        var upFileName: String
        var downFileName: String
    }

    /// The folder's migration file names, checked and paired, in version order.
    private static func scan(_ path: String) throws(MigrationError) -> [FilePair] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw MigrationError(.noDirectory, "no migrations folder at \(path)")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw MigrationError(.noDirectory, "cannot list the migrations folder \(path): \(error.localizedDescription)")
        }

        struct Group {
            var versionText: String
            var name: String
            var up: String?
            var down: String?
        }
        var groups: [Int64: Group] = [:]
        for entry in entries where !entry.hasPrefix(".") && entry.hasSuffix(MigrationFileName.sqlExtension) {
            let entryPath = join(path, entry)
            var entryIsFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: entryPath, isDirectory: &entryIsFolder), !entryIsFolder.boolValue else { continue }
            guard let parsed = MigrationFileName(entry) else {
                throw MigrationError(
                    .invalidFile,
                    "\(entryPath): not a migration file name; expected NNNN_name.up.sql or NNNN_name.down.sql "
                        + "(a version of \(MigrationFileName.minimumVersionDigits) to \(MigrationFileName.maximumVersionDigits) digits above 0, "
                        + "then a name of lower-case letters, digits and underscores)",
                    file: entryPath
                )
            }
            var group = groups[parsed.version] ?? Group(versionText: parsed.versionText, name: parsed.name)
            let other = [group.up, group.down].compactMap { $0 }.first
            let sameMigration = group.versionText == parsed.versionText && group.name == parsed.name
            let slotTaken = parsed.direction == .up ? group.up != nil : group.down != nil
            if let other, !sameMigration || slotTaken {
                throw MigrationError(
                    .duplicateVersion,
                    "\(entryPath): version \(parsed.version) is also used by \(other)",
                    file: entryPath,
                    versions: [parsed.version]
                )
            }
            switch parsed.direction {
            case .up: group.up = entry
            case .down: group.down = entry
            }
            groups[parsed.version] = group
        }
        guard groups.count <= maximumMigrations else {
            throw MigrationError(.tooManyMigrations, "\(path) holds \(groups.count) migrations; the most allowed is \(maximumMigrations)")
        }
        var pairs: [FilePair] = []
        for (version, group) in groups.sorted(by: { $0.key < $1.key }) {
            let upName = MigrationFileName.fileName(versionText: group.versionText, name: group.name, direction: .up)
            let downName = MigrationFileName.fileName(versionText: group.versionText, name: group.name, direction: .down)
            guard let up = group.up else {
                throw MigrationError(
                    .missingCounterpart,
                    "\(join(path, downName)) has no up file (expected \(join(path, upName)))",
                    file: join(path, downName),
                    versions: [version]
                )
            }
            guard let down = group.down else {
                throw MigrationError(
                    .missingCounterpart,
                    "\(join(path, upName)) has no down file (expected \(join(path, downName)))",
                    file: join(path, upName),
                    versions: [version]
                )
            }
            pairs.append(FilePair(version: version, versionText: group.versionText, name: group.name, upFileName: up, downFileName: down))
        }
        return pairs
    }

    /// Reads, checksums and splits one file.
    private static func readFile(_ fileName: String, in folder: String) throws(MigrationError) -> MigrationFile {
        let path = join(folder, fileName)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumFileBytes else {
            throw MigrationError(.invalidFile, "\(path): \(size) bytes; the largest migration file allowed is \(maximumFileBytes) bytes", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MigrationError(.invalidFile, "\(path): cannot be read", file: path)
        }
        let bytes = [UInt8](data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw MigrationError(.invalidFile, "\(path): not valid UTF-8", file: path)
        }
        let statements: [SQLStatement]
        do {
            statements = try SQLStatementSplitter.split(text)
        } catch {
            throw MigrationError(.invalidFile, "\(path): \(error)", file: path)
        }
        return MigrationFile(path: path, fileName: fileName, statements: statements, checksum: MigrationChecksum.of(bytes))
    }

    /// Creates `path` with `contents`, failing if it exists.
    private static func create(_ path: String, contents: String) throws(MigrationError) {
        do {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            if FileManager.default.fileExists(atPath: path) {
                throw MigrationError(.fileExists, "\(path) already exists", file: path)
            }
            throw MigrationError(.invalidFile, "cannot create \(path): \(error.localizedDescription)", file: path)
        }
    }

    private static func join(_ folder: String, _ fileName: String) -> String {
        folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName
    }
}
