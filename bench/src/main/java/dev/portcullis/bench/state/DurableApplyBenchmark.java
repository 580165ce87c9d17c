package dev.portcullis.bench.state;

import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Tag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** A change applied end to end on the embedded store: validate, append (SQLite, WAL, fsync), publish. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DurableApplyBenchmark {
    Path dir;
    IamState state;
    int i;

    @Setup(Level.Trial)
    public void open() throws IOException, IamException {
        dir = Files.createTempDirectory("portcullis-bench");
        state = IamState.open(StateConfig.sqlite(dir).withKeyring(Keyring.generate()).withSnapshotEvery(1_000_000));
        state.apply(Change.CreateAccount.of(Models.ACCOUNT));
        state.apply(Change.CreateUser.of(Models.ACCOUNT, "bench", "/"));
    }

    @TearDown(Level.Trial)
    public void close() {
        state.close();
    }

    @Benchmark
    public long applyDurably() throws IamException {
        i++;
        return state.apply(new Change.TagEntity(Models.ACCOUNT, PrincipalKind.USER, "bench",
                List.of(new Tag("n", Integer.toString(i))))).sequence();
    }
}
