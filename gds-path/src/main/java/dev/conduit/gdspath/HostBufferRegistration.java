package dev.conduit.gdspath;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.HostMemory;
import dev.conduit.core.memory.RegisteredMemory;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.TargetHandle;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * A host buffer pool's slabs registered with every device of a store (io_uring fixed buffers), so
 * the range reads that land in them go out as {@code READ_FIXED}: the kernel pins the pages once
 * instead of on every read and unpins and dirties nothing per completion. Measured on the Loader's
 * host path (gds-path/README.md): page pinning and its completion work were most of the device
 * thread's kernel time. Registration is an optimisation only: a device whose backend registers
 * nothing (the pread pool), a full buffer table or a memory-lock limit leaves those reads on the
 * plain path, and {@link #problem()} says why.
 *
 * <p>What it costs: the slabs' pages are pinned (resident, counted against {@code RLIMIT_MEMLOCK}
 * for users without {@code CAP_IPC_LOCK}) until {@link #close()}, one buffer-table slot per slab
 * per device.
 *
 * <p>Threading: made and closed by one thread; reads may run on any thread meanwhile.
 * Resources: the registrations; close before freeing the pool.
 */
public final class HostBufferRegistration implements AutoCloseable
{
    private final List<RegisteredMemory> registrations = new ArrayList<>();
    private final List<IoDevice> devices = new ArrayList<>();
    private final String problem;
    private boolean closed;

    private HostBufferRegistration(final ScheduledStore store, final List<MemorySegment> slabs)
    {
        final Set<IoDevice> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String firstProblem = "";
        for (final TargetHandle target : store.targets())
        {
            final IoDevice device = target.device();
            if (!seen.add(device))
            {
                continue;
            }
            for (final MemorySegment slab : slabs)
            {
                try
                {
                    registrations.add(device.registerBuffer(HostMemory.of(slab)));
                    devices.add(device);
                }
                catch (final RuntimeException e)
                {
                    // Not an error: reads into this slab take the plain path; the reason is kept for problem().
                    firstProblem = firstProblem.isEmpty() ? "device " + device.name() + ": " + e.getMessage() : firstProblem;
                }
            }
        }
        this.problem = firstProblem;
    }

    /**
     * @param store the store whose devices read into the pool.
     * @param pool  a host pool (a GPU pool has no host slabs: nothing is registered).
     * @return the registrations made.
     */
    static HostBufferRegistration register(final ScheduledStore store, final DeviceBufferPool pool)
    {
        return new HostBufferRegistration(store, pool.hostSlabs());
    }

    /** @return registrations made (slabs times devices that took them). */
    public int registered()
    {
        return registrations.size();
    }

    /** @return why some slab was not registered with some device, or empty when all were. */
    public String problem()
    {
        return problem;
    }

    /** Releases the registrations; reads still in flight on them complete normally. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (int i = 0; i < registrations.size(); i++)
        {
            try
            {
                devices.get(i).unregisterBuffer(registrations.get(i));
            }
            catch (final ConduitException e)
            {
                if (e.code() != ErrorCode.SCHEDULER_CLOSED)
                {
                    throw e;
                }
                // The store closed first: its rings, and every registration with them, are gone already.
            }
        }
    }
}
