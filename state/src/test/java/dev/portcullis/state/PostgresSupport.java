package dev.portcullis.state;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real PostgreSQL for tests: {@code PORTCULLIS_TEST_PG_URL} or the local default. Missing
 * PostgreSQL fails under {@code CI=true} and is a loud skip otherwise. Each test class uses fresh
 * schemas named {@code portcullis_test_<random>}, dropped afterwards.
 */
public final class PostgresSupport {
    public static final String URL = System.getenv().getOrDefault("PORTCULLIS_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private PostgresSupport() {
    }

    public static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(2);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + URL + " (" + e.getMessage()
                    + "); set PORTCULLIS_TEST_PG_URL";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            System.err.println("SKIPPING PostgreSQL tests: " + message);
            assumeTrue(false, message);
        }
    }

    public static String freshSchema() {
        return "portcullis_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
    }

    public static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }
}
