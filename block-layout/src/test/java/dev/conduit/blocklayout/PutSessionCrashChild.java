package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link PutSessionCrashTest}: opens the store in a data directory, opens a put
 * session of unknown length and appends pseudo-random pieces to it, printing the bytes appended
 * after each MiB, until it is killed. It never commits; once {@link #MAX_BYTES} are appended it
 * waits (at most {@link #MAX_WAIT_MS}, so a lost parent cannot leave it running) and exits.
 *
 * <p>Arguments: data directory, seed.
 */
public final class PutSessionCrashChild
{
    /** Printed on stdout once the session is open. */
    public static final String READY = "READY";
    /** Printed before each progress figure. */
    public static final String APPENDED = "APPENDED ";
    /** Printed once everything was appended. */
    public static final String DONE = "DONE";
    /** The key the session writes. */
    public static final String KEY = "streaming/never-committed";
    static final long MAX_BYTES = 48L << 20;
    static final long MAX_WAIT_MS = 60_000;

    private PutSessionCrashChild()
    {
    }

    /**
     * @param args data directory, seed.
     * @throws InterruptedException never in practice (nothing interrupts the main thread).
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        final byte[] piece = TestStores.content(random.nextLong(), 300_000);
        try (ObjectStore store = DataDirectory.open(Path.of(args[0]), StoreOptions.DEFAULT);
             PutSession put = store.openPut(KEY, ObjectMetadata.NONE))
        {
            System.out.println(READY);
            System.out.flush();
            long nextReport = 1 << 20;
            while (put.appendedBytes() < MAX_BYTES)
            {
                put.append(piece, 0, 1 + random.nextInt(piece.length));
                if (put.appendedBytes() >= nextReport)
                {
                    System.out.println(APPENDED + put.appendedBytes());
                    System.out.flush();
                    nextReport += 1 << 20;
                }
            }
            System.out.println(DONE);
            System.out.flush();
            Thread.sleep(MAX_WAIT_MS);
        }
    }
}
