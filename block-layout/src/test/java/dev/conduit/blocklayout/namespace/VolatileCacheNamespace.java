package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models a drive with a volatile write cache: writes are visible to reads at once but reach the
 * delegate only on {@link #flush()}; {@link #powerLoss(SplittableRandom)} drops what was not
 * flushed, except a random subset of its 512-byte sectors (caches destage in any order);
 * {@link #imageAfterPowerLoss} shows that outcome without ending the run. Code that publishes before
 * it flushes loses acknowledged data under this model.
 *
 * <p>Threading: synchronized; tests only.
 */
public final class VolatileCacheNamespace extends ForwardingNamespace
{
    private record Pending(long offsetBytes, byte[] bytes)
    {
    }

    private final MemoryNamespace memory;
    private final List<Pending> pending = new ArrayList<>();
    private boolean lost;

    /**
     * @param delegate durable storage behind the cache.
     */
    public VolatileCacheNamespace(final MemoryNamespace delegate)
    {
        super(delegate);
        this.memory = delegate;
    }

    /**
     * Drops the unflushed writes, keeping a random subset of their sectors; the namespace fails
     * every operation afterwards.
     *
     * @param random decides which sectors survive.
     * @return sectors that survived.
     */
    public synchronized int powerLoss(final SplittableRandom random)
    {
        final int survived = destage(memory, random);
        pending.clear();
        lost = true;
        return survived;
    }

    /**
     * What the media would hold if power failed now, without failing it: a copy of the flushed
     * bytes plus a random subset of the unflushed sectors. The cache keeps working.
     *
     * @param label  name of the image.
     * @param random decides which sectors survive.
     * @return a new namespace the caller closes.
     */
    public synchronized MemoryNamespace imageAfterPowerLoss(final String label, final SplittableRandom random)
    {
        final MemoryNamespace image = memory.copy(label);
        destage(image, random);
        return image;
    }

    /** @return 512-byte sectors written but not yet flushed. */
    public synchronized int unflushedSectors()
    {
        int sectors = 0;
        for (final Pending p : pending)
        {
            sectors += p.bytes.length / FaultInjectingNamespace.SECTOR;
        }
        return sectors;
    }

    /** Copies a random quarter of the unflushed sectors to {@code media}, as a cache destaging in any order might. */
    private int destage(final MemoryNamespace media, final SplittableRandom random)
    {
        int survived = 0;
        for (final Pending p : pending)
        {
            for (int s = 0; s < p.bytes.length; s += FaultInjectingNamespace.SECTOR)
            {
                if (random.nextInt(4) == 0)
                {
                    media.contents().asSlice(p.offsetBytes + s, FaultInjectingNamespace.SECTOR)
                        .copyFrom(MemorySegment.ofArray(p.bytes).asSlice(s, FaultInjectingNamespace.SECTOR));
                    survived++;
                }
            }
        }
        return survived;
    }

    @Override
    public synchronized long read(final MemorySegment dst, final long offsetBytes)
    {
        ensureAlive();
        final long n = delegate.read(dst, offsetBytes);
        for (final Pending p : pending)
        {
            final long from = Math.max(offsetBytes, p.offsetBytes);
            final long to = Math.min(offsetBytes + n, p.offsetBytes + p.bytes.length);
            if (from < to)
            {
                MemorySegment.copy(p.bytes, (int)(from - p.offsetBytes), dst, ValueLayout.JAVA_BYTE, from - offsetBytes, (int)(to - from));
            }
        }
        return n;
    }

    @Override
    public synchronized void write(final MemorySegment src, final long offsetBytes)
    {
        ensureAlive();
        IoAlignment.check(this, src, offsetBytes, "write");
        pending.add(new Pending(offsetBytes, src.toArray(ValueLayout.JAVA_BYTE)));
    }

    @Override
    public synchronized void flush()
    {
        ensureAlive();
        for (final Pending p : pending)
        {
            memory.contents().asSlice(p.offsetBytes, p.bytes.length).copyFrom(MemorySegment.ofArray(p.bytes));
        }
        pending.clear();
    }

    @Override
    public void close()
    {
        // The delegate belongs to the test.
    }

    private void ensureAlive()
    {
        if (lost)
        {
            throw dev.conduit.nativebindings.NativeException.errno("power lost (" + id() + ")", dev.conduit.nativebindings.Errno.EIO);
        }
    }
}
