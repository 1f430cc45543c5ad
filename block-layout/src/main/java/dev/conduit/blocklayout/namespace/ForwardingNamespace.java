package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A {@link Namespace} that passes every call to another one; subclasses override only the calls
 * they change (fault injection, caching, routing I/O through a scheduler).
 */
public abstract class ForwardingNamespace implements Namespace
{
    /** The namespace calls are passed to. */
    protected final Namespace delegate;

    /**
     * @param delegate the namespace calls are passed to.
     */
    protected ForwardingNamespace(final Namespace delegate)
    {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String id()
    {
        return delegate.id();
    }

    @Override
    public int blockSize()
    {
        return delegate.blockSize();
    }

    @Override
    public long capacityBytes()
    {
        return delegate.capacityBytes();
    }

    @Override
    public long read(final MemorySegment dst, final long offsetBytes)
    {
        return delegate.read(dst, offsetBytes);
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        delegate.write(src, offsetBytes);
    }

    @Override
    public void flush()
    {
        delegate.flush();
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
