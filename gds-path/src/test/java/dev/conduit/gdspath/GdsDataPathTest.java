package dev.conduit.gdspath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.cufile.CuFileStats;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.gdspath.GpuDoubles.deviceBytes;
import static dev.conduit.gdspath.GpuDoubles.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GDS path end to end on a real store, through the cuFile and CUDA test doubles. */
@Timeout(120)
class GdsDataPathTest
{
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final int EIO = 5;

    @BeforeEach
    void setUp()
    {
        GpuDoubles.reset();
    }

    @Test
    void shouldReadByteExactThroughCuFileBatchesAndBounceSmallReads() throws Exception
    {
        final byte[] object = random((int)(5 * MIB) + 4321, 11);
        try (TestStore fixture = new TestStore("gds-exact", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, 6 * MIB, 2))
        {
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            try (DataPath path = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.OFF), fixture.scheduled(), gpu);
                 DeviceBuffer buffer = pool.acquire())
            {
                assertEquals(PathKind.GDS, path.kind());
                final long[][] ranges = {{0, object.length}, {4096, 2 * MIB}, {12_345, 1_000_000}, {object.length - 100_000, 100_000}};
                for (final long[] r : ranges)
                {
                    assertEquals(r[1], path.read("obj", r[0], r[1], buffer, 8192).join());
                    assertArrayEquals(Arrays.copyOfRange(object, (int)r[0], (int)(r[0] + r[1])),
                        deviceBytes(gpu, buffer, 8192, (int)r[1]), "range " + r[0] + "+" + r[1]);
                }
                path.read("obj", 77, 1000, buffer, 0).join();                       // below 64 KiB: bounce
                assertArrayEquals(Arrays.copyOfRange(object, 77, 1077), deviceBytes(gpu, buffer, 0, 1000));

                assertEquals(ranges.length, path.stats().get(PathKind.GDS).reads());
                assertEquals(1, path.stats().get(PathKind.BOUNCE).reads());
                assertTrue(CudaDoubleControl.callCount("cuMemcpyHtoDAsync_v2") > 0);
                final long agentCpuNs = path.stats().get(PathKind.GDS).engineCpuNs();
                assertTrue(agentCpuNs > 0 && path.stats().get(PathKind.BOUNCE).engineCpuNs() > 0, "agent threads' CPU time");
                path.close();
                assertTrue(path.stats().get(PathKind.GDS).engineCpuNs() >= agentCpuNs, "kept after the agent ended");
            }
        }
        assertEquals(0, CudaDoubleControl.violations());
        assertEquals(0, CudaDoubleControl.allocatedBytes());
    }

    @Test
    void shouldRegisterHandlesAndSlabsOnceAndHitTheCacheAfter() throws Exception
    {
        final byte[] object = random((int)MIB, 12);
        try (TestStore fixture = new TestStore("gds-cache", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, MIB, 4))
        {
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            final long handlesBefore = CuFileDoubleControl.FULL.callCount("cuFileHandleRegister");
            final long bufsBefore = CuFileDoubleControl.FULL.callCount("cuFileBufRegister");
            final long deregBefore = CuFileDoubleControl.FULL.callCount("cuFileBufDeregister");
            final long handleDeregBefore = CuFileDoubleControl.FULL.callCount("cuFileHandleDeregister");
            final int reads = 12;
            try (DataPath path = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.OFF), fixture.scheduled(), gpu))
            {
                final GdsEngine engine = (GdsEngine)path.engine();
                for (int i = 0; i < reads; i++)
                {
                    try (DeviceBuffer buffer = pool.acquire())
                    {
                        path.read("obj", 0, object.length, buffer, 0).join();
                        assertArrayEquals(object, deviceBytes(gpu, buffer, 0, object.length));
                    }
                }
                assertEquals(fixture.scheduled().targets().size(),
                    CuFileDoubleControl.FULL.callCount("cuFileHandleRegister") - handlesBefore);
                assertEquals(pool.slabCount(), CuFileDoubleControl.FULL.callCount("cuFileBufRegister") - bufsBefore);
                assertEquals(1, engine.registered().registrations());
                assertTrue(engine.registered().hits() >= reads - 1, "hits " + engine.registered().hits());
            }
            assertEquals(pool.slabCount(), CuFileDoubleControl.FULL.callCount("cuFileBufDeregister") - deregBefore);
            assertEquals(fixture.scheduled().targets().size(), CuFileDoubleControl.FULL.callCount("cuFileHandleDeregister") - handleDeregBefore);
        }
    }

    @Test
    void shouldFailOnlyTheReadWhoseBatchEntryFailed() throws Exception
    {
        final int reads = 6;
        final int failing = 3;
        final byte[] object = random((int)(256 * KIB), 13);
        try (TestStore fixture = new TestStore("gds-fail", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, 256 * KIB, reads))
        {
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            try (DataPath path = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.OFF), fixture.scheduled(), gpu))
            {
                CuFileDoubleControl.FULL.holdBatches(true);        // all entries queue up, then complete newest first
                CuFileDoubleControl.FULL.failBatchEntry(failing, EIO);
                final List<DeviceBuffer> buffers = new ArrayList<>();
                final List<ReadSpec> specs = new ArrayList<>();
                for (int i = 0; i < reads; i++)
                {
                    buffers.add(pool.acquire());
                    specs.add(new ReadSpec("obj", 0, object.length, buffers.get(i), 0));
                }
                final List<CompletableFuture<Long>> done = path.readAll(specs);
                CuFileDoubleControl.FULL.holdBatches(false);
                for (int i = 0; i < reads; i++)
                {
                    if (i == failing)
                    {
                        final CompletionException e = assertThrows(CompletionException.class, done.get(i)::join);
                        final ConduitException cause = assertInstanceOf(ConduitException.class, e.getCause());
                        assertEquals(ErrorCode.GPU_IO_FAILED, cause.code());
                        assertTrue(cause.getMessage().contains("result -" + EIO), cause.getMessage());
                    }
                    else
                    {
                        assertEquals(object.length, done.get(i).join());
                        assertArrayEquals(object, deviceBytes(gpu, buffers.get(i), 0, object.length), "read " + i);
                    }
                    buffers.get(i).close();
                }
                assertEquals(1, path.stats().get(PathKind.GDS).readErrors());
            }
        }
    }

    @Test
    void shouldCheckGdsReadsAgainstAHostShadowWhenAsked() throws Exception
    {
        final byte[] object = random((int)MIB, 14);
        try (TestStore fixture = new TestStore("gds-shadow", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, MIB, 1))
        {
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            for (final GdsVerify verify : GdsVerify.values())
            {
                final long dtohBefore = CudaDoubleControl.callCount("cuMemcpyDtoH_v2");
                try (DataPath path = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(verify), fixture.scheduled(), gpu);
                     DeviceBuffer buffer = pool.acquire())
                {
                    path.read("obj", 100, object.length - 100, buffer, 0).join();
                }
                final long shadowCopies = CudaDoubleControl.callCount("cuMemcpyDtoH_v2") - dtohBefore;
                assertEquals(verify == GdsVerify.HOST_SHADOW ? 1 : 0, shadowCopies, verify.name());
            }
        }
    }

    @Test
    void shouldWaitOnCloseForBatchEntriesInFlightBeforeFreeingAnything() throws Exception
    {
        final byte[] object = random((int)(2 * MIB), 15);
        try (TestStore fixture = new TestStore("gds-close", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, 2 * MIB, 3))
        {
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            final DataPath path = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.OFF), fixture.scheduled(), gpu);
            CuFileDoubleControl.FULL.holdBatches(true);
            final List<DeviceBuffer> buffers = new ArrayList<>();
            final List<CompletableFuture<Long>> reads = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                buffers.add(pool.acquire());
                reads.add(path.read("obj", 0, object.length, buffers.get(i), 0));
            }
            final Thread closer = Thread.ofPlatform().start(path::close);
            closer.join(300);
            assertTrue(closer.isAlive(), "close returned while batch entries were held in flight");
            for (final CompletableFuture<Long> r : reads)
            {
                assertFalse(r.isDone());
            }

            CuFileDoubleControl.FULL.holdBatches(false);
            closer.join();

            for (int i = 0; i < 3; i++)
            {
                assertEquals(object.length, reads.get(i).join());
                assertArrayEquals(object, deviceBytes(gpu, buffers.get(i), 0, object.length));
                buffers.get(i).close();
            }
        }
        assertEquals(0, CudaDoubleControl.violations(), "device memory freed while a batch entry used it");
    }

    @Test
    void shouldRefuseForcedGdsWithoutCuFileAndFallBackToBounceOnlyWhenAllowed() throws Exception
    {
        try (TestStore fixture = new TestStore("gds-forced", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withoutGds())
        {
            final DataPathOptions gds = DataPathOptions.DEFAULT.withMode(PathMode.GDS);
            final ConduitException e = assertThrows(ConduitException.class, () -> DataPath.open(gds, fixture.scheduled(), gpu));
            assertEquals(ErrorCode.PATH_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("no libcufile"), e.getMessage());

            try (DataPath path = DataPath.open(gds.withFallback(true), fixture.scheduled(), gpu))
            {
                assertEquals(PathKind.BOUNCE, path.kind());
                assertTrue(path.reason().contains("fell back to bounce") && path.reason().contains("no libcufile"), path.reason());
            }
            try (DataPath auto = DataPath.open(DataPathOptions.DEFAULT, fixture.scheduled(), gpu))
            {
                assertEquals(PathKind.BOUNCE, auto.kind());
            }
        }
    }

    @Test
    void shouldCatchAByteFlippedOnDiskOnTheBounceCopyAndTheGdsShadowButNotWithVerifyOff() throws Exception
    {
        final byte[] object = random((int)(2 * MIB), 16);
        try (TestStore fixture = new TestStore("gpu-corrupt", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, 2 * MIB, 1))
        {
            final ObjectRecord record = fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            fixture.flipByte(record, MIB + 1000);
            try (DeviceBuffer buffer = pool.acquire())
            {
                for (final DataPathOptions options : List.of(DataPathOptions.DEFAULT.withMode(PathMode.BOUNCE),
                    DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.HOST_SHADOW)))
                {
                    try (DataPath path = DataPath.open(options, fixture.scheduled(), gpu))
                    {
                        final Throwable cause = assertThrows(CompletionException.class,
                            () -> path.read("obj", MIB, MIB, buffer, 0).join()).getCause();
                        assertInstanceOf(CorruptExtentException.class, cause, path.kind().label());
                        assertEquals(MIB, path.read("obj", 0, MIB, buffer, 0).join(), "the other chunk still reads");
                    }
                }
                try (DataPath trusting = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.OFF), fixture.scheduled(), gpu))
                {
                    assertEquals(MIB, trusting.read("obj", MIB, MIB, buffer, 0).join());
                    final byte[] landed = deviceBytes(gpu, buffer, 0, (int)MIB);
                    assertEquals((byte)(object[(int)MIB + 1000] ^ 0x40), landed[1000], "verify=off passes the flipped byte on");
                }
            }
        }
    }

    @Test
    void shouldWriteACheckpointWithCuFileBatchWritesAndTheStoresChecksums() throws Exception
    {
        final byte[] object = random((int)(3 * MIB) + 1234, 17);                 // a tail under one block
        final long directBytes = object.length & -4096L;
        try (TestStore fixture = new TestStore("gds-write", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, 4 * MIB, 1))
        {
            final ObjectRecord reference = fixture.scheduled().store().put("src", object, ObjectMetadata.NONE);
            final CuFileStats stats = gpu.cufile().orElseThrow().stats();
            stats.setLevel(1);
            stats.start();
            for (final GdsVerify verify : GdsVerify.values())
            {
                final String key = "ckpt-" + verify.name();
                try (DataPath path = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(verify).withBounceRing(2, MIB, 1),
                    fixture.scheduled(), gpu);
                     DeviceBuffer buffer = pool.acquire())
                {
                    path.read("src", 0, object.length, buffer, 0).join();
                    final long writtenBefore = stats.level1().writeBytes();
                    final long freeBefore = fixture.scheduled().store().space().freeBytes();
                    final long dtohBefore = CudaDoubleControl.callCount("cuMemcpyDtoH_v2");
                    final ObjectRecord record = path.write(key, buffer, object.length, ObjectMetadata.NONE);

                    assertEquals(directBytes, stats.level1().writeBytes() - writtenBefore, "whole blocks by cuFile");
                    assertEquals(4, CudaDoubleControl.callCount("cuMemcpyDtoH_v2") - dtohBefore, "one host copy per staging MiB");
                    assertTrue(fixture.scheduled().store().space().freeBytes() < freeBefore);
                    assertArrayEquals(reference.etagBytes(), record.etagBytes(), "ETag: the MD5 of the bytes");
                    assertEquals(reference.chunkCount(), record.chunkCount());
                    for (int i = 0; i < record.chunkCount(); i++)
                    {
                        assertEquals(reference.chunkCrc(i), record.chunkCrc(i), "CRC-32C of chunk " + i);
                    }
                    assertEquals(object.length, path.stats().get(PathKind.GDS).writeBytes());
                    assertTrue(path.stats().get(PathKind.GDS).submitCpuNs() > 0, "the writing thread's checksum pass");
                }
                assertArrayEquals(object, fixture.scheduled().store().getBytes(key), verify.name());
            }
        }
        assertEquals(0, CudaDoubleControl.violations());
    }

    @Test
    void shouldPublishNoGdsWriteWhoseEntryFailedOrWhoseBytesLandedWrongUnderTheShadow() throws Exception
    {
        final byte[] object = random((int)(2 * MIB), 19);
        try (TestStore fixture = new TestStore("gds-write-corrupt", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, 2 * MIB, 1);
             DeviceBuffer buffer = pool.acquire())
        {
            fixture.scheduled().store().put("src", object, ObjectMetadata.NONE);
            try (DataPath path = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.OFF), fixture.scheduled(), gpu))
            {
                path.read("src", 0, object.length, buffer, 0).join();
                final long freeBefore = fixture.scheduled().store().space().freeBytes();
                CuFileDoubleControl.FULL.failBatchEntry(0, EIO);       // the next entry submitted: the write's first
                final ConduitException e = assertThrows(ConduitException.class,
                    () -> path.write("ckpt", buffer, object.length, ObjectMetadata.NONE));
                assertEquals(ErrorCode.GPU_IO_FAILED, e.code());
                assertTrue(e.getMessage().contains("cuFile batch write"), e.getMessage());
                assertTrue(fixture.scheduled().store().find("ckpt").isEmpty(), "a failed entry: nothing published");
                assertEquals(freeBefore, fixture.scheduled().store().space().freeBytes(), "the extents were freed");
                assertEquals(0, path.inFlight());
            }
            try (DataPath shadow = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.HOST_SHADOW), fixture.scheduled(), gpu))
            {
                CuFileDoubleControl.FULL.corruptBatchWrite(0);
                final ConduitException e = assertThrows(ConduitException.class,
                    () -> shadow.write("ckpt", buffer, object.length, ObjectMetadata.NONE));
                assertEquals(ErrorCode.GPU_IO_FAILED, e.code());
                assertTrue(e.getMessage().contains("differs from the device buffer"), e.getMessage());
                assertTrue(fixture.scheduled().store().find("ckpt").isEmpty(), "nothing published");
            }
            try (DataPath trusting = DataPath.open(DataPathOptions.DEFAULT.withGdsVerify(GdsVerify.OFF), fixture.scheduled(), gpu))
            {
                CuFileDoubleControl.FULL.corruptBatchWrite(0);
                trusting.write("ckpt", buffer, object.length, ObjectMetadata.NONE);
            }
            // verify=off took the checksums from the device copy: the store's verified read catches the flipped byte.
            assertThrows(CorruptExtentException.class, () -> fixture.scheduled().store().getBytes("ckpt"));
        }
        assertEquals(0, CudaDoubleControl.violations());
    }
}
