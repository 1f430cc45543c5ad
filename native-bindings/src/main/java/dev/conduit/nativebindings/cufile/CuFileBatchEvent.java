package dev.conduit.nativebindings.cufile;

import java.util.Set;

/**
 * One completion from {@code cuFileBatchIOGetStatus} ({@code CUfileIOEvents_t}).
 *
 * @param cookie the caller's cookie from submission.
 * @param status the {@code CUfileStatus_t} flags.
 * @param result bytes transferred when {@link CuFileBatchStatus#COMPLETE}, else a negative error.
 */
public record CuFileBatchEvent(long cookie, int status, long result)
{
    /** @return the status flags, decoded. */
    public Set<CuFileBatchStatus> flags()
    {
        return CuFileBatchStatus.decode(status);
    }

    /** @return whether the IO completed successfully. */
    public boolean completed()
    {
        return (status & CuFileBatchStatus.COMPLETE.mask()) != 0;
    }

    /** @return whether the entry is finished in any way (complete, failed, canceled, invalid, timed out). */
    public boolean finished()
    {
        return CuFileBatchStatus.isTerminal(status);
    }
}
