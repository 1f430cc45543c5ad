package dev.conduit.jmh.nativebindings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.sun.nio.file.ExtendedOpenOption;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FFM overhead on the storage path: one 4 KiB O_DIRECT pread at a random aligned offset through
 * {@link LibC#pread} (a downcall with errno capture) versus {@link FileChannel#read(ByteBuffer, long)}
 * on a channel opened with {@link ExtendedOpenOption#DIRECT}, on the same 64 MiB file. Both bypass
 * the page cache, so the device's latency is in both numbers; the difference is the call path.
 *
 * <p>The file is created under {@code -p dir=...} (default {@code target/bench-data}, relative to the
 * working directory), which must be on a filesystem that supports O_DIRECT (not tmpfs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DirectPreadBenchmark
{
    private static final int BLOCK_BYTES = 4096;
    private static final long FILE_BYTES = 64L << 20;
    private static final int OFFSET_COUNT = 1 << 14;

    /** Directory for the data file; must support O_DIRECT. */
    @Param("target/bench-data")
    public String dir;

    private Path file;
    private Arena arena;
    private MemorySegment segment;
    private int fd = -1;
    private FileChannel channel;
    private ByteBuffer byteBuffer;
    private final long[] offsets = new long[OFFSET_COUNT];
    private int nextOffset;

    /**
     * Writes the data file and opens it both ways.
     *
     * @throws IOException when the file cannot be created or opened with DIRECT.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final Path directory = Files.createDirectories(Path.of(dir));
        file = Files.createTempFile(directory, "pread-bench-", ".bin");
        arena = Arena.ofConfined();
        writeDataFile();

        fd = (int)LibC.check(LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_DIRECT | LibC.O_CLOEXEC, 0),
            "open(" + file + ", O_DIRECT)");
        segment = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
        channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        byteBuffer = ByteBuffer.allocateDirect(2 * BLOCK_BYTES).alignedSlice(BLOCK_BYTES).slice(0, BLOCK_BYTES);

        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < OFFSET_COUNT; i++)
        {
            offsets[i] = random.nextLong(FILE_BYTES / BLOCK_BYTES) * BLOCK_BYTES;
        }
    }

    private void writeDataFile()
    {
        final MemorySegment chunk = arena.allocate(1 << 20, BLOCK_BYTES);
        final SplittableRandom random = new SplittableRandom(2);
        try (PosixFile out = PosixFile.open(file, LibC.O_WRONLY, 0))
        {
            for (long offset = 0; offset < FILE_BYTES; offset += chunk.byteSize())
            {
                for (long i = 0; i < chunk.byteSize(); i += Long.BYTES)
                {
                    chunk.set(java.lang.foreign.ValueLayout.JAVA_LONG, i, random.nextLong());
                }
                out.writeFully(chunk, offset);
            }
            out.sync();
        }
    }

    private long nextOffset()
    {
        final int index = nextOffset;
        nextOffset = (index + 1) & (OFFSET_COUNT - 1);
        return offsets[index];
    }

    /**
     * @return bytes read (or {@code -errno}).
     */
    @Benchmark
    public long ffmPread()
    {
        return LibC.pread(fd, segment, BLOCK_BYTES, nextOffset());
    }

    /**
     * @return bytes read.
     * @throws IOException on a read failure.
     */
    @Benchmark
    public int fileChannelRead() throws IOException
    {
        byteBuffer.clear();
        return channel.read(byteBuffer, nextOffset());
    }

    /**
     * Closes both handles and deletes the data file.
     *
     * @throws IOException when the channel or the file cannot be closed or deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        try
        {
            channel.close();
            LibC.check(LibC.close(fd), "close(" + file + ")");
        }
        finally
        {
            arena.close();
            Files.deleteIfExists(file);
        }
    }
}
