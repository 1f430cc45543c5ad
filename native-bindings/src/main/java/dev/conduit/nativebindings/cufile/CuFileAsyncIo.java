package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One cuFileReadAsync/WriteAsync in flight. It owns the native slots the library reads when the
 * stream executes the IO (size, file offset, buffer offset) and the one it writes the result to,
 * in an arena that must outlive the stream's pass over the IO: close only after the stream (or an
 * event recorded after the IO) has completed.
 *
 * <pre>{@code
 * try (CuFileAsyncIo io = file.readAsync(buffer, 0, len, off, stream))
 * {
 *     stream.synchronize();
 *     long n = io.bytesTransferred();
 * }
 * }</pre>
 *
 * <p>Threading: the submitting thread owns it; the slots are in a shared arena because the stream
 * executes on another thread.
 */
public final class CuFileAsyncIo implements AutoCloseable
{
    private static final long SIZE = 0;
    private static final long FILE_OFFSET = 8;
    private static final long BUFFER_OFFSET = 16;
    private static final long BYTES = 24;

    private final CuFileLibrary library;
    private final String operation;
    private final Arena arena;
    private final MemorySegment slots;

    CuFileAsyncIo(final CuFileLibrary library, final String operation)
    {
        this.library = library;
        this.operation = operation;
        this.arena = Arena.ofShared();
        this.slots = arena.allocate(32, 8);
    }

    /** @param bytes the size the stream will use, if not fixed by the stream registration. */
    public void setSize(final long bytes)
    {
        slots.set(JAVA_LONG, SIZE, bytes);
    }

    /** @param offset the file offset the stream will use, if not fixed by the stream registration. */
    public void setFileOffset(final long offset)
    {
        slots.set(JAVA_LONG, FILE_OFFSET, offset);
    }

    /** @param offset the buffer offset the stream will use, if not fixed by the stream registration. */
    public void setBufferOffset(final long offset)
    {
        slots.set(JAVA_LONG, BUFFER_OFFSET, offset);
    }

    /**
     * @return the raw result slot: 0 until the stream has run the IO, then bytes, -1 (IO error) or
     *         {@code -CUfileOpError}.
     */
    public long rawResult()
    {
        return slots.get(JAVA_LONG, BYTES);
    }

    /**
     * Decodes the result; call only after the stream has passed the IO.
     *
     * @return bytes transferred.
     * @throws CuFileException when the IO failed ({@code -1} is reported as {@code EIO}, since the
     *                         stream thread's errno is not observable).
     */
    public long bytesTransferred()
    {
        final long r = rawResult();
        return CuFileResults.transferred(library, r == -1 ? -dev.conduit.nativebindings.Errno.EIO : r, operation);
    }

    /** Frees the slots; the stream must have passed the IO. */
    @Override
    public void close()
    {
        if (arena.scope().isAlive())
        {
            arena.close();
        }
    }

    String operation()
    {
        return operation;
    }

    MemorySegment sizeSlot()
    {
        return slots.asSlice(SIZE, 8);
    }

    MemorySegment fileOffsetSlot()
    {
        return slots.asSlice(FILE_OFFSET, 8);
    }

    MemorySegment bufferOffsetSlot()
    {
        return slots.asSlice(BUFFER_OFFSET, 8);
    }

    MemorySegment bytesSlot()
    {
        return slots.asSlice(BYTES, 8);
    }
}
