package dev.conduit.nativebindings.cufile;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.cuda.CudaEvent;
import dev.conduit.nativebindings.cuda.CudaLayouts;
import dev.conduit.nativebindings.cuda.CudaResult;
import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.cuda.DeviceMemory;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cuFileReadAsync/WriteAsync on CUDA streams: the IO runs when the stream reaches it. */
@Timeout(30)
class CuFileStreamIoTest
{
    private GpuFixture gpu;
    private CuFileDriver driver;
    private CuFileHandle file;
    private CudaStream stream;
    private MemorySegment data;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-stream");
        driver = CuFileDriver.open(gpu.library);
        file = driver.register(gpu.file("data", LibC.O_RDWR | LibC.O_DIRECT));
        data = gpu.pattern(8192, 21);
        file.write(CuFileBuffer.of(data), 0, 8192, 0);
        stream = gpu.context.createStream(0);
    }

    @AfterEach
    void tearDown()
    {
        CudaDoubleControl.holdStreams(false);
        stream.synchronize();
        stream.close();
        gpu.close();
    }

    @Test
    void shouldCompleteWhenTheStreamIsSynchronized()
    {
        final DeviceMemory target = gpu.device(8192);
        CudaDoubleControl.holdStreams(true);
        try (CuFileAsyncIo io = file.readAsync(CuFileBuffer.of(target), 0, 8192, 0, stream);
             CudaEvent done = gpu.context.createEvent(CudaLayouts.CU_EVENT_DISABLE_TIMING))
        {
            stream.record(done);
            assertFalse(stream.isIdle());
            assertFalse(done.isComplete());
            assertEquals(0, io.rawResult());

            CudaDoubleControl.holdStreams(false);
            stream.synchronize();

            assertTrue(done.isComplete());
            assertEquals(8192, io.bytesTransferred());
        }
        assertEquals(-1, gpu.read(target, 0, 8192).mismatch(data));
    }

    @Test
    void shouldReadTheSizeWhenTheStreamExecutesUnlessItWasFixed()
    {
        final DeviceMemory target = gpu.device(8192);
        CudaDoubleControl.holdStreams(true);
        try (CuFileAsyncIo late = file.readAsync(CuFileBuffer.of(target), 0, 8192, 0, stream))
        {
            late.setSize(4096);
            CudaDoubleControl.holdStreams(false);
            stream.synchronize();
            assertEquals(4096, late.bytesTransferred());
        }

        try (CuFileStreamRegistration reg = driver.register(stream, CuFileConstants.STREAM_FIXED_FILE_SIZE))
        {
            CudaDoubleControl.holdStreams(true);
            try (CuFileAsyncIo fixed = file.readAsync(CuFileBuffer.of(target), 0, 8192, 0, reg.stream()))
            {
                fixed.setSize(4096);
                CudaDoubleControl.holdStreams(false);
                stream.synchronize();
                assertEquals(8192, fixed.bytesTransferred());
            }
        }
    }

    @Test
    void shouldWriteOnTheStream()
    {
        final MemorySegment fresh = gpu.pattern(4096, 22);
        final DeviceMemory source = gpu.deviceWith(fresh);
        try (CuFileAsyncIo io = file.writeAsync(CuFileBuffer.of(source), 0, 4096, 4096, stream))
        {
            stream.synchronize();
            assertEquals(4096, io.bytesTransferred());
        }
        final MemorySegment back = gpu.arena.allocate(4096, 4096);
        file.read(CuFileBuffer.of(back), 0, 4096, 4096);
        assertEquals(-1, back.mismatch(fresh));
    }

    @Test
    void shouldCheckPageAlignmentWhenTheRegistrationPromisesIt()
    {
        final DeviceMemory target = gpu.device(8192);
        try (CuFileStreamRegistration reg = driver.register(stream, CuFileConstants.STREAM_ALL_FIXED);
             CuFileAsyncIo io = file.readAsync(CuFileBuffer.of(target), 0, 100, 0, reg.stream()))
        {
            stream.synchronize();
            final CuFileException e = assertThrows(CuFileException.class, io::bytesTransferred);
            assertEquals("CU_FILE_INVALID_VALUE", e.nativeName());
        }
    }

    @Test
    void shouldReportAnIoErrorFromTheStream()
    {
        final CuFileHandle writeOnly = driver.register(gpu.file("w", LibC.O_WRONLY | LibC.O_DIRECT));
        try (CuFileAsyncIo io = writeOnly.readAsync(CuFileBuffer.of(gpu.device(4096)), 0, 4096, 0, stream))
        {
            stream.synchronize();
            assertEquals(-1, io.rawResult());
            final CuFileException e = assertThrows(CuFileException.class, io::bytesTransferred);
            assertEquals("EIO", e.nativeName());
        }
    }

    @Test
    void shouldCarryTheCudaErrorWhenTheStreamRefusesTheWork()
    {
        CudaDoubleControl.fail("cuLaunchHostFunc", CudaResult.INVALID_HANDLE, 1);

        final CuFileException e = assertThrows(CuFileException.class,
            () -> file.readAsync(CuFileBuffer.of(gpu.device(4096)), 0, 4096, 0, stream));

        assertEquals("CU_FILE_CUDA_DRIVER_ERROR", e.nativeName());
        assertEquals(CudaResult.INVALID_HANDLE, e.cudaResult());
        assertEquals("cuFileReadAsync(" + file.label() + ")", e.operation());
    }

    @Test
    void shouldRefuseToDeregisterAStreamThatIsNotRegistered()
    {
        final long status = gpu.library.streamDeregister(stream.handle());

        assertEquals(CuFileError.INVALID_VALUE, CuFileStatus.err(status));
    }
}
