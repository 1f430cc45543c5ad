package dev.conduit.gdspath;

import dev.conduit.blocklayout.ObjectRecord;

/**
 * A {@link ReadCallback} that checks the store's CRC-32C itself, later and on a thread of its own, so that
 * the scheduler's device thread that completes a host read does not run the checksum pass between reaping
 * one read and submitting the next. Used on the host path of a data path that verifies: such a read
 * completes with the chunks that landed straight in the destination not yet checked, and the caller must
 * pass the same range to {@link DataPath#verifyLanded} before it trusts or hands on a byte of it (chunks
 * the store staged are still checked before the read completes). Reads that take another path (device
 * buffers, keys fetched by the missing-key source) are verified as usual and never call
 * {@link #onUnverified}.
 *
 * <p>Threading: as {@link ReadCallback}; {@link #onUnverified} comes on the same thread, just before
 * {@code onRead(tag, null)}.
 */
public interface DeferredVerifyCallback extends ReadCallback
{
    /**
     * @param tag     the read's tag.
     * @param version the record of the version that was read: what {@link DataPath#verifyLanded} checks against.
     */
    void onUnverified(long tag, ObjectRecord version);

    /** @return whether this callback's reads are deferred now (true by default). */
    default boolean defersVerification()
    {
        return true;
    }
}
