package dev.spotlight.view;

/**
 * The sequential colour scale of every static renderer: white through light blue to deep navy
 * (ColorBrewer "Blues" stops), so a small value stays close to the background and masked cells,
 * drawn hatched grey, cannot be mistaken for one. The HTML viewer uses the same stops in light theme.
 */
public final class ColorScale {
    private static final int[] STOPS = {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5,
            0x08519c, 0x08306b};

    private ColorScale() {
    }

    /** The RGB colour ({@code 0xRRGGBB}) for {@code t} in [0, 1]; values outside are clamped. */
    public static int rgb(double t) {
        double x = Math.clamp(Double.isNaN(t) ? 0 : t, 0.0, 1.0) * (STOPS.length - 1);
        int i = Math.min((int) x, STOPS.length - 2);
        double f = x - i;
        int a = STOPS[i];
        int b = STOPS[i + 1];
        return mix(a >> 16 & 0xff, b >> 16 & 0xff, f) << 16 | mix(a >> 8 & 0xff, b >> 8 & 0xff, f) << 8
                | mix(a & 0xff, b & 0xff, f);
    }

    /** True when text drawn on {@code rgb} should be white rather than black. */
    public static boolean isDark(int rgb) {
        double luminance = 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
        return luminance < 140;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
