package dev.portcullis.state.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file, WAL journal, {@code synchronous=FULL} (a commit is on disk
 * before {@code append} returns), transactions begun {@code IMMEDIATE} so writers serialize on
 * the file lock instead of failing on upgrade. Several processes may share the file.
 *
 * <p>A file that is not a SQLite database, is truncated, or fails SQLite's {@code quick_check}
 * stops start-up with a {@link StoreException} naming the file: never a silent empty state.
 */
public final class SqliteStore extends JdbcStore {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private final Path file;

    private SqliteStore(HikariDataSource data, Path file) {
        super(data, false);
        this.file = file;
    }

    /** Opens (creating when absent) and migrates the store file. */
    public static SqliteStore open(Path file) {
        Path abs = file.toAbsolutePath();
        checkFile(abs);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + abs);
        config.setPoolName("portcullis-sqlite");
        config.setMaximumPoolSize(4);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "FULL");
        config.addDataSourceProperty("busy_timeout", "30000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.setInitializationFailTimeout(-1);
        HikariDataSource data;
        try {
            Files.createDirectories(abs.getParent());
            data = new HikariDataSource(config);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot open store file " + abs + ": " + e.getMessage(), e);
        }
        try {
            quickCheck(data, abs);
            Flyway.configure().dataSource(data).locations("classpath:db/migration/sqlite").load().migrate();
            return new SqliteStore(data, abs);
        } catch (FlywayException | StoreException e) {
            data.close();
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("store file " + abs + " is corrupt or unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    boolean isDuplicateKey(SQLException e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || code == SQLiteErrorCode.SQLITE_CONSTRAINT;
        }
        return false;
    }

    /** Header checks SQLite itself does lazily: magic string, and file length against the page count. */
    static void checkFile(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new StoreException("store file " + file + " is empty (0 bytes): it is truncated or was not"
                        + " written by Portcullis; restore it from a backup or move it away to start afresh");
            }
            byte[] header = new byte[100];
            int read;
            try (InputStream in = Files.newInputStream(file)) {
                read = in.readNBytes(header, 0, 100);
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (read < MAGIC.length || header[i] != MAGIC[i]) {
                    throw new StoreException("store file " + file + " is not a SQLite database (bad header)");
                }
            }
            if (read < 100) {
                throw new StoreException("store file " + file + " is truncated (" + size + " bytes)");
            }
            ByteBuffer h = ByteBuffer.wrap(header);
            int pageSize = Short.toUnsignedInt(h.getShort(16));
            long pageSizeBytes = pageSize == 1 ? 65536 : pageSize;
            long pages = Integer.toUnsignedLong(h.getInt(28));
            boolean countValid = h.getInt(24) == h.getInt(92);
            if (countValid && pages > 0 && size < pages * pageSizeBytes) {
                throw new StoreException("store file " + file + " is truncated: " + size + " bytes, header says "
                        + pages + " pages of " + pageSizeBytes);
            }
        } catch (IOException e) {
            throw new StoreException("cannot read store file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void quickCheck(HikariDataSource data, Path file) {
        try (Connection c = data.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA quick_check")) {
            String result = r.next() ? r.getString(1) : "no result";
            if (!"ok".equals(result)) {
                throw new StoreException("store file " + file + " is corrupt: " + result);
            }
        } catch (SQLException e) {
            throw new StoreException("store file " + file + " is corrupt or not a SQLite database: "
                    + e.getMessage(), e);
        }
    }
}
