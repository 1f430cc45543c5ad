package dev.conduit.nativebindings.cufile;

/**
 * Receives the entries a {@link CuFileBatch#poll} reports finished, one call per entry, on the
 * polling thread; nothing is allocated to deliver them.
 */
@FunctionalInterface
public interface CuFileBatchHandler
{
    /**
     * @param cookie the caller's cookie from {@code addRead}/{@code addWrite}.
     * @param status the {@code CUfileStatus_t} flags ({@link CuFileBatchStatus#decode}).
     * @param result bytes transferred when {@link CuFileBatchStatus#COMPLETE}, else a negative error.
     */
    void onEvent(long cookie, int status, long result);
}
