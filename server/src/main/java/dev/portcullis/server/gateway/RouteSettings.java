package dev.portcullis.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.state.model.Route;
import java.time.Duration;
import java.util.List;

/**
 * The numeric settings of a route (route attributes): their names, ranges and defaults, checked the
 * same way whether they come from {@code PutRoute} or the bootstrap file, and read back for an
 * invocation.
 */
final class RouteSettings {

    static final String TIMEOUT_MILLIS = "timeoutMillis";
    static final String MAX_BODY_BYTES = "maxBodyBytes";
    static final String MAX_ATTEMPTS = "maxAttempts";
    static final String MAX_EVENT_AGE_SECONDS = "maxEventAgeSeconds";
    static final List<String> NUMBERS = List.of(TIMEOUT_MILLIS, MAX_BODY_BYTES, MAX_ATTEMPTS, MAX_EVENT_AGE_SECONDS);

    /**
     * How long an async invocation may wait for a successful delivery, as Lambda's
     * {@code MaximumEventAgeInSeconds}: 60 seconds to 6 hours, 6 hours by default
     * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configure.html). Past it the
     * invocation is dead-lettered instead of retried.
     */
    static final long MIN_EVENT_AGE_SECONDS = 60;
    static final long MAX_EVENT_AGE_SECONDS_LIMIT = 21_600;
    static final long DEFAULT_MAX_EVENT_AGE_SECONDS = 21_600;

    private RouteSettings() {
    }

    /**
     * The attribute value to store for the numeric setting {@code name}, given as {@code v}.
     *
     * @throws IllegalArgumentException when {@code v} is not a whole number in the setting's range;
     *     the message is the one a caller sees
     */
    static String number(String name, JsonNode v) {
        if (name.equals(MAX_EVENT_AGE_SECONDS)) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < MIN_EVENT_AGE_SECONDS
                    || v.asLong() > MAX_EVENT_AGE_SECONDS_LIMIT) {
                throw new IllegalArgumentException(name + " must be an integer from " + MIN_EVENT_AGE_SECONDS + " to "
                        + MAX_EVENT_AGE_SECONDS_LIMIT);
            }
            return Long.toString(v.asLong());
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
            throw new IllegalArgumentException(name + " must be a positive integer");
        }
        if (name.equals(MAX_BODY_BYTES) && v.asLong() > GatewayEndpoint.MAX_ROUTE_BODY_BYTES) {
            throw new IllegalArgumentException(name + " must be at most " + GatewayEndpoint.MAX_ROUTE_BODY_BYTES);
        }
        if (name.equals(MAX_ATTEMPTS) && v.asLong() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE);
        }
        return Long.toString(v.asLong());
    }

    /** Our names of a route's modes. */
    static final List<String> MODES = List.of("IAM", "IAM_REPORT_ONLY", "NONE");
    /** API Gateway's input name for a route's mode (as CreateRoute/UpdateRoute take it), and its capitalized form. */
    static final List<String> AUTHORIZATION_TYPE_FIELDS = List.of("authorizationType", "AuthorizationType");

    /**
     * The mode (IAM, IAM_REPORT_ONLY or NONE) that {@code route} gives a route, IAM when it gives none. Our
     * {@code authorization} must be one of {@link #MODES}: exactly when {@code strict} ({@code PutRoute}),
     * in any case otherwise (the bootstrap file, whose routes have always been read case-insensitively; the
     * value is stored as given). API Gateway's {@code authorizationType} (or {@code AuthorizationType})
     * is also accepted, always checked: of its values NONE | AWS_IAM | CUSTOM | JWT
     * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes.html), AWS_IAM is IAM
     * and NONE is NONE; CUSTOM and JWT (authorizers) are not supported; our IAM_REPORT_ONLY is accepted
     * too. Both given must mean the same mode.
     *
     * @throws IllegalArgumentException when a value is not one of those, or the inputs disagree; the message
     *     is the one a caller sees
     */
    static String mode(JsonNode route, boolean strict) {
        String authorization = route.path("authorization").asText("IAM");
        if (!MODES.contains(strict ? authorization : authorization.toUpperCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("authorization must be IAM, IAM_REPORT_ONLY or NONE");
        }
        String typeField = null;
        String type = null;
        for (String field : AUTHORIZATION_TYPE_FIELDS) {
            if (!route.hasNonNull(field)) {
                continue;
            }
            String mode = authorizationType(field, route.get(field));
            if (type != null && !type.equals(mode)) {
                throw new IllegalArgumentException(typeField + " and " + field + " differ: give one");
            }
            typeField = field;
            type = mode;
        }
        if (type == null) {
            return authorization;
        }
        if (route.hasNonNull("authorization") && !authorization.toUpperCase(java.util.Locale.ROOT).equals(type)) {
            throw new IllegalArgumentException("authorization " + authorization + " and " + typeField + " "
                    + route.get(typeField).asText() + " differ: give one");
        }
        return type;
    }

    /**
     * A stored route's mode in API Gateway's terms, as {@code GetApi} and {@code ListApis} show it next to
     * ours: {@code AWS_IAM} for IAM, {@code NONE}, and our {@code IAM_REPORT_ONLY}.
     */
    static String authorizationType(dev.portcullis.state.model.Route route) {
        String mode = route.authorization() == null ? "IAM" : route.authorization().toUpperCase(java.util.Locale.ROOT);
        return switch (mode) {
            case "NONE" -> "NONE";
            case "IAM_REPORT_ONLY" -> "IAM_REPORT_ONLY";
            default -> "AWS_IAM";  // the gateway enforces IAM for anything else
        };
    }

    /** The mode an {@code authorizationType} value (under {@code field}) names. */
    private static String authorizationType(String field, JsonNode v) {
        String supported = field + " must be AWS_IAM, NONE or IAM_REPORT_ONLY";
        if (!v.isTextual()) {
            throw new IllegalArgumentException(supported);
        }
        return switch (v.asText()) {
            case "AWS_IAM" -> "IAM";
            case "NONE" -> "NONE";
            case "IAM_REPORT_ONLY" -> "IAM_REPORT_ONLY";
            case "CUSTOM", "JWT" -> throw new IllegalArgumentException(field + " " + v.asText()
                    + " is not supported (Portcullis has no authorizers): " + field + " must be AWS_IAM, NONE or "
                    + "IAM_REPORT_ONLY");
            default -> throw new IllegalArgumentException(supported);
        };
    }

    /**
     * The route's maximum event age: its {@code maxEventAgeSeconds}, by default 6 hours, kept within
     * 60 s to 6 h whatever is stored.
     */
    static Duration maxEventAge(Route route) {
        long seconds = GatewayEndpoint.longAttribute(route, MAX_EVENT_AGE_SECONDS, DEFAULT_MAX_EVENT_AGE_SECONDS);
        return Duration.ofSeconds(Math.max(MIN_EVENT_AGE_SECONDS, Math.min(MAX_EVENT_AGE_SECONDS_LIMIT, seconds)));
    }

    /** The route's {@code maxEventAgeSeconds} as listed: its own, or the default. */
    static String maxEventAgeSeconds(Route route) {
        return Long.toString(maxEventAge(route).toSeconds());
    }
}
