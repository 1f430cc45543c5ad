package dev.conduit.gdspath;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.MemoryKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host buffer pool the data path reads into: bounded, page aligned, few slabs, no use after release. */
@Timeout(30)
class HostDataPathBufferPoolTest
{
    @Test
    void shouldLendAtMostItsCapacityOfDistinctPageAlignedBuffersFromFewSlabs()
    {
        try (DeviceBufferPool pool = DeviceBufferPool.host(100_000, 40, 1 << 20))
        {
            final List<DeviceBuffer> lent = new ArrayList<>();
            final Set<Long> addresses = new HashSet<>();
            DeviceBuffer buffer;
            while ((buffer = pool.tryAcquire()) != null)
            {
                lent.add(buffer);
                assertEquals(0, buffer.segment().address() % DeviceBufferPool.PAGE_BYTES);
                assertEquals(MemoryKind.HOST, buffer.kind());
                assertEquals(-1, buffer.deviceOrdinal());
                assertEquals(pool, buffer.owner());
                assertTrue(addresses.add(buffer.segment().address()));
            }

            assertEquals(40, lent.size());
            assertEquals(102_400, pool.bufferBytes());
            assertEquals(4, pool.slabCount(), "10 buffers of 100 KiB per 1 MiB slab");
            assertNull(pool.acquire(10, TimeUnit.MILLISECONDS));
            lent.forEach(DeviceBuffer::close);
            assertEquals(40, pool.available());
        }
    }

    @Test
    void shouldBlockAnAcquireUntilABufferComesBack() throws Exception
    {
        try (DeviceBufferPool pool = DeviceBufferPool.host(4096, 1))
        {
            final DeviceBuffer only = pool.acquire();
            final CompletableFuture<DeviceBuffer> waiting = CompletableFuture.supplyAsync(pool::acquire);
            Thread.sleep(50);
            assertFalse(waiting.isDone());

            only.close();

            final DeviceBuffer next = waiting.get(5, TimeUnit.SECONDS);
            assertEquals(only, next);
            next.close();
        }
    }

    @Test
    void shouldRefuseUseAfterReleaseAndCloseWhileLent()
    {
        final DeviceBufferPool pool = DeviceBufferPool.host(4096, 2);
        final DeviceBuffer buffer = pool.acquire();
        buffer.close();
        buffer.close();

        assertEquals(ErrorCode.MEMORY_CLOSED, assertThrows(ConduitException.class, buffer::segment).code());
        assertEquals(2, pool.available());
        final DeviceBuffer held = pool.acquire();
        assertThrows(IllegalStateException.class, pool::close);
        held.close();
        pool.close();
        assertEquals(ErrorCode.SHUTDOWN, assertThrows(ConduitException.class, pool::tryAcquire).code());
    }
}
