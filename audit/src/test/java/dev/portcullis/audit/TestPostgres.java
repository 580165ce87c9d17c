package dev.portcullis.audit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The real PostgreSQL for integration tests: {@code PORTCULLIS_TEST_PG_URL}, by default the local
 * one. Under {@code CI=true} a missing database fails the test; otherwise it is skipped loudly.
 */
public final class TestPostgres {

    public static final String URL = System.getenv().getOrDefault("PORTCULLIS_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestPostgres() {}

    public static void requireAvailable() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(2);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at PORTCULLIS_TEST_PG_URL (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message, e);
            }
            System.err.println("SKIPPING PostgreSQL audit tests: " + message);
            assumeTrue(false, message);
        }
    }

    /** A schema-qualified table name unique to this run. */
    public static String uniqueTable() {
        return "audit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ".events";
    }

    public static void dropSchemaOf(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + table.substring(0, table.indexOf('.')) + " CASCADE");
        }
    }

    public static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
