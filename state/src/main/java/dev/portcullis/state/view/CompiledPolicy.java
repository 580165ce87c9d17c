package dev.portcullis.state.view;

/**
 * A policy as the request path needs it: where it comes from ({@code source} is the managed
 * policy's ARN, or the owner's ARN for an inline, trust or resource policy; {@code name} the
 * inline policy's name or the managed policy's version id), its document, and the engine's
 * compiled form ({@code compiled}, produced by the {@link PolicyCompiler}).
 */
public record CompiledPolicy(String source, String name, PolicyUse use, String document, Object compiled) {
}
