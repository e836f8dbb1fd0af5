package dev.spotlight.tokenizers;

/** Which end padding is added to, or truncation cuts from: Hugging Face's {@code "Left"} / {@code "Right"}. */
public enum Direction {
    Left, Right;

    static Direction fromJson(JsonView v) {
        return switch (v.asString()) {
            case "Left" -> Left;
            case "Right" -> Right;
            default -> throw v.mismatch("\"Left\" or \"Right\"");
        };
    }
}
