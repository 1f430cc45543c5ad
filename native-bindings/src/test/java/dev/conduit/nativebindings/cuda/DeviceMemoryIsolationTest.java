package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CUDA double's device memory is a reservation the host cannot touch, with the bytes kept
 * elsewhere: code that hands a device pointer to the kernel gets EFAULT (and a host load would
 * fault), while copies through the driver see the bytes.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeviceMemoryIsolationTest
{
    private static final int EFAULT = 14;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp()
    {
        CudaDoubleControl.reset();
    }

    @Test
    void shouldFailAKernelReadIntoADevicePointerButCopyThroughTheDriver() throws Exception
    {
        final byte[] bytes = new byte[4096];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }
        final Path file = Files.write(dir.resolve("data"), bytes);
        final CudaDriver cuda = CudaDriver.load().orElseThrow();
        cuda.init();
        try (CudaContext context = cuda.device(0).retainPrimaryContext())
        {
            context.makeCurrent();
            try (DeviceMemory memory = context.allocate(4096);
                 Arena arena = Arena.ofConfined())
            {
                final int fd = LibC.open(file.toString(), LibC.O_RDONLY, 0);
                try
                {
                    final MemorySegment devicePointerAsHost = MemorySegment.ofAddress(memory.pointer().address()).reinterpret(4096);
                    assertEquals(-EFAULT, LibC.pread(fd, devicePointerAsHost, 4096, 0));
                }
                finally
                {
                    LibC.close(fd);
                }
                final MemorySegment host = arena.allocate(4096);
                MemorySegment.copy(bytes, 0, host, JAVA_BYTE, 0, bytes.length);
                cuda.copyToDevice(host, memory.pointer());
                final MemorySegment back = arena.allocate(4096);
                cuda.copyToHost(memory.pointer(), back);
                assertArrayEquals(bytes, back.toArray(JAVA_BYTE));
            }
        }
    }
}
