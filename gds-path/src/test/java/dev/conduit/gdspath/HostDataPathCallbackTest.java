package dev.conduit.gdspath;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.gdspath.GpuDoubles.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The callback form of {@link DataPath#read} on the host path: pooled contexts, one callback per read, the future form's errors. */
@Timeout(120)
class HostDataPathCallbackTest
{
    private static final long MIB = 1L << 20;

    private TestStore fixture;
    private DeviceBufferPool pool;
    private DeviceBuffer buffer;

    @BeforeEach
    void setUp() throws IOException
    {
        fixture = new TestStore("dp-cb", 64 * MIB);
        pool = DeviceBufferPool.host(4 * MIB, 1);
        buffer = pool.acquire();
    }

    @AfterEach
    void tearDown() throws IOException
    {
        buffer.close();
        pool.close();
        fixture.close();
    }

    @Test
    void shouldCallBackOncePerReadWithTheBytesInPlaceAcrossManyReusedContexts() throws Exception
    {
        final byte[] object = random((int)(3 * MIB) + 999, 7);
        fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
        final int rounds = 40;
        final int perRound = 8;
        final long rangeBytes = 300_001;
        for (int round = 0; round < rounds; round++)
        {
            final AtomicInteger[] calls = new AtomicInteger[perRound];
            final AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(perRound);
            final CountDownLatch done = new CountDownLatch(perRound);
            for (int i = 0; i < perRound; i++)
            {
                calls[i] = new AtomicInteger();
                final long offset = (long)(round * 7919 + i * 350_000) % (object.length - rangeBytes);
                fixture.path().read("obj", offset, rangeBytes, buffer, i * (rangeBytes + 3), (tag, failure) ->
                {
                    calls[(int)tag].incrementAndGet();
                    failures.set((int)tag, failure);
                    done.countDown();
                }, i);
            }
            assertTrue(done.await(30, TimeUnit.SECONDS), "every read called back");
            for (int i = 0; i < perRound; i++)
            {
                assertEquals(1, calls[i].get(), "read " + i + " called back once");
                assertNull(failures.get(i));
                final long offset = (long)(round * 7919 + i * 350_000) % (object.length - rangeBytes);
                assertArrayEquals(Arrays.copyOfRange(object, (int)offset, (int)(offset + rangeBytes)),
                    buffer.segment().asSlice(i * (rangeBytes + 3), rangeBytes).toArray(ValueLayout.JAVA_BYTE), "round " + round + " read " + i);
            }
        }
        final PathStats stats = fixture.path().stats().get(PathKind.HOST);
        assertEquals(rounds * perRound, stats.reads());
        assertEquals(rounds * perRound * rangeBytes, stats.readBytes());
        assertEquals(0, fixture.path().inFlight());
    }

    @Test
    void shouldReportCorruptionMissingKeysAndBadRangesAsTheFutureFormDoes() throws Exception
    {
        final long flipped = MIB + 4_000;
        fixture.putFlipped("obj", (int)(3 * MIB), 8, flipped);
        final CompletableFuture<Throwable> corrupt = new CompletableFuture<>();

        fixture.path().read("obj", flipped - 1, 10, buffer, 0, (tag, failure) -> corrupt.complete(failure), 0);

        assertTrue(corrupt.get(30, TimeUnit.SECONDS) instanceof CorruptExtentException, String.valueOf(corrupt.join()));
        assertEquals(1, fixture.path().stats().get(PathKind.HOST).readErrors());
        final ReadCallback never = (tag, failure) -> { throw new AssertionError("called back for a read that threw"); };
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class,
            () -> fixture.path().read("missing", 0, 10, buffer, 0, never, 0)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class,
            () -> fixture.path().read("obj", 0, 10, buffer, buffer.sizeBytes() - 5, never, 0)).code());
        assertEquals(0, fixture.path().inFlight(), "nothing left counted in flight by reads that threw");
    }

    @Test
    void shouldFetchAMissingKeyThroughTheSourceAndThenCallBack() throws Exception
    {
        final byte[] object = random(200_000, 9);
        final AtomicInteger fetches = new AtomicInteger();
        fixture.path().withMissingKeys(key ->
        {
            fetches.incrementAndGet();
            fixture.scheduled().store().put(key, object, ObjectMetadata.NONE);
            return CompletableFuture.completedFuture(null);
        });
        final CompletableFuture<Throwable> done = new CompletableFuture<>();

        fixture.path().read("remote", 1_000, 50_000, buffer, 0, (tag, failure) -> done.complete(failure), 0);

        assertNull(done.get(30, TimeUnit.SECONDS));
        assertEquals(1, fetches.get());
        assertArrayEquals(Arrays.copyOfRange(object, 1_000, 51_000), buffer.segment().asSlice(0, 50_000).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldHaveBookedEveryReadWhenCloseReturns() throws Exception
    {
        fixture.scheduled().store().put("obj", random((int)(4 * MIB), 10), ObjectMetadata.NONE);
        final int reads = 16;
        final CountDownLatch called = new CountDownLatch(reads);
        for (int i = 0; i < reads; i++)
        {
            fixture.path().read("obj", i * 256 * 1024L, 256 * 1024L, buffer, i * 256 * 1024L, (tag, failure) -> called.countDown(), i);
        }

        fixture.path().close();

        assertEquals(0, fixture.path().inFlight());
        assertEquals(reads, fixture.path().stats().get(PathKind.HOST).reads(), "close returned before a read was done");
        assertTrue(called.await(30, TimeUnit.SECONDS));
        assertEquals(ErrorCode.SHUTDOWN, assertThrows(ConduitException.class,
            () -> fixture.path().read("obj", 0, 10, buffer, 0, (tag, failure) -> { }, 0)).code());
    }
}
