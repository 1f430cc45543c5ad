package dev.conduit.gdspath;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.ConfigLoader;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host data path on a real store: reads, batched reads, writes, statistics, path choice and close. */
@Timeout(120)
class HostDataPathTest
{
    private static final long MIB = 1L << 20;

    @Test
    void shouldReadAnyRangeByteExactWithOneCompletionPerSpec() throws Exception
    {
        try (TestStore fixture = new TestStore("dp-read", 64 * MIB);
             DeviceBufferPool pool = DeviceBufferPool.host(4 * MIB, 2))
        {
            final byte[] object = random((int)(3 * MIB) + 12_345, 1);
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            final DeviceBuffer a = pool.acquire();
            final DeviceBuffer b = pool.acquire();
            final long[][] ranges = {{0, 4096}, {1_000_003, 70_001}, {MIB - 5, 10}, {object.length - 777, 777}, {17, 2 * MIB + 3}};
            final List<ReadSpec> specs = new ArrayList<>();
            long at = 0;
            for (final long[] range : ranges)
            {
                specs.add(new ReadSpec("obj", range[0], range[1], range == ranges[4] ? b : a, range == ranges[4] ? 3 : at));
                at += range == ranges[4] ? 0 : range[1] + 1;
            }

            final List<CompletableFuture<Long>> done = fixture.path().readAll(specs);

            assertEquals(specs.size(), done.size());
            for (int i = 0; i < specs.size(); i++)
            {
                final ReadSpec spec = specs.get(i);
                assertEquals(spec.lengthBytes(), done.get(i).join());
                final byte[] got = spec.dst().segment().asSlice(spec.dstOffsetBytes(), spec.lengthBytes()).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(Arrays.copyOfRange(object, (int)spec.objectOffsetBytes(),
                    (int)(spec.objectOffsetBytes() + spec.lengthBytes())), got, "range " + i);
            }
            final PathStats stats = fixture.path().stats().get(PathKind.HOST);
            assertEquals(specs.size(), stats.reads());
            assertEquals(specs.stream().mapToLong(ReadSpec::lengthBytes).sum(), stats.readBytes());
            assertEquals(specs.size(), stats.readLatencyNs().getTotalCount());
            assertEquals(0, fixture.path().stats().get(PathKind.GDS).reads());
            a.close();
            b.close();
        }
    }

    @Test
    void shouldFailOneSpecWithoutLosingTheOthers() throws Exception
    {
        try (TestStore fixture = new TestStore("dp-partial", 64 * MIB);
             DeviceBufferPool pool = DeviceBufferPool.host(MIB, 1);
             DeviceBuffer buffer = pool.acquire())
        {
            final byte[] object = random(100_000, 2);
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);

            final List<CompletableFuture<Long>> done = fixture.path().readAll(List.of(
                new ReadSpec("obj", 0, 1000, buffer, 0),
                new ReadSpec("missing", 0, 1000, buffer, 2000),
                new ReadSpec("obj", 5000, 10, buffer, buffer.sizeBytes() - 5)));

            assertEquals(1000, done.get(0).join());
            assertEquals(ErrorCode.NOT_FOUND, code(done.get(1)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, code(done.get(2)));
        }
    }

    @Test
    void shouldFailAVerifiedReadOfAByteFlippedOnDisk() throws Exception
    {
        try (TestStore fixture = new TestStore("dp-corrupt", 64 * MIB);
             DeviceBufferPool pool = DeviceBufferPool.host(MIB, 1);
             DeviceBuffer buffer = pool.acquire())
        {
            final long flipped = MIB + 300_000;
            fixture.putFlipped("obj", (int)(3 * MIB), 5, flipped);

            final Throwable cause = assertThrows(CompletionException.class,
                () -> fixture.path().read("obj", flipped - 10, 100, buffer, 0).join()).getCause();

            assertTrue(cause instanceof CorruptExtentException, String.valueOf(cause));
            assertEquals(1, fixture.path().stats().get(PathKind.HOST).readErrors());
            assertEquals(100, fixture.path().read("obj", 2 * MIB, 100, buffer, 0).join(), "other chunks still read");
        }
    }

