import Testing
import WalletMigrations

/// The statement splitter on its own: comments, quotes, escapes, empty statements, line numbers and errors.
@Suite("SQLStatementSplitter")
struct SQLStatementSplitterTests {
    private func texts(_ sql: String) throws -> [String] {
        try SQLStatementSplitter.split(sql).map(\.text)
    }

    @Test func splitsAtSemicolonsAndNeedsNoTrailingOne() throws {
        #expect(try texts("CREATE TABLE a (id INT);\nCREATE TABLE b (id INT)") == ["CREATE TABLE a (id INT)", "CREATE TABLE b (id INT)"])
        #expect(try texts("SELECT 1;") == ["SELECT 1"])
        #expect(try texts("  SELECT 1  \n\n") == ["SELECT 1"])
    }

    @Test func dropsEmptyStatements() throws {
        #expect(try texts("") == [])
        #expect(try texts(" ;; \n ; ") == [])
        #expect(try texts("SELECT 1;;;SELECT 2;\n;") == ["SELECT 1", "SELECT 2"])
        #expect(try texts("-- only a comment\n# another\n/* and a block; with a semicolon */\n") == [])
    }

    @Test func skipsCommentsHoldingSemicolons() throws {
        let sql = """
            -- leading comment; not a statement
            SELECT 1; # hash comment; also not
            /* block; comment
               over lines; */ SELECT 2;
            SELECT 3 -- trailing; comment
            ;
            """
        #expect(try texts(sql) == ["SELECT 1", "SELECT 2", "SELECT 3"])
    }

    @Test func keepsCommentsInsideAStatement() throws {
        #expect(try texts("SELECT /* inner; */ 1;") == ["SELECT /* inner; */ 1"])
        #expect(try texts("SELECT 1, -- note; here\n 2;") == ["SELECT 1, -- note; here\n 2"])
    }

    @Test func doubleDashNeedsWhitespaceToStartAComment() throws {
        #expect(try texts("SELECT 5--1; SELECT 2") == ["SELECT 5--1", "SELECT 2"])
        #expect(try texts("SELECT 1 --\tcomment; here\n;SELECT 2") == ["SELECT 1", "SELECT 2"])
        #expect(try texts("SELECT 1;--") == ["SELECT 1"])
    }

    @Test func keepsExecutableComments() throws {
        #expect(try texts("/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SELECT 1 */;") == ["/*!40101 SET NAMES utf8mb4 */", "/*M!100100 SELECT 1 */"])
    }

    @Test func ignoresSemicolonsInQuotes() throws {
        #expect(try texts("INSERT INTO t VALUES ('a;b');SELECT 2") == ["INSERT INTO t VALUES ('a;b')", "SELECT 2"])
        #expect(try texts("INSERT INTO t VALUES (\"a;b\");SELECT 2") == ["INSERT INTO t VALUES (\"a;b\")", "SELECT 2"])
        #expect(try texts("CREATE TABLE `we;ird` (id INT);SELECT 2") == ["CREATE TABLE `we;ird` (id INT)", "SELECT 2"])
        #expect(
            try texts("SELECT '-- not a comment; really', '# nor this', '/* nor; this */';") == [
                "SELECT '-- not a comment; really', '# nor this', '/* nor; this */'"
            ]
        )
    }

    @Test func understandsEscapes() throws {
        #expect(try texts(#"SELECT 'it\'s; fine'; SELECT 2"#) == [#"SELECT 'it\'s; fine'"#, "SELECT 2"])
        #expect(try texts("SELECT 'it''s; fine'; SELECT 2") == ["SELECT 'it''s; fine'", "SELECT 2"])
        #expect(try texts(#"SELECT "say \"hi;\""; SELECT 2"#) == [#"SELECT "say \"hi;\"""#, "SELECT 2"])
        #expect(try texts(#"SELECT "say ""hi;"""; SELECT 2"#) == [#"SELECT "say ""hi;""""#, "SELECT 2"])
        #expect(try texts(#"SELECT 'back\\'; SELECT 2"#) == [#"SELECT 'back\\'"#, "SELECT 2"])
        #expect(try texts("SELECT `a``b;c`; SELECT 2") == ["SELECT `a``b;c`", "SELECT 2"])
        // A backslash is an ordinary character in a quoted identifier.
        #expect(try texts(#"SELECT 1 AS `a\`; SELECT 2"#) == [#"SELECT 1 AS `a\`"#, "SELECT 2"])
    }

    @Test func reportsTheLineEachStatementStartsOn() throws {
        let sql = "-- header\n\nSELECT 1;\nSELECT\n  'two\nlines';\r\n/* c\n */ SELECT 3"
        let statements = try SQLStatementSplitter.split(sql)
        #expect(statements.map(\.line) == [3, 4, 8])
        #expect(statements.map(\.text) == ["SELECT 1", "SELECT\n  'two\nlines'", "SELECT 3"])
    }

    @Test func keepsNonASCIIText() throws {
        #expect(try texts("INSERT INTO t VALUES ('café; ☕');SELECT 'ü'") == ["INSERT INTO t VALUES ('café; ☕')", "SELECT 'ü'"])
    }

    @Test func rejectsAnUnterminatedQuote() {
        for (sql, line) in [("SELECT 1;\nSELECT 'open;\nSELECT 2;", 2), ("SELECT \"x", 1), ("SELECT `x", 1), (#"SELECT 'ends in backslash\"#, 1)] {
            #expect {
                try SQLStatementSplitter.split(sql)
            } throws: { error in
                let error = error as? SQLSplitError
                return error?.code == .unterminatedQuote && error?.line == line
            }
        }
    }

    @Test func rejectsAnUnterminatedComment() {
        #expect {
            try SQLStatementSplitter.split("SELECT 1;\n\n/* never closed; SELECT 2;")
        } throws: { error in
            let error = error as? SQLSplitError
            return error?.code == .unterminatedComment && error?.line == 3 && error?.description.contains("line 3") == true
        }
    }

    @Test func rejectsTheDelimiterCommand() {
        let sql = "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;\n"
        #expect {
            try SQLStatementSplitter.split(sql)
        } throws: { error in
            (error as? SQLSplitError)?.code == .delimiterCommand
        }
    }

    @Test func limitsTheNumberOfStatements() throws {
        let atLimit = String(repeating: "SELECT 1;", count: SQLStatementSplitter.maximumStatements)
        #expect(try SQLStatementSplitter.split(atLimit).count == SQLStatementSplitter.maximumStatements)
        #expect {
            try SQLStatementSplitter.split(atLimit + "SELECT 2")
        } throws: { error in
            (error as? SQLSplitError)?.code == .tooManyStatements
        }
    }
}
