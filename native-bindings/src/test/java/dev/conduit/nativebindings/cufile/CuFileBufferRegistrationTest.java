package dev.conduit.nativebindings.cufile;

import dev.conduit.nativebindings.cuda.DeviceMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** cuFileBufRegister/Deregister rules: once per base, within the allocation, within the pinned budget. */
@Timeout(30)
class CuFileBufferRegistrationTest
{
    private GpuFixture gpu;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-buffer");
    }

    @AfterEach
    void tearDown()
    {
        gpu.close();
    }

    @Test
    void shouldRegisterOnceAndDeregister()
    {
        final DeviceMemory mem = gpu.device(8192);
        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileBufferRegistration reg = driver.register(CuFileBuffer.of(mem), CuFileConstants.RDMA_REGISTER);
            final CuFileException again = assertThrows(CuFileException.class, () -> driver.register(CuFileBuffer.of(mem), 0));
            assertEquals("CU_FILE_MEMORY_ALREADY_REGISTERED", again.nativeName());
            reg.close();
            reg.close();

            final CuFileException gone = assertThrows(CuFileException.class,
                () -> CuFileResults.check(gpu.library, gpu.library.bufDeregister(CuFileBuffer.of(mem).base()), "cuFileBufDeregister"));
            assertEquals("CU_FILE_MEMORY_NOT_REGISTERED", gone.nativeName());
        }
    }

    @Test
    void shouldRefuseARangeBeyondTheAllocation()
    {
        final DeviceMemory mem = gpu.device(4096);
        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileException e = assertThrows(CuFileException.class,
                () -> driver.register(CuFileBuffer.of(mem.pointer(), 8192), 0));
            assertEquals("CU_FILE_CUDA_POINTER_RANGE_ERROR", e.nativeName());
        }
    }

    @Test
    void shouldRefuseMoreThanThePinnedMemoryBudget()
    {
        CuFileSettings.of(gpu.library).setMaxPinnedMemorySizeKb(8);
        final DeviceMemory a = gpu.device(8192);
        final DeviceMemory b = gpu.device(4096);
        try (CuFileDriver driver = CuFileDriver.open(gpu.library);
             CuFileBufferRegistration first = driver.register(CuFileBuffer.of(a), 0))
        {
            final CuFileException e = assertThrows(CuFileException.class, () -> driver.register(CuFileBuffer.of(b), 0));
            assertEquals("CU_FILE_GPU_MEMORY_PINNING_FAILED", e.nativeName());
            assertEquals(first.buffer(), CuFileBuffer.of(a));
        }
    }

    @Test
    void shouldRefuseUnknownFlags()
    {
        final DeviceMemory mem = gpu.device(4096);
        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileException e = assertThrows(CuFileException.class, () -> driver.register(CuFileBuffer.of(mem), 8));
            assertEquals("CU_FILE_INVALID_VALUE", e.nativeName());
            assertEquals("cuFileBufRegister(" + CuFileBuffer.of(mem) + ", flags=8)", e.operation());
        }
    }
}
