package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The alignment contract of {@link Namespace} transfers, checked before any I/O is issued so an
 * unaligned request fails the same way on every implementation (O_DIRECT would otherwise answer
 * {@code EINVAL} on one and silently succeed on another).
 */
public final class IoAlignment
{

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
            throw new ConduitException(ErrorCode.OUT_OF_RANGE, operation + " " + ns.id() + " off=" + offsetBytes + " len=" + lengthBytes
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
        return new ConduitException(ErrorCode.SHORT_READ, "read " + ns.id() + " off=" + offsetBytes + " len=" + lengthBytes + " returned only " + doneBytes + " bytes");
    }

    /**
     * @param ns namespace that was used after close.
     * @return the {@code NAMESPACE_CLOSED} error.
     */
    public static ConduitException closed(final Namespace ns)
    {
        return new ConduitException(ErrorCode.NAMESPACE_CLOSED, "namespace " + ns.id() + " is closed");
    }

    private static ConduitException unaligned(
        final Namespace ns, final String operation, final long offsetBytes, final long lengthBytes, final String why)
    {
        return new ConduitException(ErrorCode.UNALIGNED_IO, operation + " " + ns.id() + " off=" + offsetBytes + " len=" + lengthBytes + ": " + why);
    }
}
