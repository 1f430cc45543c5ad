package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import dev.conduit.nativebindings.cuda.CudaDriverLibrary;
import dev.conduit.nativebindings.cufile.CuFileLibrary;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import dev.conduit.nativebindings.testing.Doubles;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The GPU of gds-path's tests: the CUDA and cuFile TEST DOUBLES (native-bindings' src/test/c, built
 * into this module's target/doubles), loaded by path here only, never through the production
 * loader. Device memory in the double is not host-addressable, so the tests read what landed with
 * a device-to-host copy, as on a real GPU.
 */
public final class GpuDoubles
{
    private GpuDoubles()
    {
    }

    /** Back to defaults: one device, nvidia-fs "loaded", no failures, counters and logs cleared. */
    public static void reset()
    {
        CudaDoubleControl.reset();
        CuFileDoubleControl.FULL.reset();
        CudaDoubleControl.clearTrace();
    }

    /** @return a runtime with a cuFile session (the GDS path). */
    public static GpuRuntime withGds()
    {
        return GpuRuntime.open(cuda(), CuFileLibrary.load(List.of(Doubles.cufile().toString())), 0);
    }

    /** @return a runtime without libcufile (the bounce path). */
    public static GpuRuntime withoutGds()
    {
        return GpuRuntime.open(cuda(), Optional.empty(), 0);
    }

    /**
     * @param gpu         the runtime.
     * @param buffer      a device buffer.
     * @param offsetBytes where to start.
     * @param lengthBytes how much.
     * @return the bytes, copied device-to-host on the calling thread.
     */
    public static byte[] deviceBytes(final GpuRuntime gpu, final DeviceBuffer buffer, final long offsetBytes, final int lengthBytes)
    {
        gpu.makeCurrent();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment host = arena.allocate(Math.max(1, lengthBytes));
            gpu.driver().copyToHost(buffer.devicePointer().plus(offsetBytes), host.asSlice(0, lengthBytes));
            return host.asSlice(0, lengthBytes).toArray(JAVA_BYTE);
        }
    }

    public static byte[] random(final int size, final long seed)
    {
        final byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static CudaDriverLibrary cuda()
    {
        return CudaDriverLibrary.load(List.of(Doubles.cuda().toString())).orElseThrow();
    }
}
