package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.ConduitException;

/**
 * The alignment contract of {@link Namespace} transfers, checked before any I/O is issued so an
 * unaligned request fails the same way on every implementation (O_DIRECT would otherwise answer
 * {@code EINVAL} on one and silently succeed on another).
 */
public final class IoAlignment
{
    /** Error code for a misaligned offset, length or buffer address. */
    public static final String UNALIGNED_IO = "UNALIGNED_IO";
    /** Error code for a transfer that does not lie within the namespace. */
    public static final String OUT_OF_RANGE = "OUT_OF_RANGE";
    /** Error code for a transfer that could not be completed (0 bytes returned). */
    public static final String SHORT_READ = "SHORT_READ";
    /** Error code for a transfer on a closed namespace. */
    public static final String NAMESPACE_CLOSED = "NAMESPACE_CLOSED";

    private IoAlignment()
    {
    }

    /**
     * Validates one transfer.
     *
     * @param ns          the namespace (for its block size, capacity and id).
     * @param segment     buffer of the transfer; must be native and aligned.
     * @param offsetBytes namespace offset.
     * @param operation   "read" or "write", for the message.
     * @throws ConduitException {@code UNALIGNED_IO} or {@code OUT_OF_RANGE}.
     */
    public static void check(final Namespace ns, final MemorySegment segment, final long offsetBytes, final String operation)
    {
        final int blockSize = ns.blockSize();
        final long lengthBytes = segment.byteSize();
        final long mask = blockSize - 1L;
        if (!segment.isNative())
        {
            throw unaligned(ns, operation, offsetBytes, lengthBytes, "buffer is not native memory");
        }
        if ((segment.address() & mask) != 0)
        {
            throw unaligned(ns, operation, offsetBytes, lengthBytes,
                "buffer address 0x" + Long.toHexString(segment.address()) + " is not " + blockSize + "-byte aligned");
        }
        if ((offsetBytes & mask) != 0 || (lengthBytes & mask) != 0 || lengthBytes == 0)
        {
            throw unaligned(ns, operation, offsetBytes, lengthBytes,
                "offset and length must be non-zero multiples of " + blockSize);
        }
        if (offsetBytes < 0 || offsetBytes > ns.capacityBytes() - lengthBytes)
        {
            throw new ConduitException(OUT_OF_RANGE, ConduitException.Category.ERROR,
                operation + " " + ns.id() + " off=" + offsetBytes + " len=" + lengthBytes
                    + " lies outside the namespace (capacity " + ns.capacityBytes() + " bytes)");
        }
    }

    /**
     * @param ns          namespace.
     * @param offsetBytes offset of the request.
     * @param lengthBytes length of the request.
     * @param doneBytes   bytes that did arrive.
     * @return the {@code SHORT_READ} error for a transfer that stopped making progress.
     */
    public static ConduitException shortRead(final Namespace ns, final long offsetBytes, final long lengthBytes, final long doneBytes)
    {
        return new ConduitException(SHORT_READ, ConduitException.Category.ERROR,
            "read " + ns.id() + " off=" + offsetBytes + " len=" + lengthBytes + " returned only " + doneBytes + " bytes");
    }

    /**
     * @param ns namespace that was used after close.
     * @return the {@code NAMESPACE_CLOSED} error.
     */
    public static ConduitException closed(final Namespace ns)
    {
        return new ConduitException(NAMESPACE_CLOSED, ConduitException.Category.ERROR, "namespace " + ns.id() + " is closed");
    }

    private static ConduitException unaligned(
        final Namespace ns, final String operation, final long offsetBytes, final long lengthBytes, final String why)
    {
        return new ConduitException(UNALIGNED_IO, ConduitException.Category.ERROR,
            operation + " " + ns.id() + " off=" + offsetBytes + " len=" + lengthBytes + ": " + why);
    }
}
