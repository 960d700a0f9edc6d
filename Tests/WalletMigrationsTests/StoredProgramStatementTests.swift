import Testing
import WalletMigrations

/// Which statements the binary-log preflight looks at: those MariaDB refuses from an account without SUPER.
@Suite("Statements that need SUPER under a binary log")
struct StoredProgramStatementTests {
    @Test(arguments: [
        ("CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET @a = 1", StoredProgramStatement.createTrigger),
        ("create\n    trigger t before update on x for each row set @a = 1", .createTrigger),
        ("CREATE OR REPLACE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET @a = 1", .createTrigger),
        ("CREATE DEFINER = CURRENT_USER TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET @a = 1", .createTrigger),
        ("CREATE DEFINER=`app`@`%` TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET @a = 1", .createTrigger),
        ("DROP TRIGGER IF EXISTS t", .dropTrigger),
        ("CREATE FUNCTION f() RETURNS INT DETERMINISTIC RETURN 1", .createFunction),
        ("CREATE OR REPLACE AGGREGATE FUNCTION f(x INT) RETURNS INT BEGIN RETURN 1; END", .createFunction),
    ])
    func recognises(sql: String, kind: StoredProgramStatement) {
        #expect(StoredProgramStatement(SQLStatement(text: sql, line: 1)) == kind)
    }

    @Test(arguments: [
        "CREATE TABLE triggers (id INT)",
        "CREATE PROCEDURE p() SELECT 1",
        "DROP TABLE entries",
        "ALTER TABLE x ADD COLUMN trigger_name VARCHAR(64)",
        "INSERT INTO x VALUES ('CREATE TRIGGER')",
        "DROP FUNCTION f",
    ])
    func ignores(sql: String) {
        #expect(StoredProgramStatement(SQLStatement(text: sql, line: 1)) == nil)
    }
}
