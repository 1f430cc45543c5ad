package dev.conduit.nativebindings.cufile;

/**
 * {@code CUFileSizeTConfigParameter_t}: size_t settings for {@code cuFileGet/SetParameterSizeT}
 * and {@code cuFileGetParameterMinMaxValue}. The C value is the ordinal (the enum starts at 0).
 */
public enum CuFileSizeParameter
{
    /** Statistics level 0..3 ({@code profile.cufile_stats}). */
    PROFILE_STATS,
    /** Max IO queue depth. */
    EXECUTION_MAX_IO_QUEUE_DEPTH,
    /** Max internal IO threads. */
    EXECUTION_MAX_IO_THREADS,
    /** Min IO size (KiB) to split across threads. */
    EXECUTION_MIN_IO_THRESHOLD_SIZE_KB,
    /** Max parallel requests per IO. */
    EXECUTION_MAX_REQUEST_PARALLELISM,
    /** Max direct IO size (KiB). */
    PROPERTIES_MAX_DIRECT_IO_SIZE_KB,
    /** Max GPU bounce-buffer cache per device (KiB). */
    PROPERTIES_MAX_DEVICE_CACHE_SIZE_KB,
    /** Bounce buffer size (KiB). */
    PROPERTIES_PER_BUFFER_CACHE_SIZE_KB,
    /** Max pinned (BAR-mapped) memory for registered buffers (KiB). */
    PROPERTIES_MAX_DEVICE_PINNED_MEM_SIZE_KB,
    /** Max entries per batch. */
    PROPERTIES_IO_BATCHSIZE,
    /** Poll-mode threshold (KiB). */
    POLLTHRESHOLD_SIZE_KB,
    /** Batch IO timeout (ms). */
    PROPERTIES_BATCH_IO_TIMEOUT_MS;

    /** @return the C value. */
    public int value()
    {
        return ordinal();
    }

    /** @return the C enumerator name, e.g. {@code CUFILE_PARAM_PROFILE_STATS}. */
    public String cName()
    {
        return "CUFILE_PARAM_" + name();
    }
}
