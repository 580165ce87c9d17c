package dev.portcullis.core.policy;

import dev.portcullis.core.policy.ConditionOperator.Family;
import dev.portcullis.core.policy.ConditionOperator.Qualifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One (operator, key, values) triple of a {@code Condition} block, compiled. Values are parsed into
 * their operator's type once; string and ARN values without variables become {@link Glob}s.
 *
 * <p>Semantics ("Condition operators", "Single-valued vs. multivalued context keys"):
 * <ul>
 *   <li>several policy values are ORed; a negated operator matches when no value matches;</li>
 *   <li>a missing key: false, except {@code …IfExists} and negated operators (true);</li>
 *   <li>{@code ForAnyValue}: some request value matches (a missing key or empty set: false);</li>
 *   <li>{@code ForAllValues}: every request value matches (a missing key or empty set: true);</li>
 *   <li>{@code Null}: {@code true} means the key is absent, {@code false} that it is present.</li>
 * </ul>
 */
final class CompiledCondition {

    final ConditionOperator.Parsed op;
    final String key;        // lower-cased
    final String keyAsWritten;
    final List<String> rawValues;
    private final Object[] values; // per family: String, Glob, PatternTemplate, BigDecimal, Long, Boolean, byte[], IpRange, ArnPattern

    CompiledCondition(ConditionOperator.Parsed op, String keyAsWritten, List<String> rawValues, Object[] values) {
        this.op = op;
        this.keyAsWritten = keyAsWritten;
        this.key = keyAsWritten.toLowerCase(Locale.ROOT).intern();
        this.rawValues = List.copyOf(rawValues);
        this.values = values;
    }

    /**
     * Compiles one policy value for the operator; returns null when the value has the wrong type
     * (the validator reports it).
     */
    static Object compileValue(ConditionOperator base, String raw, boolean variables) {
        switch (base.family) {
            case STRING: {
                boolean like = base == ConditionOperator.STRING_LIKE;
                PatternTemplate t = PatternTemplate.parse(raw, like, variables);
                if (t.hasVariables()) {
                    return t;
                }
                if (like) {
                    return Glob.of(t.parts(), false);
                }
                String lit = t.resolveText(null);
                return base == ConditionOperator.STRING_EQUALS_IGNORE_CASE ? lit.toLowerCase(Locale.ROOT) : lit;
            }
            case ARN: {
                PatternTemplate t = PatternTemplate.parse(raw, true, variables);
                return t.hasVariables() ? t : ArnPattern.of(t.parts());
            }
            case NUMERIC:
                return ConditionValues.number(raw);
            case DATE:
                return ConditionValues.date(raw);
            case BOOL:
            case NULL:
                return ConditionValues.bool(raw);
            case BINARY:
                return ConditionValues.binary(raw);
            case IP:
                return IpRange.parse(raw);
            default:
                return null;
        }
    }

    boolean evaluate(ContextValues ctx) {
        String[] req = ctx.values(key);
        boolean absent = req == null || req.length == 0;
        ConditionOperator base = op.operator();
        if (base == ConditionOperator.NULL) {
            for (Object v : values) {
                if (((Boolean) v) == absent) {
                    return true;
                }
            }
            return false;
        }
        boolean negated = base.negated();
        if (absent) {
            if (op.ifExists()) {
                return true;
            }
            switch (op.qualifier()) {
                case FOR_ALL_VALUES:
                    return true;
                case FOR_ANY_VALUE:
                    return false;
                default:
                    return negated;
            }
        }
        ConditionOperator positive = base.base();
        if (op.qualifier() == Qualifier.FOR_ALL_VALUES) {
            for (String r : req) {
                if (anyValueMatches(positive, r, ctx) == negated) {
                    return false;
                }
            }
            return true;
        }
        if (op.qualifier() == Qualifier.FOR_ANY_VALUE) {
            for (String r : req) {
                if (anyValueMatches(positive, r, ctx) != negated) {
                    return true;
                }
            }
            return false;
        }
        // No qualifier: a multi-valued key matches when any of its values does.
        for (String r : req) {
            if (anyValueMatches(positive, r, ctx)) {
                return !negated;
            }
        }
        return negated;
    }

