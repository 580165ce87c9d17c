package dev.portcullis.core.policy;

/** The part a policy plays in one evaluation (where it sat in the {@link PolicySet}). */
public enum PolicyRole {
    IDENTITY,
    PERMISSIONS_BOUNDARY,
    SESSION,
    RESOURCE,
    SERVICE_CONTROL,
    RESOURCE_CONTROL
}
