package dev.portcullis.core.policy;

import java.util.List;
import java.util.Map;

/**
 * A statement as written (after validation), the source of truth for printing a policy back.
 *
 * @param principal     principal type ({@code AWS}, {@code Service}, …) → values; {@code null} when absent;
 *                      the single key {@code *} stands for {@code "Principal": "*"}
 * @param resources     null when the statement has no Resource/NotResource element (trust policies)
 */
record StatementModel(
        String sid, Effect effect, Map<String, List<String>> principal, boolean notPrincipal,
        List<String> actions, boolean notAction, List<String> resources, boolean notResource,
        List<ConditionModel> conditions) {

    /** One condition: full operator name as written, key as written, values as strings. */
    record ConditionModel(String operator, String key, List<String> values) {}
}
