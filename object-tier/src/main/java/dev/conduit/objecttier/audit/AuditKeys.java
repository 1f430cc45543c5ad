package dev.conduit.objecttier.audit;

/**
 * Where the audit log lives in the store's key space: one object per written batch, named by the
 * sequence number of its first entry in 19 decimal digits, so batches list in chain order. The
 * {@code .audit/} tag collides with no S3 tag: bucket names never start with {@code '.'}.
 */
final class AuditKeys
{
    /** Prefix of every batch object. */
    static final String PREFIX = ".audit/";
    private static final int DIGITS = 19;

    private AuditKeys()
    {
    }

    /**
     * @param firstSeq the batch's first sequence number.
     * @return its store key.
     */
    static String batch(final long firstSeq)
    {
        final String digits = Long.toString(firstSeq);
        return PREFIX + "0".repeat(DIGITS - digits.length()) + digits;
    }

    /**
     * @param storeKey a batch object's key.
     * @return the batch's first sequence number.
     * @throws NumberFormatException when the key is not a batch key.
     */
    static long firstSeq(final String storeKey)
    {
        if (!storeKey.startsWith(PREFIX) || storeKey.length() != PREFIX.length() + DIGITS)
        {
            throw new NumberFormatException("not an audit batch key: " + storeKey);
        }
        return Long.parseLong(storeKey, PREFIX.length(), storeKey.length(), 10);
    }
}
