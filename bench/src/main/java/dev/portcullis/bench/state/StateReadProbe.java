package dev.portcullis.bench.state;

import dev.portcullis.state.view.IamView;
import dev.portcullis.state.view.PrincipalPolicies;
import java.lang.management.ManagementFactory;

/**
 * Companion to {@link StateBenchmark#readPrincipalPolicies} for shared machines: the same read in
 * a loop, timed by the thread's CPU clock as well as the wall clock, so time spent descheduled
 * (other processes on the 2 shared cores) does not count.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.portcullis.bench.state.StateReadProbe [principals]</pre>
 */
public final class StateReadProbe {
    private StateReadProbe() {
    }

    public static void main(String[] args) throws Exception {
        int principals = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        IamView view = Models.build(Models.applier(), principals, principals, 500, principals * 5 / 2);
        String[] arns = new String[4096];
        for (int i = 0; i < arns.length; i++) {
            int p = (i * 7919) % principals;
            arns[i] = i % 2 == 0 ? Models.userArn(p) : Models.roleArn(p);
        }
        var threads = ManagementFactory.getThreadMXBean();
        int ops = 20_000_000;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                PrincipalPolicies p = view.principalPolicies(arns[i & 4095]);
                sink += p.identityPolicies().size();
            }
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - c0;
            System.out.printf("round %d: %.1f ns/op CPU, %.1f ns/op wall%n", round, (double) cpu / ops,
                    (double) wall / ops);
        }
        // Baseline on the same machine at the same moment: one plain HashMap holding the same entries.
        java.util.Map<String, PrincipalPolicies> plain = new java.util.HashMap<>();
        for (int i = 0; i < principals; i++) {
            plain.put(Models.userArn(i), view.principalPolicies(Models.userArn(i)));
            plain.put(Models.roleArn(i), view.principalPolicies(Models.roleArn(i)));
        }
        for (int round = 0; round < 3; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                sink += plain.get(arns[i & 4095]).identityPolicies().size();
            }
            System.out.printf("baseline HashMap round %d: %.1f ns/op CPU%n", round,
                    (double) (threads.getCurrentThreadCpuTime() - c0) / ops);
        }
        System.out.println("(checksum " + sink + ")");
    }
}
