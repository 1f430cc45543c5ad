package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DataPathOptions;
import dev.conduit.gdspath.GpuDoubles;
import dev.conduit.gdspath.GpuRuntime;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.PathMode;
import dev.conduit.nativebindings.dlpack.DlManagedTensors;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader on the GPU paths, through the CUDA and cuFile TEST DOUBLES (no GPU here): the ring is
 * device memory the host cannot dereference, every sample is checked after a device-to-host copy,
 * and a batch goes to a framework as a DLPack tensor whose deleter gives its buffer back.
 */
@Timeout(300)
class LoaderDeviceRingTest
{
    private static final long MIB = 1L << 20;
    private static LoaderStore store;
    private static LoaderDataset dataset;

    @BeforeAll
    static void writeDataset() throws Exception
    {
        store = new LoaderStore("loader-gpu");
        dataset = store.dataset();
    }

    @AfterAll
    static void deleteDataset() throws Exception
    {
        store.close();
    }

    @BeforeEach
    void resetDoubles()
    {
        GpuDoubles.reset();
    }

    @Test
    void shouldFillADeviceRingThroughTheBouncePathWithEverySampleOncePerEpoch()
    {
        try (GpuRuntime gpu = GpuDoubles.withoutGds())
        {
            final DataPath path = open(gpu, PathMode.BOUNCE);
            readTwoEpochsOnTheDevice(gpu, path);
            assertTrue(path.stats().get(PathKind.BOUNCE).reads() > 0, "reads took the bounce path");
            assertEquals(0, path.stats().get(PathKind.HOST).reads(), "no read into host memory");
        }
        assertDeviceMemoryClean();
    }

    @Test
    void shouldFillADeviceRingThroughCuFileBatchesOnTheGdsPath()
    {
        try (GpuRuntime gpu = GpuDoubles.withGds())
        {
            final DataPath path = open(gpu, PathMode.GDS);
            assertEquals(PathKind.GDS, path.kind());
            readTwoEpochsOnTheDevice(gpu, path);
            // Runs widened to whole 1 MiB chunks are above the 64 KiB bounce threshold: DMA'd by cuFile.
            assertTrue(path.stats().get(PathKind.GDS).reads() > 0, "reads went through cuFile");
            assertEquals(0, path.stats().get(PathKind.HOST).reads(), "no read into host memory");
        }
        assertDeviceMemoryClean();
    }

    @Test
    void shouldFailTheLoaderWithTheCuFileErrorOfAFailedBatchEntryAndFreeTheRing()
    {
        final int eio = 5;
        try (GpuRuntime gpu = GpuDoubles.withGds())
        {
            final DataPath path = open(gpu, PathMode.GDS);
            try (path;
                 Loader loader = store.open(options(), path))
            {
                CuFileDoubleControl.FULL.failBatchEntry(3, eio);
                ConduitException failed = null;
                for (int i = 0; i < 2 * loader.batchesPerEpoch() && failed == null; i++)
                {
                    try (Batch batch = loader.next())
                    {
                        dataset.checkAndKeys(batch, e -> onDevice(gpu, batch, e));
                    }
                    catch (final ConduitException e)
                    {
                        failed = e;
                    }
                }
                assertTrue(failed != null, "the failed entry's batch failed next()");
                assertEquals(ErrorCode.GPU_IO_FAILED, failed.code());
                assertTrue(failed.getMessage().contains("-" + eio), failed.getMessage());
                assertEquals(failed, assertThrows(ConduitException.class, loader::next), "the loader stays failed");
                assertEquals(1, path.stats().get(PathKind.GDS).readErrors(), "one read failed, the others completed");
            }
        }
        assertDeviceMemoryClean();
    }

