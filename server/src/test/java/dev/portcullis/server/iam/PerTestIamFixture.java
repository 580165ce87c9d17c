package dev.portcullis.server.iam;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the IAM API tests that want a fresh {@link IamFixture} (its own SQLite directory, both accounts
 * created, the root of {@link IamFixture#ACCOUNT} as caller) for every test method. A subclass's own
 * {@code @BeforeEach} methods run after {@link #openIam()}, so they can seed {@link #iam}.
 */
abstract class PerTestIamFixture {

    @TempDir
    Path dir;
    IamFixture iam;

    @BeforeEach
    final void openIam() throws Exception {
        iam = new IamFixture(dir);
    }

    @AfterEach
    final void closeIam() {
        iam.close();
    }
}
