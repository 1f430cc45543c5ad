package dev.conduit.objecttier.tier;

import java.util.Locale;

/** What a binding does with its cold tier: fill misses from it, upload writes to it, or both. */
public enum TierPolicy
{
    /** GET/HEAD misses are fetched from the cold tier. */
    READ_THROUGH("read-through"),
    /** PUTs are uploaded to the cold tier after they are acknowledged. */
    WRITE_BACK("write-back"),
    /** Read-through and write-back. */
    BOTH("both");

    private final String text;

    TierPolicy(final String text)
    {
        this.text = text;
    }

    /** @return the policy as written in flags and records. */
    public String text()
    {
        return text;
    }

    /** @return whether misses are filled from the cold tier. */
    public boolean readThrough()
    {
        return this != WRITE_BACK;
    }

    /** @return whether writes are uploaded to the cold tier. */
    public boolean writeBack()
    {
        return this != READ_THROUGH;
    }

    /**
     * @param text {@code read-through}, {@code write-back} or {@code both}.
     * @return the policy.
     * @throws IllegalArgumentException for anything else.
     */
    public static TierPolicy parse(final String text)
    {
        for (final TierPolicy policy : values())
        {
            if (policy.text.equals(text.trim().toLowerCase(Locale.ROOT)))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("tier policy must be read-through, write-back or both: " + text);
    }
}
