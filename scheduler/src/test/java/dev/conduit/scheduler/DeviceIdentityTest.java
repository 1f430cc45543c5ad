package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.memory.HostMemory;
import dev.conduit.core.memory.IoArena;
import dev.conduit.nativebindings.DeviceNumbers;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One scheduler device per physical device: files on one file system share a device and its queue depth. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceIdentityTest
{
    private static final int BLOCK = 4096;
    private static final long FILE_BYTES = 2L << 20;
    private static final int QUEUE_DEPTH = 4;
    private static final int READS = 64;

    private ScratchDir scratch;
    private IoScheduler scheduler;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception
    {
        scratch = new ScratchDir("identity");
        scheduler = IoScheduler.launch(new SchedulerContext());
    }

    @AfterEach
    void tearDown() throws Exception
    {
        scheduler.close();
        for (final AutoCloseable c : closeables)
        {
            c.close();
        }
        scratch.close();
    }

    @Test
    void shouldMapTwoFilesOnOneFileSystemToOneDeviceSharingItsQueueDepth() throws Exception
    {
        final FileTarget a = open("a");
        final FileTarget b = open("b");
        final DeviceContext context = new DeviceContext().queueDepth(QUEUE_DEPTH);
        final TargetHandle ha = scheduler.attach(a, context);
        final TargetHandle hb = scheduler.attach(b, context);

        assertSame(ha.device(), hb.device());
        assertEquals(1, scheduler.devices().size());
        assertEquals(DeviceIdentity.of(a), ha.device().identity());
        assertSame(ha.device(), scheduler.deviceFor(DeviceIdentity.of(b)));
        assertEquals(QUEUE_DEPTH, ha.device().context().queueDepth());

        try (IoArena arena = IoArena.ofShared())
        {
            final HostMemory buffer = arena.allocateHost((long)READS * BLOCK, BLOCK);
            final List<IoFuture> reads = new ArrayList<>();
            for (int i = 0; i < READS; i++)
            {
                // Far-apart offsets so that no two reads merge: every read is its own task.
                final TargetHandle handle = (i & 1) == 0 ? ha : hb;
                reads.add(handle.device().submit(new IoRequest()
                    .read(handle, (i / 2) * 8L * BLOCK, buffer, (long)i * BLOCK, BLOCK)));
            }
            for (int i = 0; i < READS; i++)
            {
                assertEquals(BLOCK, reads.get(i).get(30, TimeUnit.SECONDS));
                assertEquals(-1, Content.firstMismatch(buffer.segment().asSlice((long)i * BLOCK, BLOCK),
                    (i / 2) * 8L * BLOCK, BLOCK), "read " + i);
            }
        }
        final IoDevice device = ha.device();
        scheduler.close();
        final Histogram depth = device.metrics().queueDepthInterval(null);
        assertTrue(depth.getMaxValue() <= QUEUE_DEPTH, "tasks in flight on the shared device: " + depth.getMaxValue());
        assertEquals(READS, device.metrics().counter(DeviceCounter.TASKS));
    }

    @Test
    void shouldNameTheWholeDiskOrTheFileSystemAndGiveMemoryTargetsTheirOwnDevice() throws Exception
    {
        final FileTarget file = open("f");
        final long dev = (Long)Files.getAttribute(scratch.path().resolve("f"), "unix:dev");
        final int major = DeviceNumbers.major(dev);
        final int minor = DeviceNumbers.minor(dev);
        final String identity = DeviceIdentity.of(file);
        final Path sysfs = Path.of("/sys/dev/block/" + major + ":" + minor);
        if (major == 0 || !Files.exists(sysfs))
        {
            assertEquals("fs:" + major + ":" + minor, identity);
        }
        else if (Files.exists(sysfs.resolve("partition")))
        {
            assertNotEquals("block:" + major + ":" + minor, identity, "a partition must map to its whole disk");
            assertTrue(identity.startsWith("block:"), identity);
        }
        else
        {
            assertEquals("block:" + major + ":" + minor, identity);
        }

        try (Arena arena = Arena.ofShared())
        {
            final MemoryTarget m1 = new MemoryTarget("m", arena.allocate(BLOCK));
            final MemoryTarget m2 = new MemoryTarget("m", arena.allocate(BLOCK));
            assertNotEquals(DeviceIdentity.of(m1), DeviceIdentity.of(m2));
            final TargetHandle h1 = scheduler.attach(m1);
            final TargetHandle h2 = scheduler.attach(m2);
            assertNotEquals(h1.device(), h2.device());
            assertEquals("pread", h1.device().backend().name());
            assertEquals(BLOCK, scheduler.write(h1, 0, arena.allocate(BLOCK), Priority.BULK).get(10, TimeUnit.SECONDS));
            scheduler.close();
        }
    }

    private FileTarget open(final String name) throws Exception
    {
        final Path path = scratch.path().resolve(name);
        Content.writeFile(path, FILE_BYTES);
        final FileTarget target = FileTarget.open(path, false);
        closeables.add(target);
        return target;
    }
}
