package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import dev.conduit.nativebindings.cuda.CudaContext;
import dev.conduit.nativebindings.cuda.CudaDriver;
import dev.conduit.nativebindings.cuda.DeviceMemory;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import dev.conduit.nativebindings.testing.Scratch;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * What a cuFile test needs, over the doubles: CUDA initialised with the primary context current on
 * the calling thread, the cuFile library, a scratch directory on a real filesystem, and cleanup.
 * Tests using it keep same-thread timeouts, because the CUDA context is current per thread.
 */
final class GpuFixture implements AutoCloseable
{
    final CudaDriver cuda;
    final CudaContext context;
    final CuFileLibrary library;
    final Path dir;
    final Arena arena = Arena.ofShared();
    private final List<PosixFile> files = new ArrayList<>();
    private final List<DeviceMemory> memory = new ArrayList<>();

    private GpuFixture(final String prefix)
    {
        CudaDoubleControl.reset();
        CuFileDoubleControl.FULL.reset();
        cuda = CudaDriver.load().orElseThrow();
        cuda.init();
        context = cuda.device(0).retainPrimaryContext();
        context.makeCurrent();
        library = CuFileLibrary.load().orElseThrow();
        dir = Scratch.directory(prefix);
    }

    static GpuFixture start(final String prefix)
    {
        return new GpuFixture(prefix);
    }

    /** A file in the scratch directory, created if needed, opened with {@code flags}. */
    PosixFile file(final String name, final int flags)
    {
        final PosixFile f = PosixFile.open(dir.resolve(name), flags | LibC.O_CREAT, 0600);
        files.add(f);
        return f;
    }

    /** Device memory freed at close. */
    DeviceMemory device(final long bytes)
    {
        final DeviceMemory m = context.allocate(bytes);
        memory.add(m);
        return m;
    }

    /** Page-aligned host memory filled with a pattern derived from {@code seed}. */
    MemorySegment pattern(final long bytes, final int seed)
    {
        final MemorySegment s = arena.allocate(bytes, 4096);
        for (long i = 0; i < bytes; i++)
        {
            s.set(JAVA_BYTE, i, (byte)(i * 131 + seed));
        }
        return s;
    }

    /** A device buffer holding {@code data}. */
    DeviceMemory deviceWith(final MemorySegment data)
    {
        final DeviceMemory m = device(data.byteSize());
        cuda.copyToDevice(data, m.pointer());
        return m;
    }

    /** The first {@code bytes} bytes of device memory at {@code offset}, copied to the host. */
    MemorySegment read(final DeviceMemory m, final long offset, final long bytes)
    {
        final MemorySegment out = arena.allocate(bytes, 4096);
        cuda.copyToHost(m.pointer(offset), out);
        return out;
    }

    @Override
    public void close()
    {
        // The double's reset closes the cuFile driver, which releases handles and registrations,
        // and releases the holds so no background work is left pending.
        CuFileDoubleControl.FULL.reset();
        CudaDoubleControl.holdStreams(false);
        CudaDoubleControl.setDeviceCount(1);
        memory.forEach(DeviceMemory::close);
        files.forEach(PosixFile::close);
        context.close();
        arena.close();
        Scratch.delete(dir);
    }
}
