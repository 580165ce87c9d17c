package dev.portcullis.state.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.state.replay.JdbcSignatureLedger;
import dev.portcullis.state.replay.SignatureLedger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The cluster store: PostgreSQL, one schema per Portcullis installation. Each append sends
 * {@code NOTIFY} on the schema's channel inside its transaction, so listeners hear of it at
 * commit; the sequence's primary key decides races between nodes.
 */
public final class PostgresStore extends JdbcStore {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private final String url;
    private final String schema;
    private final String channel;
    private final SignatureLedger signatures;

    private PostgresStore(HikariDataSource data, String url, String schema) {
        super(data, true);
        this.url = url;
        this.schema = schema;
        this.channel = "portcullis_changes_" + schema;
        this.signatures = new JdbcSignatureLedger(data);
    }

    /**
     * Opens the store in {@code schema} (created and migrated when needed). {@code url} is a JDBC
     * URL ({@code jdbc:postgresql://host:5432/db?user=…}); {@code poolSize} connections at most.
     */
    public static PostgresStore open(String url, String schema, int poolSize) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new StoreException("invalid schema name " + schema + ": use lower-case letters, digits and _");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setSchema(schema);
        config.setPoolName("portcullis-pg-" + schema);
        config.setMaximumPoolSize(poolSize);
        HikariDataSource data;
        try {
            data = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + redact(url) + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure().dataSource(data).schemas(schema).defaultSchema(schema).createSchemas(true)
                    .locations("classpath:db/migration/postgresql").load().migrate();
            return new PostgresStore(data, url, schema);
        } catch (FlywayException e) {
            data.close();
            throw new StoreException("cannot migrate PostgreSQL schema " + schema + " at " + redact(url) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<SignatureLedger> sharedSignatures() {
        return Optional.of(signatures);
    }

    public String schema() {
        return schema;
    }

    @Override
    public String location() {
        return redact(url) + " schema " + schema;
    }

    @Override
    boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    void afterInsert(Connection c, long sequence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, Long.toString(sequence));
            s.execute();
        }
    }

    @Override
    public Optional<NotificationSource> notifications() {
        return Optional.of(new NotificationSource() {
            @Override
            public String channel() {
                return channel;
            }

            @Override
            public Connection open() throws SQLException {
                return DriverManager.getConnection(url, new Properties());
            }
        });
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
