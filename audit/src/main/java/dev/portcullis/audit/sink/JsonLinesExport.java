package dev.portcullis.audit.sink;

import dev.portcullis.audit.chain.ChainRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Mirrors records as JSON lines to a stream (stdout) or an append-only file, for shipping to a
 * log system. Each line is the stored record itself (event, node, sequence, hashes), so a shipped
 * copy can be verified too. Called only from the recorder's writer thread, after the primary
 * sink has stored the batch; a failure is retried like a sink failure, never skipped.
 */
public final class JsonLinesExport implements AutoCloseable {

    private final OutputStream out;
    private final String description;
    private final boolean owned;

    private JsonLinesExport(OutputStream out, String description, boolean owned) {
        this.out = out;
        this.description = description;
        this.owned = owned;
    }

    public static JsonLinesExport stdout() {
        return new JsonLinesExport(System.out, "stdout", false);
    }

    public static JsonLinesExport to(OutputStream out, String description) {
        return new JsonLinesExport(out, description, false);
    }

    public static JsonLinesExport file(Path file) throws IOException {
        return new JsonLinesExport(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), "export file " + file, true);
    }

    public String describe() {
        return description;
    }

    public void write(List<ChainRecord> records) throws AuditSinkException {
        try {
            int total = 0;
            for (ChainRecord r : records) {
                total = Math.addExact(total, r.lineLength() + 1);
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(total);
            for (ChainRecord r : records) {
                r.writeLine(buf);
                buf.put((byte) '\n');
            }
            out.write(buf.array());
            out.flush();
        } catch (IOException e) {
            throw new AuditSinkException("cannot write " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            out.close();
        } else {
            out.flush();
        }
    }
}
