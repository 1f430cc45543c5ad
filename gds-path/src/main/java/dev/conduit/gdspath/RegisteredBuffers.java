package dev.conduit.gdspath;

import java.util.HashMap;
import java.util.Map;

import dev.conduit.core.Closeables;
import dev.conduit.nativebindings.cufile.CuFileBuffer;
import dev.conduit.nativebindings.cufile.CuFileBufferRegistration;
import dev.conduit.nativebindings.cufile.CuFileDriver;
import dev.conduit.nativebindings.cufile.CuFileException;

/**
 * The GDS engine's registered-buffer cache: each {@link DeviceSlab} is registered with
 * {@code cuFileBufRegister} the first time a read targets it and reused after, within the
 * driver's pinned-memory budget ({@code max_device_pinned_mem_size}, the BAR space). A slab over
 * the budget, or one the driver refuses, is read unregistered (cuFile then stages through its own
 * buffers) and counted.
 *
 * <p>Threading: the GDS agent only; the counters may be read from any thread.
 */
final class RegisteredBuffers implements AutoCloseable
{
    private final CuFileDriver driver;
    private final long budgetBytes;
    private final Map<Long, CuFileBufferRegistration> bySlabBase = new HashMap<>();
    private final Map<Long, String> refused = new HashMap<>();
    private long registeredBytes;
    private volatile long hits;
    private volatile long registrations;
    private volatile long refusals;

    RegisteredBuffers(final CuFileDriver driver, final long budgetBytes)
    {
        this.driver = driver;
        this.budgetBytes = budgetBytes;
    }

    /**
     * @param slab the slab a read targets.
     * @return the buffer base to name in the batch entry (the slab base, registered or not).
     */
    CuFileBuffer bufferFor(final DeviceSlab slab)
    {
        final long base = slab.base().address();
        if (bySlabBase.containsKey(base))
        {
            hits++;
            return bySlabBase.get(base).buffer();
        }
        final CuFileBuffer buffer = CuFileBuffer.of(slab.base(), slab.sizeBytes());
        if (refused.containsKey(base))
        {
            return buffer;
        }
        if (budgetBytes > 0 && registeredBytes + slab.sizeBytes() > budgetBytes)
        {
            refuse(base, "over the pinned-memory budget of " + budgetBytes + " bytes");
            return buffer;
        }
        try
        {
            bySlabBase.put(base, driver.register(buffer, 0));
            registeredBytes += slab.sizeBytes();
            registrations++;
        }
        catch (final CuFileException e)
        {
            refuse(base, e.getMessage());
        }
        return buffer;
    }

    /** @return reads that found their slab registered already. */
    long hits()
    {
        return hits;
    }

    /** @return cuFileBufRegister calls made. */
    long registrations()
    {
        return registrations;
    }

    /** @return slabs read unregistered (budget or driver refusal). */
    long refusals()
    {
        return refusals;
    }

    private void refuse(final long base, final String why)
    {
        refused.put(base, why);
        refusals++;
    }

    /** Deregisters every slab (cuFileBufDeregister); the first failure is thrown with the rest suppressed. */
    @Override
    public void close()
    {
        final RuntimeException failure = Closeables.closeAll(null, bySlabBase.values());
        bySlabBase.clear();
        if (failure != null)
        {
            throw failure;
        }
    }
}
