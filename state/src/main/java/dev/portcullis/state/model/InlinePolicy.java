package dev.portcullis.state.model;

/** A policy embedded in one user, group or role, named within it. */
public record InlinePolicy(String policyName, String document) {
}
