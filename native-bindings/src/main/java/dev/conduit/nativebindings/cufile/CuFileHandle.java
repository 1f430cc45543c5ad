package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.dynlib.ReleaseOnce;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A registered file (CUfileHandle_t): synchronous, vector and stream IO between the file and
 * device or host memory. Unaligned offsets and sizes work (through cuFile's internal buffers) but
 * 4 KiB alignment of buffer, offset and size is what gives the direct DMA path.
 *
 * <p>Threading: IO may be issued from several threads at once; {@link #close()} only with no IO
 * outstanding (the API leaves it undefined otherwise). The file descriptor stays owned by the
 * caller and is closed after this handle.
 */
public final class CuFileHandle implements AutoCloseable
{
    private final CuFileLibrary library;
    private final MemorySegment handle;
    private final String label;
    private final ReleaseOnce release;

    CuFileHandle(final CuFileLibrary library, final MemorySegment handle, final String label)
    {
        this.library = library;
        this.handle = handle;
        this.label = label;
        this.release = new ReleaseOnce("cuFile handle for " + label + " is deregistered");
    }

    /**
     * cuFileRead: blocks until done.
     *
     * @param buffer       destination; for a registered buffer, its registered base.
     * @param bufferOffset offset from the buffer base.
     * @param size         bytes to read.
     * @param fileOffset   file offset.
     * @return bytes read (fewer only at end of file).
     * @throws CuFileException with the errno name (filesystem error) or the CUfileOpError name.
     */
    public long read(final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset)
    {
        return CuFileResults.transferred(library, library.read(handle(), buffer.base(), size, fileOffset, bufferOffset),
            op("cuFileRead", size, fileOffset, bufferOffset));
    }

    /**
     * cuFileWrite: blocks until done (durability still needs fsync/fdatasync on the file).
     *
     * @param buffer       source; for a registered buffer, its registered base.
     * @param bufferOffset offset from the buffer base.
     * @param size         bytes to write.
     * @param fileOffset   file offset.
     * @return bytes written.
     */
    public long write(final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset)
    {
        return CuFileResults.transferred(library, library.write(handle(), buffer.base(), size, fileOffset, bufferOffset),
            op("cuFileWrite", size, fileOffset, bufferOffset));
    }

    /**
     * cuFileReadv (newer libraries): consecutive file bytes into each buffer in turn, whole buffers.
     *
     * @param buffers    destinations.
     * @param fileOffset offset of the first byte.
     * @return bytes read in total.
     */
    public long readv(final List<CuFileBuffer> buffers, final long fileOffset)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment vectors = vectors(arena, buffers);
            return CuFileResults.transferred(library, library.readv(handle(), vectors, buffers.size(), fileOffset, 0),
                "cuFileReadv(" + label + ", buffers=" + buffers.size() + ", off=" + fileOffset + ")");
        }
    }

    /**
     * cuFileWritev (newer libraries): each buffer in turn to consecutive file bytes.
     *
     * @param buffers    sources.
     * @param fileOffset offset of the first byte.
     * @return bytes written in total.
     */
    public long writev(final List<CuFileBuffer> buffers, final long fileOffset)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment vectors = vectors(arena, buffers);
            return CuFileResults.transferred(library, library.writev(handle(), vectors, buffers.size(), fileOffset, 0),
                "cuFileWritev(" + label + ", buffers=" + buffers.size() + ", off=" + fileOffset + ")");
        }
    }

    /**
     * cuFileReadAsync: enqueues a read on {@code stream}; it runs in stream order. Unless the stream
     * was registered with fixed parameters, size and offsets are read when the stream executes, and
     * may be changed on the returned object until then.
     *
     * @param buffer       destination.
     * @param bufferOffset offset from the buffer base.
     * @param size         bytes (the maximum, when changed later).
     * @param fileOffset   file offset.
     * @param stream       the stream.
     * @return the in-flight IO; its result is valid after the stream passes it.
     */
    public CuFileAsyncIo readAsync(
        final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset, final CudaStream stream)
    {
        return submitAsync(false, buffer, bufferOffset, size, fileOffset, stream);
    }

    /**
     * cuFileWriteAsync: as {@link #readAsync}, in the other direction.
     *
     * @param buffer       source.
     * @param bufferOffset offset from the buffer base.
     * @param size         bytes.
     * @param fileOffset   file offset.
     * @param stream       the stream.
     * @return the in-flight IO.
     */
    public CuFileAsyncIo writeAsync(
        final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset, final CudaStream stream)
    {
        return submitAsync(true, buffer, bufferOffset, size, fileOffset, stream);
    }

    /** cuFileHandleDeregister; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            library.handleDeregister(handle);
        }
    }

    MemorySegment handle()
    {
        release.ensureLive();
        return handle;
    }

    String label()
    {
        return label;
    }

    private CuFileAsyncIo submitAsync(
        final boolean write, final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset,
        final CudaStream stream)
    {
        final CuFileAsyncIo io = new CuFileAsyncIo(library, (write ? "cuFileWriteAsync" : "cuFileReadAsync") + "(" + label + ")");
        io.setSize(size);
        io.setFileOffset(fileOffset);
        io.setBufferOffset(bufferOffset);
        final MemorySegment h = handle();
        final long status = write
            ? library.writeAsync(h, buffer.base(), io.sizeSlot(), io.fileOffsetSlot(), io.bufferOffsetSlot(), io.bytesSlot(), stream.handle())
            : library.readAsync(h, buffer.base(), io.sizeSlot(), io.fileOffsetSlot(), io.bufferOffsetSlot(), io.bytesSlot(), stream.handle());
        if (!CuFileStatus.isOk(status))
        {
            io.close();
            throw CuFileResults.failure(library, status, io.operation());
        }
        return io;
    }

    private static MemorySegment vectors(final Arena arena, final List<CuFileBuffer> buffers)
    {
        final MemorySegment vectors = arena.allocate(CuFileLayouts.IO_VEC, Math.max(1, buffers.size()));
        final long stride = CuFileLayouts.IO_VEC.byteSize();
        for (int i = 0; i < buffers.size(); i++)
        {
            vectors.set(ADDRESS, i * stride, buffers.get(i).base());
            vectors.set(JAVA_LONG, i * stride + ADDRESS.byteSize(), buffers.get(i).byteSize());
        }
        return vectors;
    }

    private String op(final String call, final long size, final long fileOffset, final long bufferOffset)
    {
        return call + "(" + label + ", size=" + size + ", off=" + fileOffset + ", bufOff=" + bufferOffset + ")";
    }
}
