package dev.portcullis.core.policy;

import java.util.Map;

/**
 * The request context as the evaluator reads it: lower-cased key → values. Built once per request
 * by {@link AuthorizationRequest}; read-only afterwards.
 */
final class ContextValues {

    private static final String[] NONE = new String[0];

    private final Map<String, String[]> values;

    ContextValues(Map<String, String[]> values) {
        this.values = values;
    }

    /** All values of a key, or null when the request does not carry it. */
    String[] values(String lowerKey) {
        return values.get(lowerKey);
    }

    /** The key's value when it has exactly one, else null (a multi-valued key used as a variable does not match). */
    String single(String lowerKey) {
        String[] v = values.get(lowerKey);
        return v != null && v.length == 1 ? v[0] : null;
    }

    boolean present(String lowerKey) {
        String[] v = values.get(lowerKey);
        return v != null && v.length > 0;
    }

    Map<String, String[]> asMap() {
        return values;
    }

    static String[] none() {
        return NONE;
    }
}
