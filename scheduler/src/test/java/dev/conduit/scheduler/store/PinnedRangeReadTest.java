package dev.conduit.scheduler.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.LayoutErrors;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pinned range reads racing replace and delete on a small, mostly full O_DIRECT store whose
 * reads go through the scheduler and take a few milliseconds: a writer keeps replacing (and now
 * and then deleting) one key with versions of different sizes, so freed extents are reused at once; readers pin the current version, start a random range
 * read (any offset, length, destination kind, with or without verification), close their handle
 * at once, and check every byte they get against the version they pinned.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PinnedRangeReadTest
{
    private static final long MIB = 1L << 20;
    private static final String KEY = "hot";
    private static final int VERSIONS = 200;
    private static final int READERS = 2;
    private static final int FILLERS = 10;
    private static final long MAX_READ_DELAY_NS = 8_000_000;

    /**
     * Reads that take a few milliseconds, as a busy device's do, so a read is often still in
     * flight while the writer replaces its version, frees its extents and writes the next one.
     */
    private static final class SlowReads extends ForwardingNamespace
    {
        SlowReads(final Namespace delegate)
        {
            super(delegate);
        }

        @Override
        public long read(final MemorySegment dst, final long offsetBytes)
        {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(MAX_READ_DELAY_NS));
            return super.read(dst, offsetBytes);
        }
    }

    @Test
    void shouldNeverReturnForeignBytesWhenReplacedAndDeletedConcurrently() throws Exception
    {
        final Path dir = TargetDirs.create("pinned-");
        DataDirectory.format(dir, 32 * MIB, 2, FormatOptions.DEFAULT);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong outlivedTheirVersion = new AtomicLong();
        final AtomicLong noSpace = new AtomicLong();
        final List<TargetHandle> targets = new ArrayList<>();
        try (IoScheduler scheduler = IoScheduler.launch(new SchedulerContext());
             ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT.withNamespaceWrapper(namespace ->
             {
                 final Namespace wrapped = ScheduledStore.wrapper(scheduler, Priority.LATENCY).apply(new SlowReads(namespace));
                 targets.add(((ScheduledNamespace)wrapped).target());
                 return wrapped;
             })))
        {
            // Fill most of the store, so each new version has to reuse the space of recent ones.
            for (int i = 0; i < FILLERS; i++)
            {
                store.put("filler-" + i, new byte[(int)(2 * MIB)], ObjectMetadata.NONE);
            }
            final ObjectRangeReader rangeReader = new ObjectRangeReader(targets);
            final Thread writer = Thread.ofPlatform().name("writer").start(() ->
            {
                try
                {
                    final SplittableRandom random = new SplittableRandom(1);
                    for (int v = 0; v < VERSIONS && failure.get() == null; v++)
                    {
                        if (random.nextInt(10) == 0)
                        {
                            store.delete(KEY);
                        }
                        final int size = 1 + random.nextInt((int)(2 * MIB));
                        try
                        {
                            store.put(KEY, StoreContent.bytes(v, size), new ObjectMetadata("", Map.of("seed", Integer.toString(v))));
                        }
                        catch (final ConduitException e)
                        {
                            // Pinned versions keep their space until their reads finish: a full store is
                            // the expected answer then, and the next version is tried.
                            if (e.code() != ErrorCode.NO_SPACE)
                            {
                                throw e;
                            }
                            noSpace.incrementAndGet();
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
                finally
                {
                    writing.set(false);
                }
            });
            final Thread[] readers = new Thread[READERS];
            for (int r = 0; r < READERS; r++)
            {
                final long seed = r;
                readers[r] = Thread.ofPlatform().name("reader-" + r).start(() ->
                {
                    try
                    {
                        readUntilWriterStops(store, rangeReader, seed, writing, reads, outlivedTheirVersion);
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                });
            }
            writer.join();
            for (final Thread reader : readers)
            {
                reader.join();
            }
        }
        assertNull(failure.get(), () -> "failed: " + failure.get());
        System.out.println("PinnedRangeReadTest: " + reads.get() + " reads, " + outlivedTheirVersion.get() +
            " outlived their version, " + noSpace.get() + " puts refused while versions were pinned");
        assertTrue(noSpace.get() < VERSIONS / 2, "most puts were refused: " + noSpace.get());
        assertTrue(reads.get() > 100, "reads: " + reads.get());
        assertTrue(outlivedTheirVersion.get() > 0, "no read completed after its version was replaced: the race never happened");
        StoreContent.deleteTree(dir);
    }

    private static void readUntilWriterStops(
        final ObjectStore store, final ObjectRangeReader reader, final long seed, final AtomicBoolean writing, final AtomicLong reads, final AtomicLong outlived)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final RangeRequest request = new RangeRequest();
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment nativeBuffer = arena.allocate(4 * MIB, 4096);
            while (writing.get())
            {
                final ObjectReadHandle version;
                try
                {
                    version = store.openObject(KEY);
                }
                catch (final ConduitException e)
                {
                    if (e.code() != ErrorCode.NOT_FOUND)
                    {
                        throw e;
                    }
                    continue;
                }
                final ObjectRecord record = version.record();
                final long size = record.sizeBytes();
                final long offset = random.nextLong(size);
                final long length = 1 + random.nextLong(Math.min(size - offset, MIB));
                final boolean heap = random.nextInt(4) == 0;
                final MemorySegment dst = heap ? MemorySegment.ofArray(new byte[(int)(length + 8192)]) : nativeBuffer;
                final long dstOffset = random.nextBoolean() ? offset % 4096 : random.nextInt(8192);
                final CompletableFuture<Long> done;
                try (version)
                {
                    done = reader.read(request.object(version).range(offset, length).into(dst, dstOffset).verify(random.nextBoolean()));
                }
                // The handle is closed: only the read's own pin keeps the version's extents from reuse.
                assertEquals(length, done.join());
                final Optional<ObjectRecord> now = store.find(KEY);
                if (now.isEmpty() || now.get().version() != record.version())
                {
                    outlived.incrementAndGet();
                }
                final long versionSeed = Long.parseLong(record.userMetadata().get("seed"));
                final long mismatch = StoreContent.firstMismatch(dst, dstOffset, versionSeed, offset, length);
                assertEquals(-1, mismatch, () -> "byte " + (offset + mismatch) + " of version " + record.version() + " (seed " + versionSeed + ")");
                reads.incrementAndGet();
            }
        }
    }
}