    @Test
    void shouldWriteThroughAPutSessionAndReadTheSameBytesBack() throws Exception
    {
        try (TestStore fixture = new TestStore("dp-write", 64 * MIB);
             DeviceBufferPool pool = DeviceBufferPool.host(2 * MIB, 2))
        {
            final byte[] bytes = random((int)(1.5 * MIB) + 3, 3);
            try (DeviceBuffer src = pool.acquire(); DeviceBuffer dst = pool.acquire())
            {
                src.segment().copyFrom(MemorySegment.ofArray(bytes));

                final ObjectRecord record = fixture.path().write("written", src, bytes.length, ObjectMetadata.ofContentType("x/y"));
                fixture.path().read("written", 0, bytes.length, dst, 0).join();

                assertEquals(bytes.length, record.sizeBytes());
                assertArrayEquals(bytes, fixture.scheduled().store().getBytes("written"));
                assertArrayEquals(bytes, dst.segment().asSlice(0, bytes.length).toArray(ValueLayout.JAVA_BYTE));
                assertEquals(bytes.length, fixture.path().stats().get(PathKind.HOST).writeBytes());
            }
        }
    }

    @Test
    void shouldSelectTheHostPathOnAutoAndRefuseForcedGdsOrBounceWithTheHostsReason() throws Exception
    {
        final CudaInventory cuda = CudaInventory.collect();
        final PathChoice here = PathSelection.select(cuda, CuFileInventory.collect(cuda));
        try (TestStore fixture = new TestStore("dp-mode", 64 * MIB))
        {
            assertEquals(PathKind.HOST, fixture.path().kind());
            for (final PathMode forced : List.of(PathMode.GDS, PathMode.BOUNCE))
            {
                final ConduitException e = assertThrows(ConduitException.class,
                    () -> DataPath.open(DataPathOptions.DEFAULT.withMode(forced), fixture.scheduled()));

                assertEquals(ErrorCode.PATH_UNAVAILABLE, e.code());
                assertTrue(e.getMessage().startsWith("path.mode=" + forced.name().toLowerCase()), e.getMessage());
                assertTrue(e.getMessage().contains(here.reason()), e.getMessage() + " / " + here.reason());
            }
            try (DataPath host = DataPath.open(DataPathOptions.DEFAULT.withMode(PathMode.HOST), fixture.scheduled()))
            {
                assertEquals(PathKind.HOST, host.kind());
            }
        }
    }

