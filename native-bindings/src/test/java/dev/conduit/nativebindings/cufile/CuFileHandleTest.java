package dev.conduit.nativebindings.cufile;

import java.lang.foreign.MemorySegment;
import java.util.List;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import dev.conduit.nativebindings.cuda.DeviceMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handle registration rules and synchronous/vector IO through the cuFile double, device memory being host memory. */
@Timeout(30)
class CuFileHandleTest
{
    private static final int O_APPEND = 02000;
    private static final int DIRECT_RW = LibC.O_RDWR | LibC.O_DIRECT;

    private GpuFixture gpu;
    private CuFileDriver driver;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-handle");
        driver = CuFileDriver.open(gpu.library);
    }

    @AfterEach
    void tearDown()
    {
        gpu.close();
    }

    @Test
    void shouldWriteFromAndReadIntoDeviceMemoryWithODirect()
    {
        final MemorySegment data = gpu.pattern(64 * 1024, 1);
        final DeviceMemory source = gpu.deviceWith(data);
        final DeviceMemory target = gpu.device(64 * 1024);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW)))
        {
            assertEquals(64 * 1024, file.write(CuFileBuffer.of(source), 0, 64 * 1024, 0));
            assertEquals(64 * 1024, file.read(CuFileBuffer.of(target), 0, 64 * 1024, 0));
        }
        assertEquals(-1, gpu.read(target, 0, 64 * 1024).mismatch(data));
    }

    @Test
    void shouldReadThroughARegisteredBufferAtAnOffset()
    {
        final MemorySegment data = gpu.pattern(16384, 2);
        final DeviceMemory target = gpu.device(32768);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW));
             CuFileBufferRegistration reg = driver.register(CuFileBuffer.of(target), 0))
        {
            file.write(CuFileBuffer.of(gpu.deviceWith(data)), 0, 16384, 8192);
            assertEquals(16384, file.read(reg.buffer(), 12288, 16384, 8192));
        }
        assertEquals(-1, gpu.read(target, 12288, 16384).mismatch(data));
    }

    @Test
    void shouldHandleUnalignedOffsetsAndSizes()
    {
        final MemorySegment data = gpu.pattern(1000, 3);
        final DeviceMemory device = gpu.deviceWith(data);
        final DeviceMemory back = gpu.device(4096);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW)))
        {
            assertEquals(1000, file.write(CuFileBuffer.of(device), 0, 1000, 4099));
            assertEquals(1000, file.read(CuFileBuffer.of(back), 7, 1000, 4099));
        }
        assertEquals(-1, gpu.read(back, 7, 1000).mismatch(data));
    }

    @Test
    void shouldReadIntoHostMemoryAndStopAtEndOfFile()
    {
        final MemorySegment data = gpu.pattern(8192, 4);
        final MemorySegment host = gpu.arena.allocate(16384, 4096);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW)))
        {
            file.write(CuFileBuffer.of(data), 0, 8192, 0);
            assertEquals(8192, file.read(CuFileBuffer.of(host), 0, 16384, 0));
            assertEquals(0, file.read(CuFileBuffer.of(host), 0, 4096, 8192));
        }
        assertEquals(-1, host.asSlice(0, 8192).mismatch(data));
    }

    @Test
    void shouldMoveVectorsInFileOrder()
    {
        final MemorySegment a = gpu.pattern(4096, 5);
        final MemorySegment b = gpu.pattern(8192, 6);
        final DeviceMemory da = gpu.deviceWith(a);
        final DeviceMemory db = gpu.deviceWith(b);
        final DeviceMemory whole = gpu.device(12288);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW)))
        {
            assertEquals(12288, file.writev(List.of(CuFileBuffer.of(da), CuFileBuffer.of(db)), 4096));
            assertEquals(12288, file.readv(List.of(CuFileBuffer.of(whole)), 4096));
        }
        assertEquals(-1, gpu.read(whole, 0, 4096).mismatch(a));
        assertEquals(-1, gpu.read(whole, 4096, 8192).mismatch(b));
    }

    @Test
    void shouldRequireODirectWhenCompatModeIsOff()
    {
        driver.close();
        CuFileSettings.of(gpu.library).set(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE, false);
        driver = CuFileDriver.open(gpu.library);
        final PosixFile buffered = gpu.file("buffered", LibC.O_RDWR);

        final CuFileException e = assertThrows(CuFileException.class, () -> driver.register(buffered));

        assertEquals("CU_FILE_DIO_NOT_SET", e.nativeName());
        assertEquals(5020, e.nativeCode());
        assertTrue(e.operation().startsWith("cuFileHandleRegister(fd=" + buffered.fd()), e.operation());
    }

    @Test
    void shouldAcceptABufferedFileInCompatMode()
    {
        final DeviceMemory device = gpu.deviceWith(gpu.pattern(4096, 7));
        try (CuFileHandle file = driver.register(gpu.file("buffered", LibC.O_RDWR)))
        {
            assertEquals(4096, file.write(CuFileBuffer.of(device), 0, 4096, 0));
        }
    }

    @Test
    void shouldRefuseWhatIsNotARegularFile()
    {
        final PosixFile directory = PosixFile.open(gpu.dir, LibC.O_RDONLY | LibC.O_DIRECTORY, 0);
        try
        {
            final CuFileException e = assertThrows(CuFileException.class, () -> driver.register(directory));
            assertEquals("CU_FILE_INVALID_FILE_TYPE", e.nativeName());
        }
        finally
        {
            directory.close();
        }
    }

    @Test
    void shouldRefuseUnsupportedOpenFlags()
    {
        final CuFileException e = assertThrows(CuFileException.class,
            () -> driver.register(gpu.file("append", LibC.O_WRONLY | LibC.O_DIRECT | O_APPEND)));

        assertEquals("CU_FILE_INVALID_FILE_OPEN_FLAG", e.nativeName());
    }

    @Test
    void shouldRefuseRegisteringTheSameDescriptorTwice()
    {
        final PosixFile f = gpu.file("data", DIRECT_RW);
        try (CuFileHandle first = driver.register(f))
        {
            final CuFileException e = assertThrows(CuFileException.class, () -> driver.register(f));
            assertEquals("CU_FILE_HANDLE_ALREADY_REGISTERED", e.nativeName());
            assertFalse(first.label().isEmpty());
        }
    }

    @Test
    void shouldRefuseAccessBeyondTheRegisteredMapping()
    {
        final DeviceMemory target = gpu.device(8192);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW));
             CuFileBufferRegistration reg = driver.register(CuFileBuffer.of(target.pointer(), 4096), 0))
        {
            final CuFileException e = assertThrows(CuFileException.class, () -> file.read(reg.buffer(), 4096, 4096, 0));
            assertEquals("CU_FILE_INVALID_MAPPING_RANGE", e.nativeName());
            assertEquals(5017, e.nativeCode());
            assertFalse(e.isErrno());
        }
    }

    @Test
    void shouldRefuseAnUnregisteredRangeBeyondTheAllocation()
    {
        final DeviceMemory target = gpu.device(4096);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW)))
        {
            final CuFileException e = assertThrows(CuFileException.class, () -> file.read(CuFileBuffer.of(target), 0, 8192, 0));
            assertEquals("CU_FILE_CUDA_POINTER_RANGE_ERROR", e.nativeName());
        }
    }

    @Test
    void shouldRefuseHostMemoryWhenSystemMemoryIsNotAllowed()
    {
        driver.close();
        CuFileSettings.of(gpu.library).set(CuFileBoolParameter.PROPERTIES_ALLOW_SYSTEM_MEMORY, false);
        driver = CuFileDriver.open(gpu.library);
        try (CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW)))
        {
            final CuFileException e = assertThrows(CuFileException.class,
                () -> file.read(CuFileBuffer.of(gpu.arena.allocate(4096, 4096)), 0, 4096, 0));
            assertEquals("CU_FILE_CUDA_MEMORY_TYPE_INVALID", e.nativeName());
        }
    }

    @Test
    void shouldReportFilesystemErrorsAsErrno()
    {
        final DeviceMemory target = gpu.device(4096);
        try (CuFileHandle file = driver.register(gpu.file("write-only", LibC.O_WRONLY | LibC.O_DIRECT)))
        {
            final CuFileException e = assertThrows(CuFileException.class, () -> file.read(CuFileBuffer.of(target), 0, 4096, 0));
            assertTrue(e.isErrno());
            assertEquals("EBADF", e.nativeName());
            assertEquals(9, e.nativeCode());
        }
    }

    @Test
    void shouldReportIoOnADeregisteredHandle()
    {
        final DeviceMemory target = gpu.device(4096);
        final CuFileHandle file = driver.register(gpu.file("data", DIRECT_RW));
        final MemorySegment raw = file.handle();
        file.close();

        assertThrows(IllegalStateException.class, () -> file.read(CuFileBuffer.of(target), 0, 4096, 0));
        final long r = gpu.library.read(raw, CuFileBuffer.of(target).base(), 4096, 0, 0);
        assertEquals(-5027, r);
        final CuFileException e = assertThrows(CuFileException.class, () -> CuFileResults.transferred(gpu.library, r, "cuFileRead"));
        assertEquals("CU_FILE_HANDLE_NOT_REGISTERED", e.nativeName());
    }
}
