package dev.portcullis.core.policy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed, validated and compiled policy document. Immutable and thread-safe; compile once when
 * the policy is written, evaluate for every request. Obtain one from {@link Policies#parse}.
 */
public final class Policy {

    private final String document;
    private final PolicyKind kind;
    private final String version;
    private final String id;
    private final List<CompiledStatement> statements;
    private final Map<String, int[]> byService;
    private final int[] generic;
    private final int[] all;

    Policy(String document, PolicyKind kind, String version, String id, List<CompiledStatement> statements) {
        this.document = document;
        this.kind = kind;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
        this.all = new int[statements.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        // Index statements by the service prefix of their actions: a request for "s3:GetObject"
        // only visits statements naming s3 actions plus those that may match any service
        // (NotAction, "*", wildcard service prefixes).
        Map<String, BitSet> buckets = new HashMap<>();
        BitSet gen = new BitSet();
        for (CompiledStatement s : statements) {
            if (s.notAction) {
                gen.set(s.index);
                continue;
            }
            for (ServicePrefix svc : services(s)) {
                if (svc.generic) {
                    gen.set(s.index);
                } else {
                    buckets.computeIfAbsent(svc.name, k -> new BitSet()).set(s.index);
                }
            }
        }
        this.generic = gen.stream().toArray();
        Map<String, int[]> idx = new HashMap<>();
        for (Map.Entry<String, BitSet> e : buckets.entrySet()) {
            BitSet b = (BitSet) e.getValue().clone();
            b.or(gen);
            idx.put(e.getKey().intern(), b.stream().toArray());
        }
        this.byService = Map.copyOf(idx);
    }

    private record ServicePrefix(String name, boolean generic) {}

    private static List<ServicePrefix> services(CompiledStatement s) {
        List<ServicePrefix> out = new ArrayList<>();
        for (String a : s.model.actions()) {
            int colon = a.indexOf(':');
            String svc = colon < 0 ? a : a.substring(0, colon);
            boolean generic = colon < 0 || svc.indexOf('*') >= 0 || svc.indexOf('?') >= 0 || svc.indexOf('$') >= 0;
            out.add(new ServicePrefix(svc.toLowerCase(Locale.ROOT), generic));
        }
        return out;
    }

    /** The document exactly as given. */
    public String document() {
        return document;
    }

    public PolicyKind kind() {
        return kind;
    }

    /** {@code 2012-10-17} or {@code 2008-10-17} (the default when the document has no Version). */
    public String version() {
        return version;
    }

    /** The optional {@code Id} element, or null. */
    public String id() {
        return id;
    }

    /** Number of statements. */
    public int statementCount() {
        return statements.size();
    }

    /** The policy printed back as canonical JSON (every list as an array, fixed element order). */
    public String toCanonicalJson() {
        return PolicyPrinter.print(this);
    }

    List<CompiledStatement> statements() {
        return statements;
    }

    /** Statement indexes that may match an action of {@code service} (lower-case). */
    int[] candidates(String service) {
        int[] c = byService.get(service);
        return c != null ? c : generic;
    }

    int[] allStatements() {
        return all;
    }

    @Override
    public String toString() {
        return "Policy[" + kind + ", " + statements.size() + " statements]";
    }
}
