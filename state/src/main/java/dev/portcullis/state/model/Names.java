package dev.portcullis.state.model;

import dev.portcullis.state.IamException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * AWS's rules for names, paths, account ids and aliases, and tags, failing with {@code
 * ValidationError} in AWS's wording.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html">IAM quotas and name requirements</a>
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern PATH = Pattern.compile("(/)|(/[\\u0021-\\u007E]+/)");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]");
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    /** Tags per user or role. */
    public static final int MAX_TAGS = 50;

    private Names() {
    }

    /** {@code arn:aws:iam::ACCOUNT:TYPE/path/name} ({@code path} starts and ends with {@code /}). */
    public static String arn(String accountId, String type, String path, String name) {
        return "arn:aws:iam::" + accountId + ":" + type + path + name;
    }

    /** A user, group or role name (1–64 characters of {@code [\w+=,.@-]}). */
    public static void entityName(String member, String value) throws IamException {
        pattern(member, value, 1, 64, NAME);
    }

    /** A managed or inline policy name (1–128 characters of {@code [\w+=,.@-]}). */
    public static void policyName(String member, String value) throws IamException {
        pattern(member, value, 1, 128, NAME);
    }

    /** A path: {@code /} or {@code /a/b/}, at most 512 characters. */
    public static void path(String value) throws IamException {
        pattern("path", value, 1, 512, PATH);
    }

    public static void accountId(String value) throws IamException {
        pattern("accountId", value, 12, 12, ACCOUNT);
    }

    public static void accountAlias(String value) throws IamException {
        pattern("accountAlias", value, 3, 63, ALIAS);
    }

    /** A service principal's name, a DNS-like name such as {@code agents.example.internal}. */
    public static void serviceName(String value) throws IamException {
        pattern("serviceName", value, 1, 253, SERVICE);
    }

    public static void tags(List<Tag> tags) throws IamException {
        if (tags.size() > MAX_TAGS) {
            throw IamException.limitExceeded("Cannot exceed quota for TagsPerEntity: " + MAX_TAGS);
        }
        for (Tag t : tags) {
            pattern("tags.member.key", t.key(), 1, 128, TAG);
            pattern("tags.member.value", t.value(), 0, 256, TAG);
        }
    }

    public static void description(String value) throws IamException {
        if (value != null && value.length() > 1000) {
            throw invalid(value.substring(0, 16) + "…", "description", "Member must have length less than or equal to 1000");
        }
    }

    private static void pattern(String member, String value, int min, int max, Pattern p) throws IamException {
        if (value == null) {
            throw IamException.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        if (value.length() < min) {
            throw invalid(value, member, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw invalid(value, member, "Member must have length less than or equal to " + max);
        }
        if (!p.matcher(value).matches()) {
            throw invalid(value, member, "Member must satisfy regular expression pattern: " + p.pattern());
        }
    }

    private static IamException invalid(String value, String member, String constraint) {
        return IamException.validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }
}
