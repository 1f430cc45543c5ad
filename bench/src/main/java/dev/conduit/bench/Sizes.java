package dev.conduit.bench;

import java.util.Locale;

/**
 * Byte sizes and durations as people type them: {@code 4k}, {@code 1m}, {@code 2g}, {@code 512}
 * (binary units, an optional {@code b}/{@code ib}/{@code iB} suffix); {@code 10s}, {@code 500ms},
 * {@code 2m}, {@code 30} (seconds).
 */
public final class Sizes
{
    private static final long KIB = 1024;

    private Sizes()
    {
    }

    /**
     * @param text e.g. {@code "4k"}, {@code "1M"}, {@code "2GiB"}, {@code "8192"}.
     * @return bytes.
     * @throws IllegalArgumentException for anything else, naming the input.
     */
    public static long parseBytes(final String text)
    {
        final String s = text.strip().toLowerCase(Locale.ROOT);
        String digits = s.endsWith("ib") ? s.substring(0, s.length() - 2) : s.endsWith("b") ? s.substring(0, s.length() - 1) : s;
        long unit = 1;
        if (!digits.isEmpty())
        {
            switch (digits.charAt(digits.length() - 1))
            {
                case 'k' -> unit = KIB;
                case 'm' -> unit = KIB * KIB;
                case 'g' -> unit = KIB * KIB * KIB;
                case 't' -> unit = KIB * KIB * KIB * KIB;
                default -> unit = 1;
            }
            if (unit != 1)
            {
                digits = digits.substring(0, digits.length() - 1);
            }
        }
        try
        {
            final long value = Long.parseLong(digits);
            if (value < 0 || value > Long.MAX_VALUE / unit)
            {
                throw new IllegalArgumentException("size out of range: " + text);
            }
            return value * unit;
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not a size (expected e.g. 4k, 1m, 2g): " + text);
        }
    }

    /**
     * @param text e.g. {@code "10s"}, {@code "500ms"}, {@code "2m"}, {@code "30"} (seconds).
     * @return nanoseconds.
     * @throws IllegalArgumentException for anything else.
     */
    public static long parseDurationNs(final String text)
    {
        final String s = text.strip().toLowerCase(Locale.ROOT);
        final long unitNs;
        final String digits;
        if (s.endsWith("ms"))
        {
            unitNs = 1_000_000L;
            digits = s.substring(0, s.length() - 2);
        }
        else if (s.endsWith("s"))
        {
            unitNs = 1_000_000_000L;
            digits = s.substring(0, s.length() - 1);
        }
        else if (s.endsWith("m"))
        {
            unitNs = 60_000_000_000L;
            digits = s.substring(0, s.length() - 1);
        }
        else if (s.endsWith("h"))
        {
            unitNs = 3_600_000_000_000L;
            digits = s.substring(0, s.length() - 1);
        }
        else
        {
            unitNs = 1_000_000_000L;
            digits = s;
        }
        try
        {
            final long value = Long.parseLong(digits);
            if (value <= 0 || value > Long.MAX_VALUE / unitNs)
            {
                throw new IllegalArgumentException("duration out of range: " + text);
            }
            return value * unitNs;
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not a duration (expected e.g. 10s, 500ms, 2m): " + text);
        }
    }

    /**
     * @param bytes a size.
     * @return the shortest exact form fio also accepts: {@code 4k}, {@code 1m}, {@code 3g}, or plain bytes.
     */
    public static String fioSize(final long bytes)
    {
        final String[] units = {"t", "g", "m", "k"};
        long unit = KIB * KIB * KIB * KIB;
        for (final String name : units)
        {
            if (bytes >= unit && bytes % unit == 0)
            {
                return (bytes / unit) + name;
            }
            unit /= KIB;
        }
        return Long.toString(bytes);
    }
}
