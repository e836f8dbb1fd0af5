package dev.spotlight.models.chat;

/** Python's range: re-iterable, with a length, printed as {@code range(0, 3)}. */
record PyRange(long start, long stop, long step) {
    long length() {
        if (step > 0 && start < stop) {
            return (stop - start - 1) / step + 1;
        }
        if (step < 0 && start > stop) {
            return (start - stop - 1) / -step + 1;
        }
        return 0;
    }

    long get(long i) {
        return start + i * step;
    }

    @Override
    public String toString() {
        return "range(" + start + ", " + stop + (step == 1 ? "" : ", " + step) + ")";
    }
}
