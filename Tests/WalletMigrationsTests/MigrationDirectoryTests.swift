import Foundation
import Testing
import WalletMigrations

/// The migrations folder: file names, pairing, checksums, errors that name the file, and `new` numbering.
@Suite("MigrationDirectory")
struct MigrationDirectoryTests {
    @Test func loadsPairsInVersionOrderAndIgnoresOtherFiles() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.write("README.md", "not a migration")
        try folder.write(".0009_hidden.up.sql", "SELECT 1")
        try FileManager.default.createDirectory(atPath: folder.path + "/0010_folder.up.sql", withIntermediateDirectories: false)

        let directory = try folder.load()
        #expect(directory.migrations.map(\.version) == [1, 2, 3])
        #expect(directory.migrations.map(\.identifier) == ["0001_accounts", "0002_wallets", "0003_audit_log"])
        let accounts = try #require(directory.migration(version: 1))
        #expect(accounts.up.statements.count == 2)
        #expect(accounts.up.statements[1].text == #"INSERT INTO accounts (id, note) VALUES (1, 'semi;colon'), (2, 'it''s; \'quoted\'')"#)
        #expect(accounts.down.statements.map(\.text) == ["DROP TABLE accounts"])
        #expect(accounts.up.path == folder.path + "/0001_accounts.up.sql")
        #expect(accounts.checksum == MigrationChecksum.of(Array(Fixture.standard[0].up.utf8)))
    }

    @Test func checksumIsTheHexSHA256OfTheBytes() {
        #expect(MigrationChecksum.of(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(MigrationChecksum.of([UInt8]()).count == MigrationChecksum.hexLength)
    }

    @Test(arguments: [
        "001_short.up.sql",
        "0001_Upper.up.sql",
        "0001_dash-name.up.sql",
        "0001_.up.sql",
        "0000_zero.up.sql",
        "0001_name.sql",
        "0001_name.sideways.sql",
        "name_0001.up.sql",
        "1234567890123456789_too_long.up.sql",
    ])
    func rejectsAMalformedFileNameNamingIt(fileName: String) throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.write(fileName, "SELECT 1;")
        #expect {
            try folder.load()
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .invalidFile && error?.message.contains(fileName) == true && error?.file == folder.path + "/" + fileName
        }
    }

    @Test func rejectsADuplicateVersionNamingBothFiles() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.add([Fixture.Migration(identifier: "0002_other", up: "SELECT 1", down: "SELECT 1")])
        #expect {
            try folder.load()
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .duplicateVersion && error?.message.contains("0002_wallets") == true
                && error?.message.contains("0002_other") == true && error?.versions == [2]
        }
    }

    @Test func rejectsTheSameVersionWrittenWithDifferentDigits() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.add([Fixture.Migration(identifier: "00003_audit_log", up: "SELECT 1", down: "SELECT 1")])
        #expect(throws: MigrationError.self) { try folder.load() }
    }

    @Test func rejectsAnUpFileWithoutItsDownFile() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.remove("0002_wallets.down.sql")
        #expect {
            try folder.load()
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .missingCounterpart && error?.file == folder.path + "/0002_wallets.up.sql"
                && error?.message.contains("0002_wallets.down.sql") == true
        }
    }

    @Test func rejectsADownFileWithoutItsUpFile() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.remove("0003_audit_log.up.sql")
        #expect {
            try folder.load()
        } throws: { error in
            (error as? MigrationError)?.code == .missingCounterpart && (error as? MigrationError)?.file == folder.path + "/0003_audit_log.down.sql"
        }
    }

    @Test func rejectsSQLThatCannotBeSplitNamingFileAndLine() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.write("0002_wallets.up.sql", "SELECT 1;\nSELECT 'never closed;\n")
        #expect {
            try folder.load()
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .invalidFile && error?.message.contains("0002_wallets.up.sql") == true
                && error?.message.contains("line 2") == true
        }
    }

    @Test func rejectsAFileThatIsNotUTF8() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try Data([0x53, 0x45, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: folder.path + "/0002_wallets.up.sql"))
        #expect(throws: MigrationError.self) { try folder.load() }
    }

    @Test func aMissingFolderIsAClearError() {
        #expect {
            try MigrationDirectory.load("/nonexistent/migrations")
        } throws: { error in
            (error as? MigrationError)?.code == .noDirectory && (error as? MigrationError)?.message.contains("/nonexistent/migrations") == true
        }
    }

    @Test func newNumbersAfterTheHighestVersion() throws {
        let folder = try MigrationFolder()
        defer { folder.delete() }
        let first = try MigrationDirectory.createMigration(named: "create_users", in: folder.path)
        #expect(first.version == 1)
        #expect(first.upPath == folder.path + "/0001_create_users.up.sql")
        #expect(first.downPath == folder.path + "/0001_create_users.down.sql")
        try folder.add([Fixture.Migration(identifier: "0007_gap", up: "SELECT 1", down: "SELECT 1")])
        let next = try MigrationDirectory.createMigration(named: "add_index_2", in: folder.path)
        #expect(next.version == 8)
        #expect(
            try folder.fileNames() == [
                "0001_create_users.down.sql", "0001_create_users.up.sql", "0007_gap.down.sql", "0007_gap.up.sql",
                "0008_add_index_2.down.sql", "0008_add_index_2.up.sql",
            ]
        )
        // The new files load, and hold only comments: no statements.
        let directory = try folder.load()
        #expect(directory.migration(version: 8)?.up.statements.isEmpty == true)
    }

    @Test func newKeepsTheWidthOfWiderVersions() throws {
        let folder = try MigrationFolder()
        defer { folder.delete() }
        try folder.add([Fixture.Migration(identifier: "00041_wide", up: "SELECT 1", down: "SELECT 1")])
        let next = try MigrationDirectory.createMigration(named: "next", in: folder.path)
        #expect(next.upPath.hasSuffix("/00042_next.up.sql"))
    }

    @Test func newCreatesAMissingFolder() throws {
        let folder = try MigrationFolder()
        defer { folder.delete() }
        let nested = folder.path + "/nested/migrations"
        let created = try MigrationDirectory.createMigration(named: "first", in: nested)
        #expect(created.upPath == nested + "/0001_first.up.sql")
        #expect(FileManager.default.fileExists(atPath: created.downPath))
    }

    @Test(arguments: [
        "", "Upper", "with-dash", "with space", "dot.name", "ünïcode", String(repeating: "a", count: MigrationFileName.maximumNameLength + 1),
    ])
    func newRejectsAnInvalidName(name: String) throws {
        let folder = try MigrationFolder()
        defer { folder.delete() }
        #expect {
            try MigrationDirectory.createMigration(named: name, in: folder.path)
        } throws: { error in
            (error as? MigrationError)?.code == .invalidName
        }
        #expect(try folder.fileNames().isEmpty)
    }

    @Test func newRefusesToRunOverABrokenFolder() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.remove("0003_audit_log.down.sql")
        #expect(throws: MigrationError.self) { try MigrationDirectory.createMigration(named: "next", in: folder.path) }
    }
}
