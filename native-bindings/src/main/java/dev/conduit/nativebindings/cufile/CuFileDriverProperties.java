package dev.conduit.nativebindings.cufile;

import java.lang.foreign.MemorySegment;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code CUfileDrvProps_t}, decoded. Sizes are in KiB as the library reports them.
 *
 * @param nvfsMajorVersion       nvidia-fs major version (0 without nvidia-fs).
 * @param nvfsMinorVersion       nvidia-fs minor version.
 * @param pollThresholdKb        IO at or below this is polled in poll mode.
 * @param maxDirectIoSizeKb      largest IO chunk issued to the filesystem.
 * @param statusFlags            storage types nvidia-fs serves with GDS.
 * @param controlFlags           active modes (poll, compat).
 * @param featureFlags           library features (batch, streams, ...).
 * @param maxDeviceCacheSizeKb   GPU bounce-buffer pool per device.
 * @param perBufferCacheSizeKb   one bounce buffer.
 * @param maxDevicePinnedMemKb   budget for cuFileBufRegister.
 * @param maxBatchIoSize         largest batch.
 * @param maxBatchIoTimeoutMs    batch IO timeout.
 */
public record CuFileDriverProperties(
    int nvfsMajorVersion,
    int nvfsMinorVersion,
    long pollThresholdKb,
    long maxDirectIoSizeKb,
    Set<CuFileDriverStatusFlag> statusFlags,
    Set<CuFileControlFlag> controlFlags,
    Set<CuFileFeatureFlag> featureFlags,
    long maxDeviceCacheSizeKb,
    long perBufferCacheSizeKb,
    long maxDevicePinnedMemKb,
    long maxBatchIoSize,
    long maxBatchIoTimeoutMs)
{
    /**
     * @param props a filled {@link CuFileLayouts#DRV_PROPS}.
     * @return the decoded properties.
     */
    public static CuFileDriverProperties decode(final MemorySegment props)
    {
        final var l = CuFileLayouts.DRV_PROPS;
        return new CuFileDriverProperties(
            props.get(JAVA_INT, CuFileLayouts.offset(l, "nvfs.major_version")),
            props.get(JAVA_INT, CuFileLayouts.offset(l, "nvfs.minor_version")),
            props.get(JAVA_LONG, CuFileLayouts.offset(l, "nvfs.poll_thresh_size")),
            props.get(JAVA_LONG, CuFileLayouts.offset(l, "nvfs.max_direct_io_size")),
            CuFileDriverStatusFlag.decode(props.get(JAVA_INT, CuFileLayouts.offset(l, "nvfs.dstatusflags"))),
            CuFileControlFlag.decode(props.get(JAVA_INT, CuFileLayouts.offset(l, "nvfs.dcontrolflags"))),
            CuFileFeatureFlag.decode(props.get(JAVA_INT, CuFileLayouts.offset(l, "fflags"))),
            unsigned(props, CuFileLayouts.offset(l, "max_device_cache_size")),
            unsigned(props, CuFileLayouts.offset(l, "per_buffer_cache_size")),
            unsigned(props, CuFileLayouts.offset(l, "max_device_pinned_mem_size")),
            unsigned(props, CuFileLayouts.offset(l, "max_batch_io_size")),
            unsigned(props, CuFileLayouts.offset(l, "max_batch_io_timeout_msecs")));
    }

    /** @return whether compat mode (POSIX IO plus a copy) is allowed. */
    public boolean compatModeAllowed()
    {
        return controlFlags.contains(CuFileControlFlag.ALLOW_COMPAT_MODE);
    }

    /** @return whether nvidia-fs can serve local NVMe or NVMe-oF with GDS (the storage Conduit uses). */
    public boolean nvmeSupported()
    {
        return statusFlags.contains(CuFileDriverStatusFlag.NVME) || statusFlags.contains(CuFileDriverStatusFlag.NVMEOF);
    }

    private static long unsigned(final MemorySegment props, final long offset)
    {
        return Integer.toUnsignedLong(props.get(JAVA_INT, offset));
    }
}
