package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.namespace.BlockDeviceNamespace;
import dev.conduit.blocklayout.namespace.FileNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.nativebindings.IovecDescriptor;
import dev.conduit.scheduler.DeviceTarget;
import dev.conduit.scheduler.IoStatus;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A block-layout {@link Namespace} as a scheduler {@link DeviceTarget}. A namespace backed by a
 * file descriptor ({@link FileNamespace}, {@link BlockDeviceNamespace}) exposes its fd, so io_uring reads
 * and writes it directly; any other namespace (memory, fault-injecting wrappers, remote ones later)
 * is served through its own {@code read}/{@code write}, which the pread-pool backend calls.
 *
 * <p>Threading: the backend's threads call {@link #readv}/{@link #writev}; the namespace must be
 * safe for concurrent positional I/O, as every block-layout namespace is.
 */
public final class NamespaceTarget implements DeviceTarget
{
    private final Namespace namespace;
    private final int fd;

    /**
     * @param namespace the namespace; it stays owned by the caller.
     */
    public NamespaceTarget(final Namespace namespace)
    {
        this.namespace = namespace;
        if (namespace instanceof FileNamespace file)
        {
            this.fd = file.fd();
        }
        else if (namespace instanceof BlockDeviceNamespace device)
        {
            this.fd = device.fd();
        }
        else
        {
            this.fd = -1;
        }
    }

    /** @return the namespace served (owned by the caller). */
    public Namespace namespace()
    {
        return namespace;
    }

    @Override
    public String name()
    {
        return namespace.id();
    }

    @Override
    public long sizeBytes()
    {
        return namespace.capacityBytes();
    }

    @Override
    public int alignment()
    {
        return namespace.blockSize();
    }

    @Override
    public int fd()
    {
        return fd;
    }

    @Override
    public long fdOffset()
    {
        return 0;
    }

    @Override
    public long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return fd >= 0 ? DeviceTarget.super.readv(iov, iovCount, offsetBytes) : transfer(false, iov, iovCount, offsetBytes);
    }

    @Override
    public long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return fd >= 0 ? DeviceTarget.super.writev(iov, iovCount, offsetBytes) : transfer(true, iov, iovCount, offsetBytes);
    }

    private long transfer(final boolean write, final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        long doneBytes = 0;
        try
        {
            for (int i = 0; i < iovCount; i++)
            {
                final long base = i * IovecDescriptor.LENGTH;
                final long lengthBytes = iov.get(JAVA_LONG, base + 8);
                final MemorySegment piece = iov.get(ADDRESS, base).reinterpret(lengthBytes);
                if (write)
                {
                    namespace.write(piece, offsetBytes + doneBytes);
                    doneBytes += lengthBytes;
                }
                else
                {
                    final long n = namespace.read(piece, offsetBytes + doneBytes);
                    doneBytes += n;
                    if (n < lengthBytes)
                    {
                        break;
                    }
                }
            }
            return doneBytes;
        }
        catch (final ConduitException e)
        {
            // An errno stays the errno; a namespace-level failure (a closed namespace, an injected
            // fault) keeps its own code instead of pretending to be EIO.
            return doneBytes > 0 ? doneBytes : IoStatus.of(e);
        }
    }
}
