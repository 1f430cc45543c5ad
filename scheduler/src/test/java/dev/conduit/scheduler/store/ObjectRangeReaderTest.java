package dev.conduit.scheduler.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.Column;
import dev.conduit.blocklayout.Extent;
import dev.conduit.blocklayout.ObjectLayout;
import dev.conduit.blocklayout.namespace.FaultInjectingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.DeviceCounter;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.PreadBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object ranges read through the scheduler: a range split across stripe units, extents and three
 * namespaces (each on its own device) lands byte for byte; faults injected with block-layout's
 * {@link FaultInjectingNamespace} fail the range with the errno, or are continued (short reads).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectRangeReaderTest
{
    private static final int BLOCK = 4096;
    private static final int STRIPE_SHIFT = 16;             // 64 KiB stripe unit
    private static final long UNIT = 1L << STRIPE_SHIFT;
    private static final long OBJECT_BYTES = 9 * UNIT + 12_345;

    private final Arena arena = Arena.ofShared();
    private final List<MemoryNamespace> memories = new ArrayList<>();
    private final List<FaultInjectingNamespace> faulty = new ArrayList<>();
    private IoScheduler scheduler;
    private ObjectLayout layout;
    private ObjectRangeReader reader;
    private List<IoDevice> devices;

    @BeforeEach
    void setUp()
    {
        // Three columns; column 0 has two extents and column 2 three, scattered on their namespaces.
        layout = new ObjectLayout(STRIPE_SHIFT, List.of(
            new Column(0, List.of(new Extent(0, 8 * UNIT, 2 * UNIT), new Extent(0, 2 * UNIT, 2 * UNIT))),
            new Column(1, List.of(new Extent(1, 5 * UNIT, 4 * UNIT))),
            new Column(2, List.of(new Extent(2, 0, UNIT), new Extent(2, 6 * UNIT, UNIT), new Extent(2, 3 * UNIT, 2 * UNIT)))));
        final List<Namespace> namespaces = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final MemoryNamespace memory = MemoryNamespace.allocate("ns" + i, BLOCK, 16 * UNIT);
            memories.add(memory);
            final FaultInjectingNamespace wrapper = new FaultInjectingNamespace(memory);
            faulty.add(wrapper);
            namespaces.add(wrapper);
        }
        writeObject();
        scheduler = IoScheduler.launch(new SchedulerContext());
        final List<TargetHandle> targets = new ArrayList<>();
        devices = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final IoDevice device = scheduler.addDevice("ns" + i, new PreadBackend("ns" + i, 4),
                new DeviceContext().queueDepth(4).taskSizeBytes(32 << 10));
            devices.add(device);
            targets.add(device.attach(new NamespaceTarget(namespaces.get(i))));
        }
        reader = new ObjectRangeReader(targets);
    }

    @AfterEach
    void tearDown()
    {
        scheduler.close();
        for (final MemoryNamespace memory : memories)
        {
            memory.close();
        }
        arena.close();
    }

    /** Writes byte {@code i} of the object as {@code content(i)} through the layout, straight into memory. */
    private void writeObject()
    {
        layout.forEachPiece(0, OBJECT_BYTES, (ns, physical, logical, length) ->
        {
            final MemorySegment contents = memories.get(ns).contents();
            for (long i = 0; i < length; i++)
            {
                contents.set(JAVA_BYTE, physical + i, content(logical + i));
            }
        });
    }

    private static byte content(final long logical)
    {
        return (byte)((logical * 31) ^ (logical >>> 9));
    }

    private static long firstMismatch(final MemorySegment buffer, final long logicalOffset, final long length)
    {
        for (long i = 0; i < length; i++)
        {
            if (buffer.get(JAVA_BYTE, i) != content(logicalOffset + i))
            {
                return i;
            }
        }
        return -1;
    }

    private static long roundUp(final long value)
    {
        return (value + BLOCK - 1) / BLOCK * BLOCK;
    }

    @Test
    void shouldReadRangesSplitAcrossStripeUnitsExtentsAndNamespaces()
    {
        final long[][] ranges = {{0, OBJECT_BYTES}, {UNIT - BLOCK, 3 * BLOCK}, {4 * UNIT, 3 * UNIT}, {8 * UNIT, OBJECT_BYTES - 8 * UNIT},
            {BLOCK, 7 * UNIT + 100}};
        for (final long[] range : ranges)
        {
            final MemorySegment buffer = arena.allocate(roundUp(range[1]), BLOCK);
            final long n = reader.read(layout, range[0], buffer, range[1], Priority.BULK).join();
            assertEquals(range[1], n, "range " + range[0] + "+" + range[1]);
            assertEquals(-1, firstMismatch(buffer, range[0], range[1]), "range " + range[0] + "+" + range[1]);
        }
        for (final IoDevice device : devices)
        {
            assertTrue(device.metrics().counter(DeviceCounter.TASKS) > 0, "every namespace served pieces: " + device.name());
        }
    }

    @Test
    void shouldSubmitOnePiecePerStripeUnitAndExtent()
    {
        final MemorySegment buffer = arena.allocate(roundUp(OBJECT_BYTES), BLOCK);
        final int pieces = reader.read(layout, 0, buffer, OBJECT_BYTES, Priority.BULK, (tag, result) -> { }, 0);
        // 10 stripe units (9 full + a tail); no unit straddles an extent boundary in this layout.
        assertEquals(10, pieces);
        final long[] perNamespace = new long[3];
        layout.forEachPiece(0, OBJECT_BYTES, (ns, physical, logical, length) -> perNamespace[ns]++);
        for (int i = 0; i < 3; i++)
        {
            final IoDevice device = devices.get(i);
            final long expected = perNamespace[i];
            dev.conduit.scheduler.AwaitSupport.until("pieces of ns" + i,
                () -> device.metrics().counter(DeviceCounter.REQUESTS) == expected);
        }
    }

    @Test
    void shouldFailTheRangeWithTheErrnoOfAnInjectedFault()
    {
        final MemorySegment buffer = arena.allocate(roundUp(OBJECT_BYTES), BLOCK);
        faulty.get(1).inject(FaultInjectingNamespace.Fault.EIO, 2, 0);
        final Throwable cause = assertThrows(CompletionException.class,
            () -> reader.read(layout, 0, buffer, OBJECT_BYTES, Priority.LATENCY).join()).getCause();
        assertEquals("EIO", ((ConduitException)cause).nativeName());

        // The fault hit one operation; the same read now succeeds.
        assertEquals(OBJECT_BYTES, reader.read(layout, 0, buffer, OBJECT_BYTES, Priority.LATENCY).join());
        assertEquals(-1, firstMismatch(buffer, 0, OBJECT_BYTES));
    }

    @Test
    void shouldContinueAShortReadFromTheNamespace()
    {
        final MemorySegment buffer = arena.allocate(4 * UNIT, BLOCK);
        faulty.get(0).inject(FaultInjectingNamespace.Fault.SHORT_READ, 1, 0);
        assertEquals(4 * UNIT, reader.read(layout, 0, buffer, 4 * UNIT, Priority.LATENCY).join());
        assertEquals(-1, firstMismatch(buffer, 0, 4 * UNIT));
    }

    @Test
    void shouldRejectADestinationTooSmallForTheRoundedRange()
    {
        final MemorySegment small = arena.allocate(UNIT, BLOCK);
        assertThrows(IllegalArgumentException.class, () -> reader.read(layout, 0, small, UNIT + 1, Priority.LATENCY));
        assertThrows(IllegalArgumentException.class,
            () -> new ObjectRangeReader(List.of()).read(layout, 0, small, BLOCK, Priority.LATENCY));
    }

    @Test
    void shouldCompleteAnEmptyRangeAtOnce()
    {
        assertEquals(0L, reader.read(layout, 0, arena.allocate(BLOCK, BLOCK), 0, Priority.LATENCY).join());
    }
}
