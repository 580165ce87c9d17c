package dev.portcullis.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.recorder.OverflowPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsNeedNothing() {
        ServerConfig c = new ConfigLoader().load();
        assertThat(c.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.effectiveStoreUrl()).startsWith("jdbc:sqlite:").endsWith("portcullis-data/portcullis.db");
        assertThat(c.clockSkew()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.tls()).isFalse();
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = dir.resolve("portcullis.yaml");
        Files.writeString(file, "port: 7000\nregion: eu-west-1\nrequest-timeout: 5s\n");
        ServerConfig c = new ConfigLoader().file(file)
                .environment(Map.of("PORTCULLIS_PORT", "7100", "PORTCULLIS_DATA_DIR", "/tmp/pc"))
                .flag("port", 7200)
                .flag("demo", null)
                .load();
        assertThat(c.port()).isEqualTo(7200);
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/pc"));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.demo()).isFalse();
    }

    @Test
    void rejectsUnknownSettingsAndNamesTheSourceOfBadValues() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "prot: 7000\n");
        assertThatThrownBy(() -> new ConfigLoader().file(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'prot'");
        assertThatThrownBy(() -> new ConfigLoader().environment(Map.of("PORTCULLIS_PORT", "eighty")).load())
                .hasMessage("setting 'port' (from environment variable PORTCULLIS_PORT) must be a whole number, not 'eighty'");
        assertThatThrownBy(() -> new ConfigLoader().flag("region", "Mars").load()).hasMessageContaining("region must look like");
        assertThatThrownBy(() -> new ConfigLoader().flag("store-url", "mysql://x").load()).hasMessageContaining("store-url");
        assertThatThrownBy(() -> new ConfigLoader().flag("tls-cert", "/c.pem").load()).hasMessageContaining("together");
    }

    @Test
    void auditOverflowPoliciesAreSettingsWithIssueSevensDefaults() throws Exception {
        ServerConfig defaults = new ConfigLoader().load();
        assertThat(defaults.auditOverflowApi()).isEqualTo(OverflowPolicy.FAIL_CLOSED);
        assertThat(defaults.auditOverflowGateway()).isEqualTo(OverflowPolicy.BUFFER);
        assertThat(defaults.auditPolicies()).containsEntry(OverflowPolicy.Endpoint.IAM, OverflowPolicy.FAIL_CLOSED)
                .containsEntry(OverflowPolicy.Endpoint.STS, OverflowPolicy.FAIL_CLOSED)
                .containsEntry(OverflowPolicy.Endpoint.ADMIN, OverflowPolicy.FAIL_CLOSED)
                .containsEntry(OverflowPolicy.Endpoint.GOVERNANCE, OverflowPolicy.FAIL_CLOSED)
                .containsEntry(OverflowPolicy.Endpoint.GATEWAY, OverflowPolicy.BUFFER);

        Path file = dir.resolve("audit.yaml");
        Files.writeString(file, "audit-overflow-api: buffer\n");
        ServerConfig swapped = new ConfigLoader().file(file)
                .environment(Map.of("PORTCULLIS_AUDIT_OVERFLOW_GATEWAY", "Fail-Closed")).load();
        assertThat(swapped.auditPolicies()).containsEntry(OverflowPolicy.Endpoint.IAM, OverflowPolicy.BUFFER)
                .containsEntry(OverflowPolicy.Endpoint.GATEWAY, OverflowPolicy.FAIL_CLOSED);
        assertThat(swapped.toString()).contains("auditOverflow(api=buffer, gateway=fail-closed)");

        assertThatThrownBy(() -> new ConfigLoader().flag("audit-overflow-gateway", "drop").load())
                .hasMessage("setting 'audit-overflow-gateway' (from --audit-overflow-gateway) must be fail-closed or buffer,"
                        + " not 'drop'");
    }

    @Test
    void neverPrintsDatabasePasswords() {
        ServerConfig c = new ConfigLoader().flag("store-url", "jdbc:postgresql://db/portcullis?user=p&password=hunter2").load();
        assertThat(c.toString()).doesNotContain("hunter2");
    }
}
