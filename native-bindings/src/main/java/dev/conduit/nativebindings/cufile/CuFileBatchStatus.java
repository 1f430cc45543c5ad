package dev.conduit.nativebindings.cufile;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code CUfileStatus_t}: bit flags reported per batch entry by {@code cuFileBatchIOGetStatus}.
 * An entry is finished when {@link #isTerminal(int)}.
 */
public enum CuFileBatchStatus
{
    /** Initial value, before submission. */
    WAITING(0x01),
    /** Enqueued. */
    PENDING(0x02),
    /** Ill-formed or could not be enqueued. */
    INVALID(0x04),
    /** Canceled. */
    CANCELED(0x08),
    /** Completed; the result is the byte count. */
    COMPLETE(0x10),
    /** Timed out. */
    TIMEOUT(0x20),
    /** Failed; the result is a negative error. */
    FAILED(0x40);

    private static final int TERMINAL = INVALID.mask | CANCELED.mask | COMPLETE.mask | TIMEOUT.mask | FAILED.mask;

    private final int mask;

    CuFileBatchStatus(final int mask)
    {
        this.mask = mask;
    }

    /** @return the flag value. */
    public int mask()
    {
        return mask;
    }

    /** @return the C enumerator name, e.g. {@code CUFILE_COMPLETE}. */
    public String cName()
    {
        return "CUFILE_" + name();
    }

    /**
     * @param status a {@code CUfileStatus_t} value.
     * @return the flags set in it.
     */
    public static Set<CuFileBatchStatus> decode(final int status)
    {
        final Set<CuFileBatchStatus> out = EnumSet.noneOf(CuFileBatchStatus.class);
        for (final CuFileBatchStatus s : values())
        {
            if ((status & s.mask) != 0)
            {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * @param status a {@code CUfileStatus_t} value.
     * @return whether the entry is finished (successfully or not).
     */
    public static boolean isTerminal(final int status)
    {
        return (status & TERMINAL) != 0;
    }
}
