package dev.conduit.core.config;

import java.util.Locale;

/**
 * Numbers as people type them in configuration: sizes with binary units ({@code 4k}, {@code 1m},
 * {@code 2g}, {@code 1t}, an optional {@code b}/{@code ib} suffix, or plain bytes) and durations
 * ({@code 500ns}, {@code 100us}, {@code 5ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number
 * is nanoseconds, the unit the scheduler counts in).
 *
 * <p>Every parser throws {@link IllegalArgumentException} with a message that quotes the input;
 * callers add the setting's key.
 */
public final class Units
{
    private static final long KIB = 1024;

    private Units()
    {
    }

    /**
     * @param text e.g. {@code "4k"}, {@code "1M"}, {@code "2GiB"}, {@code "8192"}.
     * @return bytes, never negative.
     * @throws IllegalArgumentException for anything else.
     */
    public static long parseBytes(final String text)
    {
        final String s = text.strip().toLowerCase(Locale.ROOT);
        final String number = s.endsWith("ib") ? s.substring(0, s.length() - 2) : s.endsWith("b") ? s.substring(0, s.length() - 1) : s;
        final long unit = number.isEmpty() ? 1 : switch (number.charAt(number.length() - 1))
        {
            case 'k' -> KIB;
            case 'm' -> KIB * KIB;
            case 'g' -> KIB * KIB * KIB;
            case 't' -> KIB * KIB * KIB * KIB;
            default -> 1;
        };
        final String digits = unit == 1 ? number : number.substring(0, number.length() - 1);
        return scaled(digits, unit, text, "a size (e.g. 4k, 1m, 2g or bytes)");
    }

    /**
     * @param text e.g. {@code "30s"}, {@code "5ms"}, {@code "100us"}, {@code "250000"} (nanoseconds).
     * @return nanoseconds, never negative.
     * @throws IllegalArgumentException for anything else.
     */
    public static long parseDurationNs(final String text)
    {
        final String s = text.strip().toLowerCase(Locale.ROOT);
        final String[] suffixes = {"ns", "us", "ms", "s", "m", "h"};
        final long[] unitsNs = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
        for (int i = 0; i < suffixes.length; i++)
        {
            if (s.endsWith(suffixes[i]))
            {
                return scaled(s.substring(0, s.length() - suffixes[i].length()), unitsNs[i], text,
                    "a duration (e.g. 30s, 5ms, 100us or nanoseconds)");
            }
        }
        return scaled(s, 1L, text, "a duration (e.g. 30s, 5ms, 100us or nanoseconds)");
    }

    /**
     * @param text a decimal integer, e.g. {@code "32"} or {@code "-1"}.
     * @return its value.
     * @throws IllegalArgumentException when it is not one or does not fit an {@code int}.
     */
    public static int parseInt(final String text)
    {
        try
        {
            return Integer.parseInt(text.strip());
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not an integer: '" + text + "'", e);
        }
    }

    private static long scaled(final String digits, final long unit, final String text, final String expected)
    {
        final long value;
        try
        {
            value = Long.parseLong(digits);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not " + expected + ": '" + text + "'", e);
        }
        if (value < 0 || value > Long.MAX_VALUE / unit)
        {
            throw new IllegalArgumentException("out of range: '" + text + "'");
        }
        return value * unit;
    }
}
