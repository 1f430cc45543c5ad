package dev.conduit.blocklayout.namespace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;

/**
 * Wraps a namespace and injects one fault at the n-th operation (reads, writes and flushes are
 * counted together, from 1): an EIO, a short read, a write torn at 512-byte sector granularity
 * followed by a dead device (a crash), or a latency spike.
 *
 * <pre>{@code
 * FaultInjectingNamespace ns = new FaultInjectingNamespace(memory);
 * ns.inject(Fault.TORN_WRITE, 17, 3);   // op 17: keep 3 sectors of it, then every op fails
 * }</pre>
 */
public final class FaultInjectingNamespace extends ForwardingNamespace
{
    /** Sector size of torn writes. */
    public static final int SECTOR = 512;

    /** What happens at the chosen operation. */
    public enum Fault
    {
        /** The operation fails with EIO; later operations work. */
        EIO,
        /** A read returns only its first half (at least one block); later reads work. */
        SHORT_READ,
        /**
         * A write keeps only its first {@code parameter} sectors, then the device is gone (EIO on every
         * op); on a read or flush the device is simply gone.
         */
        TORN_WRITE,
        /** The device is gone from this operation on, whatever it is (a crash between two writes). */
        CRASH,
        /** The operation is delayed by {@code parameter} milliseconds. */
        LATENCY
    }

    private final AtomicLong operations = new AtomicLong();
    private volatile Fault fault;
    private volatile long atOperation = -1;
    private volatile long parameter;
    private volatile boolean dead;

    /**
     * @param delegate the namespace that really stores the bytes.
     */
    public FaultInjectingNamespace(final Namespace delegate)
    {
        super(delegate);
    }

    /**
     * Arms one fault.
     *
     * @param kind        what to inject.
     * @param operation   1-based index of the operation it hits, counted from now.
     * @param param       sectors kept ({@link Fault#TORN_WRITE}) or delay in ms ({@link Fault#LATENCY}).
     * @return this.
     */
    public FaultInjectingNamespace inject(final Fault kind, final long operation, final long param)
    {
        this.fault = kind;
        this.parameter = param;
        this.atOperation = operations.get() + operation;
        return this;
    }

    /** @return operations seen so far. */
    public long operations()
    {
        return operations.get();
    }

    /** @return true once a torn write or crash killed the device. */
    public boolean dead()
    {
        return dead;
    }

    @Override
    public long read(final MemorySegment dst, final long offsetBytes)
    {
        final Fault f = next("read", offsetBytes, dst.byteSize());
        if (f == Fault.SHORT_READ && dst.byteSize() > blockSize())
        {
            final long half = Math.max(blockSize(), dst.byteSize() / 2 / blockSize() * blockSize());
            return delegate.read(dst.asSlice(0, half), offsetBytes);
        }
        return delegate.read(dst, offsetBytes);
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        if (next("write", offsetBytes, src.byteSize()) == Fault.TORN_WRITE)
        {
            tear(src, offsetBytes, Math.min(parameter * SECTOR, src.byteSize()));
            dead = true;
            throw eio("write", offsetBytes, src.byteSize());
        }
        delegate.write(src, offsetBytes);
    }

    @Override
    public void flush()
    {
        next("flush", 0, 0);
        delegate.flush();
    }

    @Override
    public void close()
    {
        // The delegate belongs to the test, which reopens it after a crash.
    }

    private Fault next(final String op, final long offsetBytes, final long lengthBytes)
    {
        final long n = operations.incrementAndGet();
        if (dead)
        {
            throw eio(op, offsetBytes, lengthBytes);
        }
        if (n != atOperation)
        {
            return null;
        }
        final Fault f = fault;
        switch (f)
        {
            case EIO -> throw eio(op, offsetBytes, lengthBytes);
            case CRASH ->
            {
                dead = true;
                throw eio(op, offsetBytes, lengthBytes);
            }
            case LATENCY -> LockSupport.parkNanos(parameter * 1_000_000L);
            case TORN_WRITE ->
            {
                if (!"write".equals(op))
                {
                    // Power failed between writes: nothing of this operation happens.
                    dead = true;
                    throw eio(op, offsetBytes, lengthBytes);
                }
            }
            default ->
            {
                // SHORT_READ is applied by the caller.
            }
        }
        return f;
    }

    private void tear(final MemorySegment src, final long offsetBytes, final long keepBytes)
    {
        final int block = blockSize();
        final long wholeBlocks = keepBytes / block * block;
        if (wholeBlocks > 0)
        {
            delegate.write(src.asSlice(0, wholeBlocks), offsetBytes);
        }
        final long partial = keepBytes - wholeBlocks;
        if (partial > 0)
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment merged = arena.allocate(block, block);
                delegate.readFully(merged, offsetBytes + wholeBlocks);
                merged.asSlice(0, partial).copyFrom(src.asSlice(wholeBlocks, partial));
                delegate.write(merged, offsetBytes + wholeBlocks);
            }
        }
    }

    private NativeException eio(final String op, final long offsetBytes, final long lengthBytes)
    {
        return NativeException.errno("fault-injected " + op + "(" + id() + ", off=" + offsetBytes + ", len=" + lengthBytes + ")", Errno.EIO);
    }
}