    @Test
    void shouldGiveTheBufferBackToTheRingWhenTheFrameworkDeletesTheBatchTensor()
    {
        try (GpuRuntime gpu = GpuDoubles.withoutGds())
        {
            final DataPath path = open(gpu, PathMode.BOUNCE);
            try (path;
                 Loader loader = store.open(options().ringSize(3).prefetchDepth(2), path))
            {
                final List<MemorySegment> tensors = new ArrayList<>();
                final List<Long> epochsAndIndexes = new ArrayList<>();
                for (int i = 0; i < 3; i++)
                {
                    final Batch batch = loader.next();
                    epochsAndIndexes.add(batch.indexInEpoch());
                    final MemorySegment tensor = batch.exportDlPack().reinterpret(64);
                    assertEquals(batch.buffer().devicePointer().address(), tensor.get(JAVA_LONG, 0), "data: the ring buffer");
                    assertEquals(DlManagedTensors.DEVICE_CUDA, tensor.get(JAVA_INT, 8));
                    tensors.add(tensor);
                }
                assertEquals(List.of(0L, 1L, 2L), epochsAndIndexes);
                assertEquals(0, loader.freeBuffers(), "the framework holds the whole ring");

                DlManagedTensors.callDeleter(tensors.getFirst());       // what PyTorch does when the tensor dies

                // The buffer went back and the loader refilled it: the next batch arrives without any close().
                try (Batch fourth = loader.next())
                {
                    assertEquals(3, fourth.indexInEpoch());
                    dataset.checkAndKeys(fourth, e -> onDevice(gpu, fourth, e));
                }
                tensors.subList(1, tensors.size()).forEach(DlManagedTensors::callDeleter);
            }
            assertEquals(0, DlManagedTensors.deleterFailures());
        }
        assertEquals(0, CudaDoubleControl.allocatedBytes(), "the ring's device memory was freed");
    }

    @Test
    void shouldKeepTheRingInHostMemoryWhenAskedAndReadItOnTheHostPath()
    {
        try (GpuRuntime gpu = GpuDoubles.withoutGds())
        {
            final DataPath path = open(gpu, PathMode.BOUNCE);
            try (path;
                 Loader loader = store.open(options().hostRing(true), path))
            {
                for (int i = 0; i < loader.batchesPerEpoch(); i++)
                {
                    try (Batch batch = loader.next())
                    {
                        assertEquals(MemoryKind.HOST, batch.buffer().kind());
                        dataset.checkAndKeys(batch);
                    }
                }
                assertEquals(0, path.stats().get(PathKind.BOUNCE).reads());
                assertTrue(path.stats().get(PathKind.HOST).reads() > 0);
            }
        }
    }

    @Test
    void shouldRefuseDeferredVerificationOnADeviceRing()
    {
        try (GpuRuntime gpu = GpuDoubles.withoutGds();
             DataPath path = open(gpu, PathMode.BOUNCE))
        {
            final ConduitException refused = assertThrows(ConduitException.class,
                () -> store.open(options().deferVerification(true), path));
            assertEquals(ErrorCode.CONFIG_INVALID, refused.code());
            assertTrue(refused.getMessage().contains("device memory"), refused.getMessage());
        }
        assertEquals(0, CudaDoubleControl.allocatedBytes(), "nothing left allocated by the refused open");
    }

    private static void readTwoEpochsOnTheDevice(final GpuRuntime gpu, final DataPath path)
    {
        final List<String> seen = new ArrayList<>();
        try (path;
             Loader loader = store.open(options(), path))
        {
            for (int i = 0; i < 2 * loader.batchesPerEpoch(); i++)
            {
                try (Batch batch = loader.next())
                {
                    assertEquals(MemoryKind.DEVICE, batch.buffer().kind());
                    assertEquals(ErrorCode.MEMORY_KIND_UNSUPPORTED, assertThrows(ConduitException.class,
                        () -> batch.bytes(batch.entries().getFirst())).code(), "device memory has no host view");
                    final List<String> keys = dataset.checkAndKeys(batch,
                        e -> onDevice(gpu, batch, e));
                    keys.stream().filter(k -> !k.startsWith("+")).forEach(seen::add);
                }
            }
        }
        final int total = dataset.sampleKeys().size();
        assertEquals(2 * total, seen.size(), "every sample once per epoch");
        assertEquals(new HashSet<>(dataset.sampleKeys()), new HashSet<>(seen));
    }

    private static DataPath open(final GpuRuntime gpu, final PathMode mode)
    {
        return DataPath.open(DataPathOptions.DEFAULT.withMode(mode), store.scheduled(), gpu);
    }

    private static byte[] onDevice(final GpuRuntime gpu, final Batch batch, final BatchEntry entry)
    {
        return GpuDoubles.deviceBytes(gpu, batch.buffer(), entry.offsetBytes(), (int)entry.lengthBytes());
    }

    /** No device pointer reached host code or the kernel, nothing was freed while in use, the ring was freed. */
    private static void assertDeviceMemoryClean()
    {
        assertEquals(0, CudaDoubleControl.violations(), "violations counted by the double");
        assertEquals(0, CudaDoubleControl.allocatedBytes(), "device memory left allocated");
    }

    private static LoaderOptions options()
    {
        return new LoaderOptions().prefix(LoaderDataset.PREFIX).batchSize(5).bufferBytes(4 * MIB).ringSize(3).prefetchDepth(2)
            .blockSamples(4).lastBatch(LastBatch.PAD);
    }
}
