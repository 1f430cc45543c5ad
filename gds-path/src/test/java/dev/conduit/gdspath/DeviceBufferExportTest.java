package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.nativebindings.cuda.CudaIpcHandle;
import dev.conduit.nativebindings.cuda.CudaIpcMapping;
import dev.conduit.nativebindings.dlpack.DlDataType;
import dev.conduit.nativebindings.dlpack.DlManagedTensors;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.gdspath.GpuDoubles.random;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device buffer pools (slabs, IPC) and handing buffers to a framework: DLPack and CUDA IPC, through the doubles. */
@Timeout(60)
class DeviceBufferExportTest
{
    private static final long MIB = 1 << 20;

    @BeforeEach
    void setUp()
    {
        GpuDoubles.reset();
    }

    @Test
    void shouldCutDeviceBuffersFromFewSlabsThatTheHostCannotDereference()
    {
        try (GpuRuntime gpu = GpuDoubles.withoutGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, 100_000, 10, 4 * MIB))
        {
            assertEquals(10 * 102_400L, CudaDoubleControl.allocatedBytes());
            assertEquals(1, pool.slabCount());
            try (DeviceBuffer a = pool.acquire();
                 DeviceBuffer b = pool.acquire())
            {
                assertEquals(MemoryKind.DEVICE, a.kind());
                assertEquals(0, a.deviceOrdinal());
                assertEquals(102_400, b.devicePointer().address() - a.devicePointer().address());
                assertEquals(ErrorCode.MEMORY_KIND_UNSUPPORTED, assertThrows(ConduitException.class, a::segment).code());
            }
        }
        assertEquals(0, CudaDoubleControl.allocatedBytes());
    }

    @Test
    void shouldReturnTheBufferToThePoolWhenTheConsumerCallsTheDlPackDeleter() throws Exception
    {
        try (GpuRuntime gpu = GpuDoubles.withoutGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, MIB, 2))
        {
            final DeviceBuffer buffer = pool.acquire();
            final MemorySegment tensor = buffer.exportDlPack(4096, new long[] {256, 1024}, DlDataType.FLOAT16).reinterpret(64);
            assertEquals(1, pool.available());
            assertEquals(buffer.devicePointer().address(), tensor.get(JAVA_LONG, 0));
            assertEquals(DlManagedTensors.DEVICE_CUDA, tensor.get(JAVA_INT, 8));
            assertEquals(4096, tensor.get(JAVA_LONG, 40));
            assertEquals(1024, tensor.get(ADDRESS, 24).reinterpret(16).get(JAVA_LONG, 8));

            DlManagedTensors.callDeleter(tensor);                 // what PyTorch does when the tensor dies

            assertFalse(buffer.isLent());
            assertEquals(2, pool.available());
        }
    }

    @Test
    void shouldRefuseATensorThatDoesNotFitItsBuffer()
    {
        try (GpuRuntime gpu = GpuDoubles.withoutGds();
             DeviceBufferPool pool = DeviceBufferPool.device(gpu, MIB, 1);
             DeviceBuffer buffer = pool.acquire())
        {
            assertEquals(ErrorCode.TENSOR_SHAPE_INVALID, assertThrows(ConduitException.class,
                () -> buffer.exportDlPack(0, new long[] {1024, 1024}, DlDataType.FLOAT32)).code());
            assertEquals(ErrorCode.TENSOR_SHAPE_INVALID, assertThrows(ConduitException.class,
                () -> buffer.exportDlPack(2, new long[] {16}, DlDataType.FLOAT32)).code());
            assertTrue(buffer.isLent());
        }
    }

    @Test
    void shouldExportIpcBuffersThatAnImporterMapsAndSeesTheBytesOf() throws Exception
    {
        final byte[] object = random((int)MIB, 21);
        try (TestStore fixture = new TestStore("ipc", 64 * MIB);
             GpuRuntime gpu = GpuDoubles.withoutGds();
             DeviceBufferPool ipc = DeviceBufferPool.ipc(gpu, MIB, 2);
             DeviceBufferPool plain = DeviceBufferPool.device(gpu, MIB, 1))
        {
            assertEquals(2, ipc.slabCount());
            fixture.scheduled().store().put("obj", object, ObjectMetadata.NONE);
            try (DataPath path = DataPath.open(DataPathOptions.DEFAULT, fixture.scheduled(), gpu);
                 DeviceBuffer buffer = ipc.acquire();
                 DeviceBuffer notExportable = plain.acquire())
            {
                path.read("obj", 0, object.length, buffer, 0).join();
                final CudaIpcHandle handle = buffer.exportIpc();

                gpu.makeCurrent();
                try (CudaIpcMapping mapping = gpu.context().openIpc(new CudaIpcHandle(handle.bytes()));
                     Arena arena = Arena.ofConfined())
                {
                    final MemorySegment seen = arena.allocate(object.length);
                    gpu.driver().copyToHost(mapping.pointer(), seen);
                    assertArrayEquals(object, seen.toArray(JAVA_BYTE));
                }
                assertEquals(ErrorCode.MEMORY_KIND_UNSUPPORTED,
                    assertThrows(ConduitException.class, notExportable::exportIpc).code());
            }
        }
        assertEquals(0, CudaDoubleControl.violations());
    }
}
