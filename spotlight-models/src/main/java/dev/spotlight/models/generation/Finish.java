package dev.spotlight.models.generation;

/**
 * A sequence's end, as {@link StoppingCriteria#check} reports it.
 *
 * @param reason          why it stopped
 * @param stopString      the stop string that matched, or null unless {@code reason} is STOP_STRING
 * @param stopStringStart where that match starts in the generated text (UTF-16 index; 0 when it
 *                        began inside the prompt's text), or -1 unless {@code reason} is STOP_STRING
 */
public record Finish(FinishReason reason, String stopString, int stopStringStart) {

    public Finish {
        if (reason == null) {
            throw new IllegalArgumentException("finish reason is null");
        }
        if ((reason == FinishReason.STOP_STRING) != (stopString != null) || (stopString == null) != (stopStringStart < 0)) {
            throw new IllegalArgumentException("a stop string and its start come with reason STOP_STRING only, got "
                    + reason + " / " + stopString + " / " + stopStringStart);
        }
    }

    public static Finish eos() {
        return new Finish(FinishReason.EOS, null, -1);
    }

    public static Finish length() {
        return new Finish(FinishReason.LENGTH, null, -1);
    }

    public static Finish stopString(String stopString, int start) {
        return new Finish(FinishReason.STOP_STRING, stopString, start);
    }
}
