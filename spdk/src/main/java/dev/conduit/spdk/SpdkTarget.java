package dev.conduit.spdk;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.spdk.SpdkController;
import dev.conduit.nativebindings.spdk.SpdkNamespaceInfo;
import dev.conduit.scheduler.DeviceTarget;

/**
 * An SPDK namespace as a scheduler target: byte offsets map to its logical blocks, and every
 * request must be block-aligned. Only {@link SpdkBackend} serves it (it has no file descriptor, and
 * its synchronous {@link #readv}/{@link #writev} refuse with {@code -EOPNOTSUPP}).
 *
 * <p>Threading: immutable.
 */
public final class SpdkTarget implements DeviceTarget
{
    private static final int EOPNOTSUPP = 95;

    private final SpdkController controller;
    private final SpdkNamespaceInfo namespace;

    /**
     * @param controller the attached controller.
     * @param namespace  one of its active namespaces.
     */
    public SpdkTarget(final SpdkController controller, final SpdkNamespaceInfo namespace)
    {
        this.controller = controller;
        this.namespace = namespace;
    }

    /** @return the controller. */
    public SpdkController controller()
    {
        return controller;
    }

    /** @return the namespace. */
    public SpdkNamespaceInfo namespace()
    {
        return namespace;
    }

    @Override
    public String name()
    {
        return "spdk[" + controller.transportId() + "]/ns" + namespace.nsid();
    }

    @Override
    public long sizeBytes()
    {
        return namespace.capacityBytes();
    }

    @Override
    public int alignment()
    {
        return namespace.sectorBytes();
    }

    @Override
    public long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return -EOPNOTSUPP;
    }

    @Override
    public long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return -EOPNOTSUPP;
    }
}
