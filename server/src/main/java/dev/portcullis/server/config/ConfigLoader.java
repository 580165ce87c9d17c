package dev.portcullis.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.audit.recorder.OverflowPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges defaults, a YAML file, {@code PORTCULLIS_*} environment variables and flags into one
 * {@link ServerConfig}. Every setting has one kebab-case name used everywhere: {@code port} in the
 * file, {@code PORTCULLIS_PORT} in the environment, {@code --port} on the command line.
 *
 * <p>Unknown settings in the file are an error, not silently ignored: a typo must not leave a
 * default in force unnoticed.
 */
public final class ConfigLoader {

    static final Set<String> SETTINGS = Set.of("host", "port", "gateway-port", "data-dir", "region", "store-url", "store-schema", "node-id",
            "keyring-file", "tls-cert", "tls-key", "max-body-bytes", "request-timeout", "shutdown-grace",
            "clock-skew", "demo", "gateway-retry-backoff", "audit-export", "audit-overflow-api", "audit-overflow-gateway");

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> sources = new HashMap<>();

    public ConfigLoader() {
        put("host", "127.0.0.1", "default");
        put("port", Integer.toString(ServerConfig.DEFAULT_PORT), "default");
        put("gateway-port", "-1", "default");
        put("data-dir", "portcullis-data", "default");
        put("region", "us-east-1", "default");
        put("store-schema", "portcullis", "default");
        put("max-body-bytes", Long.toString(ServerConfig.DEFAULT_MAX_BODY_BYTES), "default");
        put("request-timeout", "PT30S", "default");
        put("shutdown-grace", "PT10S", "default");
        put("clock-skew", "PT15M", "default");
        put("demo", "false", "default");
        put("gateway-retry-backoff", "PT1S", "default");
        put("audit-overflow-api", OverflowPolicy.FAIL_CLOSED.settingName(), "default");
        put("audit-overflow-gateway", OverflowPolicy.BUFFER.settingName(), "default");
    }

    /** Reads a YAML (or JSON) file of {@code setting: value} pairs. */
    public ConfigLoader file(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return this;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + " must be a mapping of setting: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!SETTINGS.contains(e.getKey())) {
                throw new ConfigException("unknown setting '" + e.getKey() + "' in " + file + "; known: " + String.join(", ", new java.util.TreeSet<>(SETTINGS)));
            }
            if (!e.getValue().isValueNode()) {
                throw new ConfigException("setting '" + e.getKey() + "' in " + file + " must be a single value");
            }
            put(e.getKey(), e.getValue().asText(), file.toString());
        }
        return this;
    }

    /** Takes {@code PORTCULLIS_<SETTING>} variables (dashes become underscores). */
    public ConfigLoader environment(Map<String, String> env) {
        for (String setting : SETTINGS) {
            String name = "PORTCULLIS_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                put(setting, value, "environment variable " + name);
            }
        }
        return this;
    }

    /** A flag given on the command line; null values (flag absent) are ignored. */
    public ConfigLoader flag(String setting, Object value) {
        if (!SETTINGS.contains(setting)) {
            throw new IllegalArgumentException("no such setting: " + setting);
        }
        if (value != null) {
            put(setting, value.toString(), "--" + setting);
        }
        return this;
    }

    private void put(String setting, String value, String source) {
        values.put(setting, value);
        sources.put(setting, source);
    }

    /** Validates and builds the config; errors name the setting and where its value came from. */
    public ServerConfig load() {
        try {
            return new ServerConfig(
                    str("host"),
                    integer("port"),
                    integer("gateway-port"),
                    Path.of(str("data-dir")),
                    str("region"),
                    values.get("store-url"),
                    str("store-schema"),
                    values.get("node-id"),
                    path("keyring-file"),
                    path("tls-cert"),
                    path("tls-key"),
                    longValue("max-body-bytes"),
                    duration("request-timeout"),
                    duration("shutdown-grace"),
                    duration("clock-skew"),
                    bool("demo"),
                    duration("gateway-retry-backoff"),
                    values.get("audit-export"),
                    overflow("audit-overflow-api"),
                    overflow("audit-overflow-gateway"));
        } catch (ConfigException e) {
            throw e;
        }
    }

    private String str(String setting) {
        return values.get(setting);
    }

    private Path path(String setting) {
        String v = values.get(setting);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    private int integer(String setting) {
        try {
            return Integer.parseInt(values.get(setting).trim());
        } catch (NumberFormatException e) {
            throw bad(setting, "a whole number");
        }
    }

    private long longValue(String setting) {
        try {
            return Long.parseLong(values.get(setting).trim());
        } catch (NumberFormatException e) {
            throw bad(setting, "a whole number");
        }
    }

    private boolean bool(String setting) {
        String v = values.get(setting).trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw bad(setting, "true or false");
    }

    private OverflowPolicy overflow(String setting) {
        return OverflowPolicy.fromSetting(values.get(setting)).orElseThrow(() -> bad(setting, "fail-closed or buffer"));
    }

    /** ISO-8601 ({@code PT30S}) or a number with a unit suffix: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}. */
    private Duration duration(String setting) {
        String v = values.get(setting).trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw bad(setting, "a duration such as 30s, 15m or PT30S");
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw bad(setting, "a duration such as 30s, 15m or PT30S");
        }
    }

    private ConfigException bad(String setting, String expected) {
        return new ConfigException("setting '" + setting + "' (from " + sources.get(setting) + ") must be " + expected
                + ", not '" + values.get(setting) + "'");
    }
}
