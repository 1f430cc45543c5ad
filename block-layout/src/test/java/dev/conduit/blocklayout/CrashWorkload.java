package dev.conduit.blocklayout;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link CrashHarness}: opens the store in a data directory and runs random puts,
 * replaces (puts on an existing key), deletes and checkpoints until it is killed. Before each
 * operation it appends {@code B id key seed size} to the side log, after the store acknowledged it
 * {@code A id}, fsyncs the log and prints {@link #ACK}, so the parent knows exactly what was
 * acknowledged and what was in flight. Every put carries metadata derived from its content seed
 * ({@link TestStores#metadata}). Keys under {@code ver/} are written as in a versioned bucket: a
 * put is a new version, a delete a delete marker, and each write then removes the key's versions
 * beyond the newest {@value #KEPT_VERSIONS} (so versions are created and removed under the kills,
 * and the key's current state is what the parent checks).
 *
 * <p>Arguments: data directory, side log, seed, round. Other store paths (the scheduler's) reuse
 * {@link #run} from their own child main.
 */
public final class CrashWorkload
{
    /** Printed on stdout before the store is opened (a kill after it may land in open or replay). */
    public static final String OPENING = "OPENING";
    /** Printed on stdout once the store is open. */
    public static final String READY = "READY";
    /** Printed on stdout after each acknowledged operation. */
    public static final String ACK = "ACK";
    /** A child stops by itself after this many operations, so a lost parent cannot leave it running. */
    static final int MAX_OPS = 20_000;
    static final int KEYS = 24;
    static final int KEPT_VERSIONS = 3;

    private CrashWorkload()
    {
    }

    /**
     * @param args data directory, side log, seed, round.
     * @throws IOException when the side log cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        exitWhenParentDies();
        announce(OPENING);
        try (ObjectStore store = DataDirectory.open(Path.of(args[0]), StoreOptions.DEFAULT))
        {
            run(store, Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
        }
    }

    /**
     * Halts this JVM when its parent exits, so a parent killed by the fork timeout leaves no child behind.
     */
    public static void exitWhenParentDies()
    {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    }

    /**
     * Prints one protocol line to stdout and flushes it.
     *
     * @param line {@link #OPENING}, {@link #READY} or {@link #ACK}.
     */
    public static void announce(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * Announces {@link #READY}, then runs the random operations against an open store.
     *
     * @param store   the open store.
     * @param sideLog the side log the parent reads.
     * @param seed    this child's seed.
     * @param round   the harness round (makes operation ids unique across children).
     * @throws IOException when the side log cannot be written.
     */
    public static void run(final ObjectStore store, final Path sideLog, final long seed, final long round) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        try (FileOutputStream log = new FileOutputStream(sideLog.toFile(), true))
        {
            announce(READY);
            for (int i = 0; i < MAX_OPS; i++)
            {
                final long id = round * MAX_OPS + i;
                final int dice = random.nextInt(100);
                if (dice < 3)
                {
                    store.checkpoint();
                    continue;
                }
                final boolean versioned = dice % 5 == 1;
                final String key = (versioned ? "ver/" : dice % 2 == 0 ? "dir/" : "") + "k" + random.nextInt(KEYS);
                final long contentSeed = seed * MAX_OPS + i;
                final int size = dice < 23 ? -1 : versioned ? Math.min(size(random), 100_000) : size(random);
                write(log, "B " + id + " " + key + " " + contentSeed + " " + size + "\n");
                if (versioned)
                {
                    writeVersion(store, key, contentSeed, size);
                }
                else if (size < 0)
                {
                    store.delete(key);
                }
                else
                {
                    store.put(key, TestStores.content(contentSeed, size), TestStores.metadata(contentSeed));
                }
                write(log, "A " + id + "\n");
                log.getFD().sync();
                announce(ACK);
            }
        }
    }

    private static void writeVersion(final ObjectStore store, final String key, final long contentSeed, final int size)
    {
        if (size < 0)
        {
            store.putDeleteMarker(key, VersioningMode.ENABLED);
        }
        else
        {
            store.put(key, TestStores.content(contentSeed, size), TestStores.metadata(contentSeed).withVersioning(VersioningMode.ENABLED));
        }
        final java.util.List<VersionPage.Entry> versions = store.listVersions(VersionListRequest.of(key, 100)).versions();
        for (final VersionPage.Entry e : versions)
        {
            if (e.record().key().equals(key) && !e.latest() && versions.indexOf(e) >= KEPT_VERSIONS)
            {
                store.deleteVersion(key, e.record().versionId());
            }
        }
    }

    private static int size(final SplittableRandom random)
    {
        final int bucket = random.nextInt(20);
        if (bucket == 0)
        {
            return 1_000_000 + random.nextInt(1_600_000);
        }
        if (bucket < 4)
        {
            return 65_536 + random.nextInt(250_000);
        }
        if (bucket < 8)
        {
            return 4097 + random.nextInt(60_000);
        }
        return random.nextInt(4097);
    }

    private static void write(final FileOutputStream log, final String line) throws IOException
    {
        log.write(line.getBytes(StandardCharsets.US_ASCII));
    }
}
