package dev.conduit.gdspath;

import java.util.Locale;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * How GDS reads check the store's CRC-32C. A DMA into device memory passes no host copy, so the
 * check needs one: {@link #HOST_SHADOW} reads the same range through the host path (verified
 * there) and compares it with a device-to-host copy of what landed; {@link #OFF} trusts the DMA.
 * The bounce path always verifies, on its pinned host copy, at no extra I/O.
 */
public enum GdsVerify
{
    /** Verify through a host shadow read and a device-to-host compare (costs: see gds-path/README.md). */
    HOST_SHADOW,
    /** No verification of GDS reads. */
    OFF;

    /**
     * @param text {@code host-shadow} or {@code off}.
     * @return the mode.
     */
    public static GdsVerify parse(final String text)
    {
        return switch (text.strip().toLowerCase(Locale.ROOT))
        {
            case "host-shadow" -> HOST_SHADOW;
            case "off" -> OFF;
            default -> throw new ConduitException(ErrorCode.CONFIG_INVALID, "verify must be host-shadow or off: '" + text + "'");
        };
    }
}
