package dev.portcullis.state.model;

import java.time.Instant;

/**
 * A named trusted service ({@code agents.example.internal}, {@code bedrock.amazonaws.com}) with its
 * own access key. When {@code mayAssertSource} is set, the service may assert {@code aws:SourceArn}
 * and {@code aws:SourceAccount} on the requests it signs (confused-deputy protection in trust
 * policies relies on these).
 */
public record ServicePrincipal(String name, String accountId, String accessKeyId, boolean mayAssertSource,
                               Instant createdAt) {
}
