package dev.conduit.gdspath;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * A real store in a scratch directory under {@code target/} (not {@code /tmp}, often tmpfs, which
 * refuses O_DIRECT), opened through the scheduler, with a {@link DataPath} chosen by this host's
 * own probes; deleted on close.
 */
public final class TestStore implements AutoCloseable
{
    private final Path dir;
    private final Path work;
    private final Path data;
    private final ScheduledStore scheduled;
    private final DataPath path;

    public TestStore(final String prefix, final long sizeBytes) throws IOException
    {
        final Path base = Path.of("target", "test-scratch");
        Files.createDirectories(base);
        this.dir = Files.createTempDirectory(base, prefix).toAbsolutePath();
        this.work = Files.createDirectories(dir.resolve("work"));
        this.data = dir.resolve("data");
        DataDirectory.format(data, sizeBytes, 1, FormatOptions.DEFAULT);
        this.scheduled = ScheduledStore.open(data, StoreOptions.DEFAULT, Priority.BULK);
        this.path = DataPath.open(DataPathOptions.DEFAULT, scheduled);
    }

    public ScheduledStore scheduled()
    {
        return scheduled;
    }

    public DataPath path()
    {
        return path;
    }

    /** @return the store's data directory (namespace files {@code ns-NNN.cdt}). */
    public Path data()
    {
        return data;
    }

    /** @return a directory for files that go into shards. */
    public Path work()
    {
        return work;
    }

    /**
     * Puts seeded random bytes as {@code key}, then flips one of them on disk ({@link #flipByte}).
     *
     * @param key           the object.
     * @param sizeBytes     its size.
     * @param seed          the content's seed.
     * @param flippedOffset the byte to flip.
     */
    public void putFlipped(final String key, final int sizeBytes, final long seed, final long flippedOffset) throws IOException
    {
        flipByte(scheduled.store().put(key, GpuDoubles.random(sizeBytes, seed), ObjectMetadata.NONE), flippedOffset);
    }

    /**
     * Flips one bit of an object's byte on disk, behind the store's back (its CRC no longer matches).
     *
     * @param record      the object.
     * @param objectOffset which byte.
     */
    public void flipByte(final ObjectRecord record, final long objectOffset) throws IOException
    {
        final long[] where = new long[2];
        record.layout().forEachPiece(objectOffset, 1, (ns, physical, logical, n) ->
        {
            where[0] = ns;
            where[1] = physical;
        });
        try (FileChannel channel = FileChannel.open(data.resolve(String.format("ns-%03d.cdt", where[0])),
            StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, where[1]);
            one.put(0, (byte)(one.get(0) ^ 0x40)).rewind();
            channel.write(one, where[1]);
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            path.close();
        }
        finally
        {
            scheduled.close();
            try (Stream<Path> paths = Files.walk(dir))
            {
                for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
