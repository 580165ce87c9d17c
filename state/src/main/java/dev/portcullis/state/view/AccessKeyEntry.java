package dev.portcullis.state.view;

import dev.portcullis.state.keyring.Secret;
import dev.portcullis.state.model.AccessKey;
import dev.portcullis.state.model.ServicePrincipal;
import java.util.Optional;

/**
 * An access key with its secret opened into memory and its owner: a user ({@code key.ownerArn()})
 * or a service principal ({@code servicePrincipal} present).
 */
public record AccessKeyEntry(AccessKey key, Secret secret, Optional<ServicePrincipal> servicePrincipal) {
    @Override
    public String toString() {
        return "AccessKeyEntry[" + key.accessKeyId() + ", owner=" + key.ownerArn() + ", secret=redacted]";
    }
}
