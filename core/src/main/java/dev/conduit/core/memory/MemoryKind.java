package dev.conduit.core.memory;

/**
 * What a request's source or destination memory is, so that a backend can refuse memory it cannot
 * serve at submission instead of handing, say, a device pointer to {@code preadv}. Backends declare
 * the kinds they accept as a bit mask of {@link #bit()}s.
 */
public enum MemoryKind
{
    /** Host memory the backend knows nothing about (any native segment). */
    HOST,
    /** Host memory registered (pinned) with a backend, named by its {@link RegisteredMemory} handle. */
    HOST_REGISTERED,
    /** Accelerator memory: a CUDA context and a device pointer ({@link DeviceMemory}). */
    DEVICE,
    /** Accelerator memory registered with a backend (e.g. {@code cuFileBufRegister}). */
    DEVICE_REGISTERED;

    private static final MemoryKind[] VALUES = values();

    private final int bit = 1 << ordinal();

    /** @return this kind's bit in an accepted-kinds mask. */
    public int bit()
    {
        return bit;
    }

    /**
     * @param mask a mask of {@link #bit()}s.
     * @return true when {@code mask} contains this kind.
     */
    public boolean isIn(final int mask)
    {
        return (mask & bit) != 0;
    }

    /**
     * @param kinds kinds to combine.
     * @return their mask.
     */
    public static int maskOf(final MemoryKind... kinds)
    {
        int mask = 0;
        for (final MemoryKind kind : kinds)
        {
            mask |= kind.bit;
        }
        return mask;
    }

    /**
     * For messages (allocates).
     *
     * @param mask a mask of {@link #bit()}s.
     * @return e.g. {@code "[HOST, HOST_REGISTERED]"}.
     */
    public static String describe(final int mask)
    {
        final StringBuilder text = new StringBuilder("[");
        for (final MemoryKind kind : VALUES)
        {
            if (kind.isIn(mask))
            {
                text.append(text.length() > 1 ? ", " : "").append(kind.name());
            }
        }
        return text.append(']').toString();
    }
}
