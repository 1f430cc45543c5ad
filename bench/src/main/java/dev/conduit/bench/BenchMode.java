package dev.conduit.bench;

import java.util.Locale;

/** The access pattern, named as fio names it ({@code --rw}). */
public enum BenchMode
{
    /** Sequential reads. */
    READ(true, false),
    /** Sequential writes. */
    WRITE(false, false),
    /** Uniformly random, block-aligned reads. */
    RANDREAD(true, true),
    /** Uniformly random, block-aligned writes. */
    RANDWRITE(false, true);

    private final boolean read;
    private final boolean random;

    BenchMode(final boolean read, final boolean random)
    {
        this.read = read;
        this.random = random;
    }

    /** @return true for the read modes. */
    public boolean isRead()
    {
        return read;
    }

    /** @return true for the random modes. */
    public boolean isRandom()
    {
        return random;
    }

    /** @return fio's {@code --rw} value. */
    public String fioName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code read}, {@code write}, {@code randread} or {@code randwrite} (any case).
     * @return the mode.
     */
    public static BenchMode parse(final String text)
    {
        for (final BenchMode mode : values())
        {
            if (mode.fioName().equalsIgnoreCase(text.strip()))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be read, write, randread or randwrite: " + text);
    }
}
