package dev.spotlight.explain;

/** Where a padded batch puts its pad tokens, as Hugging Face's {@code padding_side}. */
public enum PaddingSide {
    LEFT, RIGHT;

    /** The lower-case name used by Hugging Face and by the viewer's JSON. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
