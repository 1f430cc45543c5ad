package dev.conduit.gdspath;

import java.util.Objects;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Settings;

/**
 * How a {@link DataPath} opens.
 *
 * @param mode            which path: {@code auto} or a forced one ({@code path.mode}).
 * @param verify          check the store's CRC-32C of every chunk a read touches (on by default; a
 *                        loader feeding training must not pass on silently corrupt bytes).
 * @param allowFallback   when a forced path cannot run here, run the best one that can (and say so
 *                        in {@link DataPath#reason()}) instead of failing.
 * @param smallReadBytes  GDS reads below this go through the bounce path (64 KiB, as cuDF and KvikIO).
 * @param bounceSlots     k, the pinned host slots of the bounce ring.
 * @param bounceSlotBytes bytes per slot (a page multiple).
 * @param bounceStreams   CUDA streams the bounce copies are spread over.
 * @param gdsVerify       how GDS reads verify (only when {@code verify}).
 * @param batchHandles    cuFile batch handles the GDS engine keeps (each up to the driver's batch size).
 */
public record DataPathOptions(
    PathMode mode, boolean verify, boolean allowFallback, long smallReadBytes, int bounceSlots, long bounceSlotBytes,
    int bounceStreams, GdsVerify gdsVerify, int batchHandles)
{
    /** {@code auto}, verified, no fallback from a forced path, 64 KiB small reads, 4 × 4 MiB slots, 2 streams, 4 batches. */
    public static final DataPathOptions DEFAULT = new DataPathOptions(PathMode.AUTO, true);

    /**
     * @param mode            which path.
     * @param verify          check CRC-32C on every read.
     * @param allowFallback   fall back from a forced path that cannot run.
     * @param smallReadBytes  GDS reads below this bounce.
     * @param bounceSlots     pinned slots.
     * @param bounceSlotBytes bytes per slot.
     * @param bounceStreams   copy streams.
     * @param gdsVerify       GDS verification.
     * @param batchHandles    cuFile batch handles.
     */
    public DataPathOptions
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(gdsVerify, "gdsVerify");
        if (smallReadBytes < 0 || bounceSlots < 2 || bounceSlotBytes <= 0 || bounceSlotBytes % DeviceBufferPool.PAGE_BYTES != 0
            || bounceStreams < 1 || batchHandles < 1)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "data path options out of range: smallReadBytes >= 0, "
                + "bounceSlots >= 2, bounceSlotBytes a positive multiple of 4096, bounceStreams >= 1, batchHandles >= 1: " + smallReadBytes
                + ", " + bounceSlots + ", " + bounceSlotBytes + ", " + bounceStreams + ", " + batchHandles);
        }
    }

    /**
     * @param mode   which path.
     * @param verify check CRC-32C on every read.
     */
    public DataPathOptions(final PathMode mode, final boolean verify)
    {
        this(mode, verify, false, 64L << 10, 4, 4L << 20, 2, GdsVerify.HOST_SHADOW, 4);
    }

    /**
     * @param config the process configuration.
     * @return its {@code path.mode}, {@code path.fallback} and {@code path.gdsVerify}, verified reads,
     *         defaults otherwise.
     * @throws dev.conduit.core.ConduitException {@code CONFIG_INVALID} for an unknown value.
     */
    public static DataPathOptions from(final ConduitConfig config)
    {
        final String fallback = config.get(Settings.PATH_FALLBACK).strip();
        if (!fallback.equals("true") && !fallback.equals("false"))
        {
            throw new ConduitException(ErrorCode.CONFIG_INVALID, "path.fallback must be true or false: '" + fallback + "'");
        }
        return new DataPathOptions(PathMode.parse(config.get(Settings.PATH_MODE)), true)
            .withFallback(Boolean.parseBoolean(fallback))
            .withGdsVerify(GdsVerify.parse(config.get(Settings.PATH_GDS_VERIFY)));
    }

    /**
     * @param mode the mode wanted.
     * @return these options with that mode.
     */
    public DataPathOptions withMode(final PathMode mode)
    {
        return new DataPathOptions(mode, verify, allowFallback, smallReadBytes, bounceSlots, bounceSlotBytes, bounceStreams,
            gdsVerify, batchHandles);
    }

    /**
     * @param allow whether a forced path that cannot run falls back (reported) instead of failing.
     * @return these options with that choice.
     */
    public DataPathOptions withFallback(final boolean allow)
    {
        return new DataPathOptions(mode, verify, allow, smallReadBytes, bounceSlots, bounceSlotBytes, bounceStreams,
            gdsVerify, batchHandles);
    }

    /**
     * @param bytes GDS reads below this go through the bounce path.
     * @return these options with that threshold.
     */
    public DataPathOptions withSmallReadBytes(final long bytes)
    {
        return new DataPathOptions(mode, verify, allowFallback, bytes, bounceSlots, bounceSlotBytes, bounceStreams,
            gdsVerify, batchHandles);
    }

    /**
     * @param slots     k, pinned slots in the ring.
     * @param slotBytes bytes per slot.
     * @param streams   copy streams.
     * @return these options with that ring.
     */
    public DataPathOptions withBounceRing(final int slots, final long slotBytes, final int streams)
    {
        return new DataPathOptions(mode, verify, allowFallback, smallReadBytes, slots, slotBytes, streams, gdsVerify, batchHandles);
    }

    /**
     * @param how GDS verification.
     * @return these options with it.
     */
    public DataPathOptions withGdsVerify(final GdsVerify how)
    {
        return new DataPathOptions(mode, verify, allowFallback, smallReadBytes, bounceSlots, bounceSlotBytes, bounceStreams,
            how, batchHandles);
    }
}
