package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CUDA IPC export and import through libcuda_double.so, and the double's base-pointer and lifetime rules. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CudaIpcTest
{
    private CudaDriver cuda;
    private CudaContext context;

    @BeforeEach
    void setUp()
    {
        CudaDoubleControl.reset();
        cuda = CudaDriver.load().orElseThrow();
        cuda.init();
        context = cuda.device(0).retainPrimaryContext();
    }

    @AfterEach
    void tearDown()
    {
        context.close();
    }

    @Test
    void shouldSeeTheExportersBytesThroughAnImportedMapping()
    {
        context.makeCurrent();           // the test body runs on its own (timeout) thread
        try (Arena arena = Arena.ofConfined();
             DeviceMemory memory = context.allocate(8192))
        {
            final MemorySegment written = arena.allocate(8192);
            for (int i = 0; i < 8192; i++)
            {
                written.set(JAVA_BYTE, i, (byte)(i * 7));
            }
            cuda.copyToDevice(written, memory.pointer());
            final CudaIpcHandle handle = memory.exportIpc();
            assertEquals(128, handle.toHex().length());

            final MemorySegment read = arena.allocate(8192);
            try (CudaIpcMapping mapping = context.openIpc(new CudaIpcHandle(handle.bytes())))
            {
                assertNotEquals(memory.pointer(), mapping.pointer());
                cuda.copyToHost(mapping.pointer(), read);
            }
            assertArrayEquals(written.toArray(JAVA_BYTE), read.toArray(JAVA_BYTE));
        }
        assertEquals(0, CudaDoubleControl.violations());
    }

    @Test
    void shouldRefuseToExportAnInteriorPointer()
    {
        context.makeCurrent();           // the test body runs on its own (timeout) thread
        try (DeviceMemory memory = context.allocate(8192))
        {
            final CudaException e = assertThrows(CudaException.class,
                () -> cuda.check(cuda.raw().ipcGetMemHandle(Arena.ofAuto().allocate(CudaLayouts.CU_IPC_MEM_HANDLE),
                    memory.pointer(4096).address()), "cuIpcGetMemHandle"));
            assertEquals("CUDA_ERROR_INVALID_VALUE", e.nativeName());
        }
    }

    @Test
    void shouldCountFreeingAnAllocationWhileAnImporterHasItMapped()
    {
        context.makeCurrent();           // the test body runs on its own (timeout) thread
        final DeviceMemory memory = context.allocate(4096);
        final long address = memory.pointer().address();
        final CudaIpcMapping mapping = context.openIpc(memory.exportIpc());

        assertThrows(CudaException.class, memory::close);
        assertEquals(1, CudaDoubleControl.violations());

        mapping.close();
        cuda.check(cuda.raw().memFree(address), "cuMemFree_v2");
    }
}
