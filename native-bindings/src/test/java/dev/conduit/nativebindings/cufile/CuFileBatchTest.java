package dev.conduit.nativebindings.cufile;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.cuda.DeviceMemory;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch IO against the double, whose entries complete on a background thread per batch. The
 * double's hold switch keeps entries PENDING so that timeouts, cancel and the batch IO timeout are
 * observed deterministically, without sleeping in the test.
 */
@Timeout(30)
class CuFileBatchTest
{
    private static final long LONG_ENOUGH_NS = Duration.ofSeconds(10).toNanos();

    private GpuFixture gpu;
    private CuFileDriver driver;
    private CuFileHandle file;
    private MemorySegment data;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-batch");
    }

    @AfterEach
    void tearDown()
    {
        gpu.close();
    }

    private void open()
    {
        driver = CuFileDriver.open(gpu.library);
        data = gpu.pattern(4 * 4096, 9);
        file = driver.register(gpu.file("data", LibC.O_RDWR | LibC.O_DIRECT));
        file.write(CuFileBuffer.of(data), 0, data.byteSize(), 0);
    }

    @Test
    void shouldCompleteEveryEntryInTheBackground()
    {
        open();
        final DeviceMemory target = gpu.device(4 * 4096);
        try (CuFileBatch batch = driver.createBatch(8))
        {
            for (int i = 0; i < 4; i++)
            {
                batch.addRead(file, CuFileBuffer.of(target), i * 4096L, 4096, i * 4096L, 100 + i);
            }
            batch.submit();
            final List<CuFileBatchEvent> events = drain(batch);

            assertEquals(4, events.size());
            for (int i = 0; i < 4; i++)
            {
                final CuFileBatchEvent e = events.get(i);
                assertEquals(100 + i, e.cookie());
                assertEquals(Set.of(CuFileBatchStatus.COMPLETE), e.flags());
                assertTrue(e.completed());
                assertEquals(4096, e.result());
            }
        }
        assertEquals(-1, gpu.read(target, 0, data.byteSize()).mismatch(data));
    }

    @Test
    void shouldReturnFewerEntriesWhenTheTimeoutPasses()
    {
        open();
        final DeviceMemory target = gpu.device(8192);
        try (CuFileBatch batch = driver.createBatch(4))
        {
            CuFileDoubleControl.FULL.holdBatches(true);
            batch.addRead(file, CuFileBuffer.of(target), 0, 4096, 0, 1);
            batch.addRead(file, CuFileBuffer.of(target), 4096, 4096, 4096, 2);
            batch.submit();

            final long startNs = System.nanoTime();
            assertEquals(0, batch.poll(1, Duration.ofMillis(50).toNanos(), failOnEvent()));
            assertTrue(System.nanoTime() - startNs >= Duration.ofMillis(50).toNanos(), "waited for the timeout");
            assertEquals(2, batch.inFlight());

            CuFileDoubleControl.FULL.holdBatches(false);
            final List<CuFileBatchEvent> events = drain(batch);
            assertEquals(2, events.size());
            assertTrue(events.stream().allMatch(CuFileBatchEvent::completed));
        }
    }

    @Test
    void shouldCancelEntriesThatHaveNotStarted()
    {
        open();
        final DeviceMemory target = gpu.device(4096 * 3);
        try (CuFileBatch batch = driver.createBatch(4))
        {
            CuFileDoubleControl.FULL.holdBatches(true);
            for (int i = 0; i < 3; i++)
            {
                batch.addRead(file, CuFileBuffer.of(target), i * 4096L, 4096, 0, i);
            }
            batch.submit();
            batch.cancel();

            final List<CuFileBatchEvent> events = drain(batch);
            assertEquals(3, events.size());
            for (final CuFileBatchEvent e : events)
            {
                assertEquals(Set.of(CuFileBatchStatus.CANCELED), e.flags());
                assertTrue(e.finished());
                assertFalse(e.completed());
            }
        }
    }

    @Test
    void shouldTimeOutEntriesThatWaitLongerThanTheBatchIoTimeout()
    {
        CuFileSettings.of(gpu.library).set(CuFileSizeParameter.PROPERTIES_BATCH_IO_TIMEOUT_MS, 1);
        open();
        final DeviceMemory target = gpu.device(4096);
        try (CuFileBatch batch = driver.createBatch(1))
        {
            CuFileDoubleControl.FULL.holdBatches(true);
            batch.addRead(file, CuFileBuffer.of(target), 0, 4096, 0, 7);
            batch.submit();
            assertEquals(0, batch.poll(1, Duration.ofMillis(20).toNanos(), failOnEvent()));

            CuFileDoubleControl.FULL.holdBatches(false);
            final CuFileBatchEvent e = drain(batch).getFirst();
            assertEquals(Set.of(CuFileBatchStatus.TIMEOUT), e.flags());
            assertEquals(7, e.cookie());
        }
    }

    @Test
    void shouldReportAFailedEntryWithItsError()
    {
        driver = CuFileDriver.open(gpu.library);
        final CuFileHandle writeOnly = driver.register(gpu.file("w", LibC.O_WRONLY | LibC.O_DIRECT));
        final DeviceMemory target = gpu.device(4096);
        try (CuFileBatch batch = driver.createBatch(2))
        {
            batch.addRead(writeOnly, CuFileBuffer.of(target), 0, 4096, 0, 3);
            batch.submit();

            final CuFileBatchEvent e = drain(batch).getFirst();
            assertEquals(Set.of(CuFileBatchStatus.FAILED), e.flags());
            assertEquals(-Errno.EBADF, e.result());
        }
    }

    @Test
    void shouldKeepEntriesOfSeveralSubmissionsInFlightAtOnce()
    {
        open();
        final DeviceMemory target = gpu.device(4 * 4096);
        try (CuFileBatch batch = driver.createBatch(4))
        {
            CuFileDoubleControl.FULL.holdBatches(true);
            batch.addRead(file, CuFileBuffer.of(target), 0, 4096, 0, 10);
            batch.addRead(file, CuFileBuffer.of(target), 4096, 4096, 4096, 11);
            batch.submit();
            batch.addRead(file, CuFileBuffer.of(target), 2 * 4096, 4096, 2 * 4096, 12);
            batch.submit();
            batch.addRead(file, CuFileBuffer.of(target), 3 * 4096, 4096, 3 * 4096, 13);
            assertEquals(3, batch.inFlight());
            assertEquals(1, batch.staged());
            batch.submit();
            assertThrows(IllegalStateException.class, () -> batch.addRead(file, CuFileBuffer.of(target), 0, 4096, 0, 14),
                "four entries in flight fill a batch of four");

            CuFileDoubleControl.FULL.holdBatches(false);
            final List<CuFileBatchEvent> events = drain(batch);
            assertEquals(List.of(10L, 11L, 12L, 13L), events.stream().map(CuFileBatchEvent::cookie).toList());
            assertTrue(events.stream().allMatch(e -> e.completed() && e.result() == 4096), events.toString());

            // Reported entries free their slots for the next adds.
            batch.addWrite(file, CuFileBuffer.of(target), 0, 4096, 8 * 4096, 20);
            batch.submit();
            assertEquals(4096, drain(batch).getFirst().result());
            assertThrows(IllegalStateException.class, batch::submit);
        }
        assertEquals(-1, gpu.read(target, 0, data.byteSize()).mismatch(data));
    }

    @Test
    void shouldAllocateNothingWhenPolling()
    {
        open();
        final DeviceMemory target = gpu.device(4096);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long[] reported = new long[1];
        final CuFileBatchHandler handler = (cookie, status, result) -> reported[0] += result;
        try (CuFileBatch batch = driver.createBatch(2))
        {
            long pollBytes = 0;
            final int rounds = 20_000;
            for (int i = 0; i < rounds; i++)
            {
                batch.addRead(file, CuFileBuffer.of(target), 0, 4096, 0, i);
                batch.submit();
                final long before = threads.getCurrentThreadAllocatedBytes();
                final int n = batch.poll(1, LONG_ENOUGH_NS, handler);
                final long after = threads.getCurrentThreadAllocatedBytes();
                assertEquals(1, n);
                if (i >= rounds / 2)
                {
                    // The first half warms the JIT up; allocation is measured in the second.
                    pollBytes += after - before;
                }
            }
            assertEquals(rounds * 4096L, reported[0]);
            assertEquals(0, pollBytes, "bytes allocated by " + rounds / 2 + " polls");
        }
    }

    @Test
    void shouldCancelAndReapInFlightEntriesBeforeFreeingThemWhenClosed()
    {
        open();
        final DeviceMemory target = gpu.device(3 * 4096);
        final CuFileBatch batch = driver.createBatch(4);
        CuFileDoubleControl.FULL.holdBatches(true);
        for (int i = 0; i < 3; i++)
        {
            batch.addRead(file, CuFileBuffer.of(target), i * 4096L, 4096, 0, i);
        }
        batch.submit();
        final Calls before = new Calls();

        batch.close();

        final Calls after = new Calls();
        assertEquals(1, after.cancel - before.cancel, "close cancelled the entries");
        assertTrue(after.status > before.status, "close waited for the library to report them");
        assertEquals(1, after.destroy - before.destroy);
        assertEquals(0, batch.inFlight(), "every entry was reported before the memory was freed");
        assertThrows(IllegalStateException.class, () -> batch.poll(0, 0, failOnEvent()));
        batch.close();
        assertEquals(1, new Calls().destroy - before.destroy, "a second close does nothing");
    }

    @Test
    void shouldNotCancelWhenNothingIsInFlightAtClose()
    {
        open();
        final DeviceMemory target = gpu.device(4096);
        final Calls before;
        try (CuFileBatch batch = driver.createBatch(2))
        {
            batch.addRead(file, CuFileBuffer.of(target), 0, 4096, 0, 1);
            batch.submit();
            drain(batch);
            batch.addRead(file, CuFileBuffer.of(target), 0, 4096, 0, 2);
            before = new Calls();
        }
        final Calls after = new Calls();
        assertEquals(0, after.cancel - before.cancel);
        assertEquals(0, after.submit - before.submit, "the staged entry was dropped, not submitted");
        assertEquals(1, after.destroy - before.destroy);
    }

    /** The double's lifetime call counters of the batch functions, at one moment. */
    private static final class Calls
    {
        final long submit = CuFileDoubleControl.FULL.callCount("cuFileBatchIOSubmit");
        final long status = CuFileDoubleControl.FULL.callCount("cuFileBatchIOGetStatus");
        final long cancel = CuFileDoubleControl.FULL.callCount("cuFileBatchIOCancel");
        final long destroy = CuFileDoubleControl.FULL.callCount("cuFileBatchIODestroy");
    }

    @Test
    void shouldRefuseMoreEntriesThanTheBatchHolds()
    {
        open();
        final MemorySegment slot = gpu.arena.allocate(ADDRESS);
        CuFileResults.check(gpu.library, gpu.library.batchSetUp(slot, 1), "cuFileBatchIOSetUp");
        final MemorySegment batch = slot.get(ADDRESS, 0);
        final MemorySegment params = gpu.arena.allocate(CuFileLayouts.IO_PARAMS, 2);
        for (int i = 0; i < 2; i++)
        {
            final long base = i * CuFileLayouts.IO_PARAMS.byteSize();
            params.set(JAVA_INT, base, CuFileConstants.BATCH_MODE);
            params.set(ADDRESS, base + CuFileLayouts.IO_PARAMS_BASE, CuFileBuffer.of(gpu.device(4096)).base());
            params.set(java.lang.foreign.ValueLayout.JAVA_LONG, base + CuFileLayouts.IO_PARAMS_SIZE, 4096);
            params.set(ADDRESS, base + CuFileLayouts.IO_PARAMS_FH, file.handle());
        }
        try
        {
            final long status = gpu.library.batchSubmit(batch, 2, params, 0);
            assertEquals("CU_FILE_BATCH_FULL", CuFileError.name(CuFileStatus.err(status)));
        }
        finally
        {
            gpu.library.batchDestroy(batch);
        }
        final CuFileException tooBig = assertThrows(CuFileException.class, () -> driver.createBatch(1000));
        assertEquals("CU_FILE_INVALID_VALUE", tooBig.nativeName());
    }

    private static List<CuFileBatchEvent> drain(final CuFileBatch batch)
    {
        final List<CuFileBatchEvent> all = new ArrayList<>();
        while (batch.inFlight() > 0)
        {
            batch.poll(1, LONG_ENOUGH_NS, (cookie, status, result) -> all.add(new CuFileBatchEvent(cookie, status, result)));
        }
        all.sort(Comparator.comparingLong(CuFileBatchEvent::cookie));
        return all;
    }

    private static CuFileBatchHandler failOnEvent()
    {
        return (cookie, status, result) ->
        {
            throw new AssertionError("no entry should have finished; got cookie " + cookie);
        };
    }
}
