/**
 * The typed changes that make up the change log: one sealed {@link dev.portcullis.state.change.Change}
 * hierarchy, serialized as JSON ({@link dev.portcullis.state.change.ChangeCodec}). A change carries
 * everything needed to apply it deterministically on every node (generated ids, timestamps) and
 * never a secret in clear: secrets are sealed with the keyring before they enter a change.
 */
package dev.portcullis.state.change;
