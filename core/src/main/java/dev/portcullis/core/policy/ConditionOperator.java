package dev.portcullis.core.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The base condition operators of "IAM JSON policy elements: Condition operators". A negated
 * operator is evaluated as the negation of its positive counterpart over the set of policy values,
 * which gives AWS's rule that a negated operator matches when no value matches.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Family.STRING, null),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, STRING_EQUALS),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, null),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, STRING_EQUALS_IGNORE_CASE),
    STRING_LIKE("StringLike", Family.STRING, null),
    STRING_NOT_LIKE("StringNotLike", Family.STRING, STRING_LIKE),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, null),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, NUMERIC_EQUALS),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, null),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, null),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, null),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, null),
    DATE_EQUALS("DateEquals", Family.DATE, null),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, DATE_EQUALS),
    DATE_LESS_THAN("DateLessThan", Family.DATE, null),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, null),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, null),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, null),
    BOOL("Bool", Family.BOOL, null),
    BINARY_EQUALS("BinaryEquals", Family.BINARY, null),
    IP_ADDRESS("IpAddress", Family.IP, null),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, IP_ADDRESS),
    ARN_EQUALS("ArnEquals", Family.ARN, null),
    ARN_LIKE("ArnLike", Family.ARN, null),
    ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, ARN_EQUALS),
    ARN_NOT_LIKE("ArnNotLike", Family.ARN, ARN_LIKE),
    NULL("Null", Family.NULL, null);

    enum Family { STRING, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL }

    /** Set qualifier of a condition ("single-valued vs multivalued context keys"). */
    enum Qualifier { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    private static final Map<String, ConditionOperator> BY_NAME = new HashMap<>();

    static {
        for (ConditionOperator op : values()) {
            BY_NAME.put(op.json.toLowerCase(Locale.ROOT), op);
        }
    }

    final String json;
    final Family family;
    /** The positive operator this one negates, or null when it is itself positive. */
    final ConditionOperator positive;

    ConditionOperator(String json, Family family, ConditionOperator positive) {
        this.json = json;
        this.family = family;
        this.positive = positive;
    }

    boolean negated() {
        return positive != null;
    }

    /** The positive form used for value comparison. */
    ConditionOperator base() {
        return positive == null ? this : positive;
    }

    /** Whether policy variables may appear in this operator's values. */
    boolean allowsVariables() {
        return family == Family.STRING || family == Family.ARN;
    }

    /** A full operator name split into qualifier, base operator and IfExists; null when unknown. */
    record Parsed(Qualifier qualifier, ConditionOperator operator, boolean ifExists) {
        String json() {
            String q = qualifier == Qualifier.FOR_ALL_VALUES ? "ForAllValues:" : qualifier == Qualifier.FOR_ANY_VALUE ? "ForAnyValue:" : "";
            return q + operator.json + (ifExists ? "IfExists" : "");
        }
    }

    static Parsed parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Qualifier q = Qualifier.NONE;
        if (n.startsWith("forallvalues:")) {
            q = Qualifier.FOR_ALL_VALUES;
            n = n.substring("forallvalues:".length());
        } else if (n.startsWith("foranyvalue:")) {
            q = Qualifier.FOR_ANY_VALUE;
            n = n.substring("foranyvalue:".length());
        }
        boolean ifExists = false;
        ConditionOperator op = BY_NAME.get(n);
        if (op == null && n.endsWith("ifexists")) {
            op = BY_NAME.get(n.substring(0, n.length() - "ifexists".length()));
            ifExists = true;
            if (op == NULL) {
                return null; // NullIfExists is not an operator
            }
        }
        return op == null ? null : new Parsed(q, op, ifExists);
    }
}
