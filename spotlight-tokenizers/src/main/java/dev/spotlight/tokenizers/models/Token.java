package dev.spotlight.tokenizers.models;

/**
 * One token as a model produced it: its id, its text, and where it came from in the piece the
 * model was given, as UTF-16 indices {@code [start, end)} into that piece.
 */
public record Token(int id, String value, int start, int end) {
}
