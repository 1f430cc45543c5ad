package dev.conduit.objecttier.tier;

/** Where an object's bytes are, as HEAD's {@code x-conduit-tier} header, {@code conduit stat} and metrics say it. */
public enum TierState
{
    /** Only here: written locally and not (yet) uploaded, or in a bucket with no write-back. */
    LOCAL("local"),
    /** Acknowledged locally, waiting for or in its upload to the cold tier. */
    UPLOADING("uploading"),
    /** Here and in the cold tier, the same bytes. */
    SYNCED("synced"),
    /** Only in the cold tier (never fetched, or evicted). */
    COLD_ONLY("cold-only"),
    /** Deleted here (write-back bucket), the cold tier's delete journaled and not done yet: reads answer 404. */
    DELETING("deleting");

    /** The response header that carries the state. */
    public static final String HEADER = "x-conduit-tier";

    private final String text;

    TierState(final String text)
    {
        this.text = text;
    }

    /** @return the state as shown to users. */
    public String text()
    {
        return text;
    }

    /**
     * @param text a state's {@link #text()}.
     * @return the state.
     */
    public static TierState parse(final String text)
    {
        for (final TierState state : values())
        {
            if (state.text.equals(text))
            {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown tier state: " + text);
    }
}
