package dev.portcullis.server.iam;

import dev.portcullis.server.pipeline.Operation;

/** Resolves one IAM action to its {@link Operation}. */
@FunctionalInterface
interface Resolver {
    Operation resolve(Call call);
}
