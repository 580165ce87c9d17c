package dev.portcullis.audit.sink;

/** One stored record as text, with where it was found ({@code n1-00000000000000000001.jsonl:17} or {@code audit_events seq=17}). */
public record StoredLine(String location, String text) {}
