package dev.portcullis.core.arn;

import java.util.Objects;
import java.util.Optional;

/**
 * An Amazon Resource Name, {@code arn:partition:service:region:account-id:resource}.
 *
 * <p>The resource part may itself contain {@code :} and {@code /} (e.g. {@code role/path/name},
 * {@code function:name:alias}); it is kept verbatim. Region and account may be empty, as in IAM
 * ARNs ({@code arn:aws:iam::123456789012:role/x}) and S3 bucket ARNs ({@code arn:aws:s3:::bucket}).
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html">ARN format</a>
 */
public record Arn(String partition, String service, String region, String accountId, String resource) {

    /** Longest ARN we accept; IAM caps ARNs at 2,048 characters. */
    public static final int MAX_LENGTH = 2048;

    public Arn {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(resource, "resource");
        if (partition.isEmpty() || service.isEmpty() || resource.isEmpty()) {
            throw new IllegalArgumentException("ARN partition, service and resource must not be empty");
        }
    }

    /**
     * Parses an ARN, or returns empty when {@code text} is not one. Never throws for bad input.
     * Wildcards are allowed in any part (policies use ARN patterns); use {@link #isConcrete()} to reject them.
     */
    public static Optional<Arn> tryParse(String text) {
        if (text == null || text.length() > MAX_LENGTH || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length != 6 || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    /** Parses an ARN or throws {@link IllegalArgumentException} naming the bad input. */
    public static Arn parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("Invalid ARN: " + text));
    }

    /** An IAM ARN in the {@code aws} partition, e.g. {@code arn:aws:iam::123456789012:role/ops/deployer}. */
    public static Arn iam(String accountId, String resource) {
        return new Arn("aws", "iam", "", accountId, resource);
    }

    /** True when no part contains a policy wildcard ({@code *} or {@code ?}). */
    public boolean isConcrete() {
        return !toString().contains("*") && !toString().contains("?");
    }

    /** The resource type before the first {@code /} or {@code :} ({@code role} for {@code role/path/name}). */
    public String resourceType() {
        int cut = indexOfDelimiter(resource);
        return cut < 0 ? "" : resource.substring(0, cut);
    }

    /** The resource after its type and delimiter ({@code path/name} for {@code role/path/name}). */
    public String resourceId() {
        int cut = indexOfDelimiter(resource);
        return cut < 0 ? resource : resource.substring(cut + 1);
    }

    private static int indexOfDelimiter(String s) {
        int slash = s.indexOf('/');
        int colon = s.indexOf(':');
        if (slash < 0) {
            return colon;
        }
        return colon < 0 ? slash : Math.min(slash, colon);
    }

    @Override
    public String toString() {
        return "arn:" + partition + ':' + service + ':' + region + ':' + accountId + ':' + resource;
    }
}
