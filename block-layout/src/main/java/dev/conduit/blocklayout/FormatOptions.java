package dev.conduit.blocklayout;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Parameters of {@link ObjectStore#format}. Identity and time are injectable so golden images are
 * byte-for-byte reproducible.
 *
 * @param geometry     placement parameters.
 * @param journalBytes journal region size; 0 = automatic (1/32 of namespace 0, 2..64 MiB).
 * @param storeUuid    store identity; null = random.
 * @param journalSalt  journal salt; 0 = random.
 * @param createdMs    format time; 0 = now.
 */
public record FormatOptions(StoreGeometry geometry, long journalBytes, UUID storeUuid, long journalSalt, long createdMs)
{
    /** Smallest automatic journal: 2 MiB. */
    public static final long JOURNAL_MIN_BYTES = 2 << 20;
    /** Largest automatic journal: 64 MiB. */
    public static final long JOURNAL_MAX_BYTES = 64 << 20;

    /** Defaults everywhere. */
    public static final FormatOptions DEFAULT = new FormatOptions(StoreGeometry.DEFAULT, 0, null, 0, 0);

    /** Checks the journal size. */
    public FormatOptions
    {
        if (geometry == null)
        {
            throw new IllegalArgumentException("geometry must not be null");
        }
        if (journalBytes < 0)
        {
            throw new IllegalArgumentException("journalBytes must be >= 0: " + journalBytes);
        }
    }

    /**
     * @param bytes journal region size (rounded up to the allocation unit).
     * @return a copy with that journal size.
     */
    public FormatOptions withJournalBytes(final long bytes)
    {
        return new FormatOptions(geometry, bytes, storeUuid, journalSalt, createdMs);
    }

    /**
     * @param newGeometry placement parameters.
     * @return a copy with that geometry.
     */
    public FormatOptions withGeometry(final StoreGeometry newGeometry)
    {
        return new FormatOptions(newGeometry, journalBytes, storeUuid, journalSalt, createdMs);
    }

    /**
     * @param uuid     store identity.
     * @param salt     journal salt.
     * @param timeMs   format time.
     * @return a copy with fixed identity and time (golden files).
     */
    public FormatOptions withIdentity(final UUID uuid, final long salt, final long timeMs)
    {
        return new FormatOptions(geometry, journalBytes, uuid, salt, timeMs);
    }

    UUID resolvedStoreUuid()
    {
        return storeUuid != null ? storeUuid : UUID.randomUUID();
    }

    long resolvedSalt()
    {
        long salt = journalSalt;
        while (salt == 0)
        {
            salt = new SecureRandom().nextLong();
        }
        return salt;
    }

    long resolvedCreatedMs()
    {
        return createdMs != 0 ? createdMs : System.currentTimeMillis();
    }
}
