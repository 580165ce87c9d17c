package dev.portcullis.state.model;

/** A tag on a user or role ({@code Key}, {@code Value}). */
public record Tag(String key, String value) {
}
