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