    private boolean anyValueMatches(ConditionOperator positive, String r, ContextValues ctx) {
        for (Object v : values) {
            if (matches(positive, r, v, ctx)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(ConditionOperator op, String r, Object v, ContextValues ctx) {
        if (v instanceof PatternTemplate t && op == ConditionOperator.STRING_LIKE) {
            return t.matchesResolved(ctx, r);
        }
        if (v instanceof PatternTemplate t) {
            List<PatternTemplate.Part> parts = t.resolve(ctx);
            if (parts == null) {
                return false; // a variable with no single value and no default matches nothing
            }
            if (op.family == Family.ARN) {
                v = ArnPattern.of(parts);
            } else if (op == ConditionOperator.STRING_LIKE) {
                v = Glob.of(parts, false);
            } else {
                String text = joined(parts);
                v = op == ConditionOperator.STRING_EQUALS_IGNORE_CASE ? text.toLowerCase(Locale.ROOT) : text;
            }
        }
        switch (op) {
            case STRING_EQUALS:
                return v.equals(r);
            case STRING_EQUALS_IGNORE_CASE:
                return v.equals(r.toLowerCase(Locale.ROOT));
            case STRING_LIKE:
                return ((Glob) v).matches(r);
            case ARN_EQUALS:
            case ARN_LIKE:
                return ((ArnPattern) v).matches(r);
            case BOOL: {
                Boolean b = ConditionValues.bool(r);
                return b != null && b.equals(v);
            }
            case BINARY_EQUALS: {
                byte[] b = ConditionValues.binary(r);
                return b != null && Arrays.equals(b, (byte[]) v);
            }
            case IP_ADDRESS:
                return ((IpRange) v).contains(r);
            default:
                break;
        }
        if (op.family == Family.NUMERIC) {
            BigDecimal n = ConditionValues.number(r);
            return n != null && compare(op, n.compareTo((BigDecimal) v));
        }
        if (op.family == Family.DATE) {
            Long d = ConditionValues.date(r);
            return d != null && compare(op, Long.compare(d, (Long) v));
        }
        return false;
    }

    private static String joined(List<PatternTemplate.Part> parts) {
        StringBuilder sb = new StringBuilder();
        for (PatternTemplate.Part p : parts) {
            if (p instanceof PatternTemplate.Lit l) {
                sb.append(l.text());
            } else if (p instanceof PatternTemplate.Wild w) {
                sb.append(w.c());
            }
        }
        return sb.toString();
    }

    private static boolean compare(ConditionOperator op, int cmp) {
        switch (op) {
            case NUMERIC_EQUALS:
            case DATE_EQUALS:
                return cmp == 0;
            case NUMERIC_LESS_THAN:
            case DATE_LESS_THAN:
                return cmp < 0;
            case NUMERIC_LESS_THAN_EQUALS:
            case DATE_LESS_THAN_EQUALS:
                return cmp <= 0;
            case NUMERIC_GREATER_THAN:
            case DATE_GREATER_THAN:
                return cmp > 0;
            case NUMERIC_GREATER_THAN_EQUALS:
            case DATE_GREATER_THAN_EQUALS:
                return cmp >= 0;
            default:
                return false;
        }
    }

    /** Context keys this condition reads: its key and the variables in its values. */
    List<String> keysRead() {
        List<String> keys = new ArrayList<>();
        keys.add(key);
        for (Object v : values) {
            if (v instanceof PatternTemplate t) {
                keys.addAll(t.variableKeys());
            }
        }
        return keys;
    }

    /** Human-readable reason for the outcome, for explanations. */
    String reason(ContextValues ctx, boolean matched) {
        String[] req = ctx.values(key);
        boolean absent = req == null || req.length == 0;
        if (op.operator() == ConditionOperator.NULL) {
            return keyAsWritten + (absent ? " is absent" : " is present");
        }
        if (absent) {
            String why = op.ifExists() ? "IfExists" : op.qualifier() == Qualifier.FOR_ALL_VALUES ? "ForAllValues on an empty set"
                    : op.qualifier() == Qualifier.FOR_ANY_VALUE ? "ForAnyValue on an empty set"
                    : op.operator().negated() ? "a negated operator" : "a missing key";
            return keyAsWritten + " is not in the request context; " + why + " evaluates to " + matched;
        }
        return keyAsWritten + " = " + Arrays.toString(req) + (matched ? " matches " : " does not match ") + op.json() + " " + rawValues;
    }
}
