package dev.portcullis.server.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real PostgreSQL for integration tests: {@code PORTCULLIS_TEST_PG_URL}, by default the local
 * one. Under {@code CI=true} a missing database fails the test; otherwise it is skipped loudly.
 */
final class TestPostgres {

    static final String URL = System.getenv().getOrDefault("PORTCULLIS_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestPostgres() {}

    static void requireAvailable() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(2);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at PORTCULLIS_TEST_PG_URL (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message, e);
            }
            System.err.println("SKIPPING PostgreSQL integration tests: " + message);
            assumeTrue(false, message);
        }
    }

    static String freshSchema() {
        return "portcullis_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }

    /**
     * A fresh schema for each test, as a JUnit extension on an instance field: before the test's own
     * {@code @BeforeEach} methods it {@linkplain #requireAvailable() requires PostgreSQL} and picks a new
     * schema name (the store creates the schema); after the test it drops the schema.
     */
    static final class FreshSchema implements BeforeEachCallback, AfterEachCallback {

        private String name;

        @Override
        public void beforeEach(ExtensionContext context) {
            requireAvailable();
            name = freshSchema();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (name != null) {
                drop(name);
                name = null;
            }
        }

        /** This test's schema. */
        String name() {
            return name;
        }
    }
}
