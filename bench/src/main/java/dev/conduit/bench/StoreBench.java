package dev.conduit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.Extent;
import dev.conduit.blocklayout.LayoutErrors;
import dev.conduit.blocklayout.ObjectLayout;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.store.ObjectRangeReader;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * {@code conduit bench --target store}: block-sized reads of one object in the store, straight from
 * its extents through the scheduler ({@link ObjectRangeReader}; every namespace on its own device,
 * io_uring where available). The object, {@value #KEY_PREFIX}{@code <size>}, is put first when the
 * store does not have it. {@code --vs-fio} runs fio over the same bytes in the store's namespace
 * files (each run of the object's own blocks, never a neighbour's), with the same block size and the
 * same total queue depth split over the runs: the raw-device ceiling for those bytes.
 */
public final class StoreBench
{
    /** Key prefix of the benchmark object; the suffix is its size in bytes. */
    static final String KEY_PREFIX = "conduit-bench/object-";

    private StoreBench()
    {
    }

    /**
     * Runs the store benchmark.
     *
     * @param config   what to run ({@code --target store}, a read mode, {@code --size} the object size).
     * @param progress live progress.
     * @return the result, and the runs of the object's blocks in the namespace files for fio.
     */
    public static ConduitRun run(final BenchConfig config, final Progress progress)
    {
        final Path dir = config.dataDir();
        if (!DataDirectory.isFormatted(dir))
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "no store in " + dir + "; create one with: conduit --data " + dir + " format --size SIZE");
        }
        try (ScheduledStore scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, config.priority(),
            config.totalQueueDepth()); Arena arena = Arena.ofShared())
        {
            final ObjectRecord record = object(scheduled.store(), config, progress);
            final ObjectLayout layout = record.layout();
            final ObjectRangeReader reader = new ObjectRangeReader(scheduled.targets());
            final long blockBytes = config.blockSizeBytes();
            final ConduitBench.Workload workload = (job, slot, offset, buffer, scratch) ->
                reader.read(layout, offset, buffer, blockBytes, config.priority(), job, slot);
            final BenchResult result = Driver.drive(config, workload, record.sizeBytes(),
                ConduitBench.slabs(arena, config), progress, "");
            // The store's namespaces are always opened with O_DIRECT; their rings get no bench buffers to register.
            final IoPath ioPath = IoPath.of(scheduled.scheduler().devices().get(0).backend(), false, true);
            final String detail = "store, " + scheduled.targets().size() + " namespace(s), " + ioPath.describe();
            return new ConduitRun(ConduitBench.withDetail(result, detail), ioPath, regions(namespaceFiles(dir), layout));
        }
    }

    private static ObjectRecord object(final ObjectStore store, final BenchConfig config, final Progress progress)
    {
        if (config.sizeBytes() == 0)
        {
            throw new IllegalArgumentException("--target store needs --size: the size of the object to read");
        }
        final String key = KEY_PREFIX + config.sizeBytes();
        final Optional<ObjectRecord> existing = store.find(key);
        if (existing.isPresent())
        {
            return existing.get();
        }
        progress.note("putting " + key + " (" + Sizes.fioSize(config.sizeBytes()) + ") into the store");
        return store.put(key, new PatternStream(config.sizeBytes()), config.sizeBytes(), ObjectMetadata.NONE,
            (done, total) -> { });
    }

    /**
     * The runs of the object's own blocks on each namespace (adjacent extents merged), so fio reads the
     * same bytes rather than the namespace's unwritten (and so suspiciously fast) blocks or another
     * object's.
     */
    static List<Region> regions(final List<Path> files, final ObjectLayout layout)
    {
        return regions(files, layout.extents());
    }

    /**
     * @param files         the namespace files, by namespace index.
     * @param objectExtents extents of one or more objects.
     * @return their runs per namespace, adjacent extents (of any of the objects) merged.
     */
    static List<Region> regions(final List<Path> files, final List<Extent> objectExtents)
    {
        final List<Extent> extents = new ArrayList<>(objectExtents);
        extents.sort(Comparator.comparingInt(Extent::namespaceIndex).thenComparingLong(Extent::offsetBytes));
        final List<Region> regions = new ArrayList<>();
        int ns = -1;
        long start = 0;
        long end = 0;
        for (final Extent e : extents)
        {
            if (e.namespaceIndex() != ns || e.offsetBytes() != end)
            {
                if (ns >= 0)
                {
                    regions.add(new Region(files.get(ns), start, end - start));
                }
                ns = e.namespaceIndex();
                start = e.offsetBytes();
            }
            end = e.endBytes();
        }
        if (ns >= 0)
        {
            regions.add(new Region(files.get(ns), start, end - start));
        }
        return regions;
    }

    /** The namespace files named in the data directory's manifest (block devices and absolute paths as given). */
    static List<Path> namespaceFiles(final Path dir)
    {
        try
        {
            return Files.readAllLines(dir.resolve(DataDirectory.MANIFEST)).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(dir::resolve)
                .toList();
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.IO_ERROR, "reading " + dir.resolve(DataDirectory.MANIFEST) + ": " + e.getMessage());
        }
    }

    /** Pseudo-random bytes, so the object is real data, never a zero page. */
    private static final class PatternStream extends InputStream
    {
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        PatternStream(final long sizeBytes)
        {
            this.remaining = sizeBytes;
        }

        @Override
        public int read()
        {
            final byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] b, final int off, final int len)
        {
            if (remaining == 0)
            {
                return -1;
            }
            final int n = (int)Math.min(len, remaining);
            for (int i = 0; i < n; i++)
            {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte)state;
            }
            remaining -= n;
            return n;
        }
    }
}
