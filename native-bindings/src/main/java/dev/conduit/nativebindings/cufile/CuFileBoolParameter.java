package dev.conduit.nativebindings.cufile;

/**
 * {@code CUFileBoolConfigParameter_t}: boolean settings for {@code cuFileGet/SetParameterBool}.
 * The C value is the ordinal (the enum starts at 0). {@link #PROFILE_NVTX} is deprecated; the
 * library rejects it.
 */
public enum CuFileBoolParameter
{
    /** Poll for small IO instead of waiting for interrupts. */
    PROPERTIES_USE_POLL_MODE,
    /** Fall back to POSIX IO plus a copy when GDS cannot be used. */
    PROPERTIES_ALLOW_COMPAT_MODE,
    /** Always use compat mode. */
    FORCE_COMPAT_MODE,
    /** Aggressive checks of filesystem APIs. */
    FS_MISC_API_CHECK_AGGRESSIVE,
    /** Split large IO across internal threads. */
    EXECUTION_PARALLEL_IO,
    /** Deprecated NVTX profiling switch. */
    PROFILE_NVTX,
    /** Accept host (system) memory buffers. */
    PROPERTIES_ALLOW_SYSTEM_MEMORY,
    /** Use Linux PCI P2PDMA instead of nvidia-fs. */
    USE_PCIP2PDMA,
    /** Prefer io_uring for compat IO. */
    PREFER_IO_URING,
    /** Force O_DIRECT for compat IO. */
    FORCE_ODIRECT_MODE,
    /** Skip PCIe topology discovery. */
    SKIP_TOPOLOGY_DETECTION,
    /** Bypass stream memops for stream IO. */
    STREAM_MEMOPS_BYPASS;

    /** @return the C value. */
    public int value()
    {
        return ordinal();
    }

    /** @return the C enumerator name, e.g. {@code CUFILE_PARAM_PROPERTIES_ALLOW_COMPAT_MODE}. */
    public String cName()
    {
        return "CUFILE_PARAM_" + name();
    }
}
