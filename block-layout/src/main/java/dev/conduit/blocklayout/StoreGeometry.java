package dev.conduit.blocklayout;

/**
 * Placement parameters fixed at format time and recorded in every superblock.
 *
 * @param stripeUnitBytes     bytes of a large object placed on one namespace before moving to the next.
 * @param allocationUnitBytes alignment of large-object extents (1 MiB default); also the slab size.
 * @param smallObjectMaxBytes objects smaller than this are packed into 4 KiB slots.
 * @param chunkSizeBytes      bytes covered by one CRC-32C (before growing for huge objects).
 */
public record StoreGeometry(int stripeUnitBytes, int allocationUnitBytes, int smallObjectMaxBytes, int chunkSizeBytes)
{
    /** Default stripe unit: 1 MiB. */
    public static final int STRIPE_UNIT_DEFAULT = 1 << 20;
    /** Default allocation unit (large-object alignment): 1 MiB. */
    public static final int ALLOCATION_UNIT_DEFAULT = 1 << 20;
    /** Default small-object threshold: 64 KiB. */
    public static final int SMALL_OBJECT_MAX_DEFAULT = 64 << 10;
    /** Default checksum chunk: 1 MiB. */
    public static final int CHUNK_SIZE_DEFAULT = 1 << 20;
    /** Largest unit or chunk the 1-byte shift fields allow in practice: 1 GiB. */
    public static final int MAX_UNIT = 1 << 30;

    /** The defaults: 1 MiB stripe unit, 1 MiB alignment, 64 KiB small objects, 1 MiB chunks. */
    public static final StoreGeometry DEFAULT =
        new StoreGeometry(STRIPE_UNIT_DEFAULT, ALLOCATION_UNIT_DEFAULT, SMALL_OBJECT_MAX_DEFAULT, CHUNK_SIZE_DEFAULT);

    /**
     * Validates every parameter once, naming the one that is wrong.
     *
     * @throws IllegalArgumentException for a parameter the format cannot represent.
     */
    public StoreGeometry
    {
        requirePowerOfTwo("stripeUnitBytes", stripeUnitBytes);
        requirePowerOfTwo("allocationUnitBytes", allocationUnitBytes);
        requirePowerOfTwo("chunkSizeBytes", chunkSizeBytes);
        if (smallObjectMaxBytes < 0 || smallObjectMaxBytes > allocationUnitBytes)
        {
            throw new IllegalArgumentException(
                "smallObjectMaxBytes must be between 0 and allocationUnitBytes (" + allocationUnitBytes + "): " + smallObjectMaxBytes);
        }
    }

    /** @return 4 KiB blocks per allocation unit. */
    public int blocksPerUnit()
    {
        return allocationUnitBytes / Bytes.BLOCK;
    }

    private static void requirePowerOfTwo(final String name, final int value)
    {
        if (value < Bytes.BLOCK || value > MAX_UNIT || Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(name + " must be a power of two between 4096 and " + MAX_UNIT + ": " + value);
        }
    }
}
