package dev.portcullis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's metrics. Meters are cached per tag combination so recording on the request path is a map
 * lookup and an atomic add. Thread-safe.
 */
public final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    /** A request timer's tags as a map key: hashing it reuses the strings' cached hashes, building none. */
    private record TimerKey(String endpoint, String action, String decision, int status, boolean reportOnly) {
    }
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    /** The registry, for components that add their own meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records one finished request.
     *
     * @param endpoint   {@code iam}, {@code sts}, {@code gateway}, {@code admin}…
     * @param action     the operation ({@code CreateRole}) or {@code unknown}
     * @param decision   {@code Allow}, {@code ExplicitDeny}, {@code ImplicitDeny}, or {@code none} when not reached
     * @param status     the HTTP status answered
     * @param reportOnly true when a report-only route forwarded a request it would have denied
     */
    public void request(String endpoint, String action, String decision, int status, boolean reportOnly, long nanos) {
        TimerKey key = new TimerKey(endpoint, action, decision, status, reportOnly);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("portcullis.requests")
                    .description("Requests answered, by endpoint, action, decision and status")
                    .tag("endpoint", endpoint).tag("action", action).tag("decision", decision)
                    .tag("status", Integer.toString(status)).tag("report_only", Boolean.toString(reportOnly))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts an event by name and one tag, e.g. {@code authentication.failures{code=SignatureDoesNotMatch}}. */
    public void count(String name, String tag, String value) {
        counters.computeIfAbsent(name + '|' + tag + '|' + value,
                k -> Counter.builder("portcullis." + name).tag(tag, value).register(registry)).increment();
    }

    /** Registers a gauge read on every scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder("portcullis." + name, value).description(description).register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