    @Test
    void shouldTakeThePathModeFromTheConfiguration() throws Exception
    {
        try (TestStore fixture = new TestStore("dp-config", 64 * MIB))
        {
            final ConduitConfig forced = new ConfigLoader(Map.of(), fixture.work()).set("path.mode", "bounce").load();
            final ConduitConfig host = new ConfigLoader(Map.of("CONDUIT_PATH_MODE", "host"), fixture.work()).load();
            final ConduitConfig typo = new ConfigLoader(Map.of(), fixture.work()).set("path.mode", "gpu").load();

            assertEquals(ErrorCode.PATH_UNAVAILABLE,
                assertThrows(ConduitException.class, () -> DataPath.open(forced, fixture.scheduled())).code());
            try (DataPath path = DataPath.open(host, fixture.scheduled()))
            {
                assertEquals(PathKind.HOST, path.kind());
                assertEquals("path.mode=host", path.reason());
            }
            assertEquals(ErrorCode.CONFIG_INVALID,
                assertThrows(ConduitException.class, () -> DataPath.open(typo, fixture.scheduled())).code());

            final ConduitConfig fallback = new ConfigLoader(Map.of("CONDUIT_PATH_FALLBACK", "true"), fixture.work())
                .set("path.mode", "bounce").set("path.gdsVerify", "off").load();
            final DataPathOptions options = DataPathOptions.from(fallback);
            assertTrue(options.allowFallback());
            assertEquals(GdsVerify.OFF, options.gdsVerify());
            if (PathSelection.select(CudaInventory.collect(), CuFileInventory.collect(CudaInventory.collect())).path() == PathKind.HOST)
            {
                try (DataPath path = DataPath.open(fallback, fixture.scheduled()))
                {
                    assertEquals(PathKind.HOST, path.kind());
                    assertTrue(path.reason().contains("fell back to host"), path.reason());
                }
            }
            final ConduitConfig badFallback = new ConfigLoader(Map.of(), fixture.work()).set("path.fallback", "maybe").load();
            assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(ConduitException.class, () -> DataPathOptions.from(badFallback)).code());
        }
    }

    @Test
    void shouldResolveModesAgainstWhatTheHostServesAndFallBackOnlyWhenAllowed()
    {
        final PathChoice gpu = new PathChoice(PathKind.GDS, "libcufile driver open and a CUDA device is present: ok");
        final PathChoice cudaOnly = new PathChoice(PathKind.BOUNCE, "CUDA works but GPUDirect Storage does not: no nvidia-fs");

        assertEquals(gpu, PathMode.AUTO.resolve(gpu));
        assertEquals(PathKind.GDS, PathMode.GDS.resolve(gpu).path());
        assertEquals(PathKind.BOUNCE, PathMode.BOUNCE.resolve(gpu).path());
        final ConduitException refused = assertThrows(ConduitException.class, () -> PathMode.GDS.resolve(cudaOnly));
        assertEquals(ErrorCode.PATH_UNAVAILABLE, refused.code());
        assertTrue(refused.getMessage().contains("no nvidia-fs"), refused.getMessage());

        final PathChoice fellBack = PathMode.GDS.resolve(cudaOnly, true);
        assertEquals(PathKind.BOUNCE, fellBack.path());
        assertTrue(fellBack.reason().contains("no nvidia-fs") && fellBack.reason().contains("fell back to bounce"), fellBack.reason());
        assertEquals(PathMode.BOUNCE, PathMode.parse(" Bounce "));
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(ConduitException.class, () -> PathMode.parse("gpu")).code());
    }

    @Test
    void shouldWaitOnCloseForEveryReadInFlightAndRefuseReadsAfterwards() throws Exception
    {
        final int reads = 8;
        final long size = 8 * MIB;
        final int attempts = 5;
        try (TestStore fixture = new TestStore("dp-close", 128 * MIB);
             DeviceBufferPool pool = DeviceBufferPool.host(size, reads))
        {
            final byte[] object = random((int)size, 4);
            fixture.scheduled().store().put("big", object, ObjectMetadata.NONE);
            // A descheduled test thread can find every read already done, which would not test the wait in
            // close; each attempt uses a fresh data path over the same store until one closes with reads running.
            boolean closedWithReadsRunning = false;
            for (int attempt = 0; attempt < attempts && !closedWithReadsRunning; attempt++)
            {
                final DataPath path = DataPath.open(DataPathOptions.DEFAULT.withMode(PathMode.HOST), fixture.scheduled());
                final List<DeviceBuffer> buffers = new ArrayList<>();
                final List<CompletableFuture<Long>> done = new ArrayList<>();
                for (int i = 0; i < reads; i++)
                {
                    buffers.add(pool.acquire());
                    done.add(path.read("big", 0, size, buffers.get(i), 0));
                }
                closedWithReadsRunning = path.inFlight() > 0;

                path.close();

                assertEquals(0, path.inFlight());
                for (int i = 0; i < reads; i++)
                {
                    assertTrue(done.get(i).isDone(), "read " + i + " still running after close");
                    assertArrayEquals(object, buffers.get(i).segment().toArray(ValueLayout.JAVA_BYTE));
                    buffers.get(i).close();
                }
                try (DeviceBuffer late = pool.acquire())
                {
                    assertEquals(ErrorCode.SHUTDOWN, assertThrows(ConduitException.class,
                        () -> path.read("big", 0, 10, late, 0)).code());
                }
            }
            assertTrue(closedWithReadsRunning, "no attempt of " + attempts + " closed while reads were running");
        }
    }

    private static ErrorCode code(final CompletableFuture<Long> future)
    {
        final Throwable cause = assertThrows(Exception.class, future::join).getCause();
        assertTrue(cause instanceof ConduitException, String.valueOf(cause));
        return ((ConduitException)cause).code();
    }

    private static byte[] random(final int size, final long seed)
    {
        final byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
