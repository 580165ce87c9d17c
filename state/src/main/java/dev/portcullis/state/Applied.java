package dev.portcullis.state;

import dev.portcullis.state.view.IamView;

/** A change that is durable in the log at {@code sequence}; {@code view} is the model right after it. */
public record Applied(long sequence, IamView view) {
}
