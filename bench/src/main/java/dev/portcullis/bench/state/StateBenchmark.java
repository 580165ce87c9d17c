package dev.portcullis.bench.state;

import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Tag;
import dev.portcullis.state.view.IamView;
import dev.portcullis.state.view.PrincipalPolicies;
import dev.portcullis.state.view.ViewApplier;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two hot operations of the in-memory model, on a view of {@code principals} users and as
 * many roles with 2–3 attached policies each: reading a principal's compiled policies (the
 * authorization read) and applying a change (validate + next view, no store).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StateBenchmark {
    @Param({"10000", "100000"})
    int principals;

    ViewApplier applier;
    IamView view;
    String[] arns;
    int next;
    int nextChange;
    long seq;
    List<Change> changes;

    @Setup(Level.Trial)
    public void setUp() throws IamException {
        applier = Models.applier();
        view = Models.build(applier, principals, principals, 500, principals * 5 / 2);
        arns = new String[4096];
        for (int i = 0; i < arns.length; i++) {
            int p = (i * 7919) % principals;
            arns[i] = i % 2 == 0 ? Models.userArn(p) : Models.roleArn(p);
        }
        changes = List.of(
                new Change.TagEntity(Models.ACCOUNT, PrincipalKind.USER, "user17", List.of(new Tag("team", "a"))),
                new Change.AttachPolicy(Models.ACCOUNT, PrincipalKind.ROLE, "role42", Models.policyArn(499)),
                new Change.DetachPolicy(Models.ACCOUNT, PrincipalKind.ROLE, "role42", Models.policyArn(499)));
        seq = view.sequence();
    }

    /** Authorization's read: principal ARN → compiled identity policies and boundary. */
    @Benchmark
    public PrincipalPolicies readPrincipalPolicies() {
        next = (next + 1) & (arns.length - 1);
        return view.principalPolicies(arns[next]);
    }

    /** Validating a change against the view and building the next view (sharded copy-on-write). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public IamView applyChange() throws IamException {
        nextChange = (nextChange + 1) % changes.size();
        IamView v = applier.apply(view, changes.get(nextChange), ++seq);
        if (nextChange != 0) {
            view = v; // attach then detach: the model stays the same size
        }
        return v;
    }
}
