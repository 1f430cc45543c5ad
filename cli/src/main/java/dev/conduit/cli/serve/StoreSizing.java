package dev.conduit.cli.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The size of the store {@code conduit serve} creates when none is asked for: a quarter of the free
 * space, at most {@value #MAX_DEFAULT_GIB} GiB, rounded down to whole GiB (whole
 * {@value #SMALL_UNIT_MIB} MiB below 1 GiB) so the number printed is one a person can repeat. The
 * namespace files are preallocated, so taking all free space by default would starve the host.
 */
final class StoreSizing
{
    static final int MAX_DEFAULT_GIB = 16;
    static final int SMALL_UNIT_MIB = 64;

    private static final long GIB = 1L << 30;
    private static final long SMALL_UNIT = (long)SMALL_UNIT_MIB << 20;

    private StoreSizing()
    {
    }

    /**
     * @param freeBytes free space of the file system that will hold the store.
     * @return the default store size.
     * @throws ConduitException {@code NO_SPACE} when a quarter of the free space is under {@value #SMALL_UNIT_MIB} MiB.
     */
    static long defaultSize(final long freeBytes)
    {
        final long quarter = Math.min(MAX_DEFAULT_GIB * GIB, freeBytes / 4);
        final long unit = quarter >= GIB ? GIB : SMALL_UNIT;
        final long size = quarter / unit * unit;
        if (size < SMALL_UNIT)
        {
            throw new ConduitException(ErrorCode.NO_SPACE, "only " + (freeBytes >> 20)
                + " MiB free for the store; free some space or pass --size (at least " + SMALL_UNIT_MIB + "m)");
        }
        return size;
    }

    /**
     * @param dataDir the data directory, which may not exist yet.
     * @return free bytes of the file system it is (or will be) on: that of its nearest existing ancestor.
     * @throws IOException when the file system cannot be asked.
     */
    static long freeBytes(final Path dataDir) throws IOException
    {
        Path probe = dataDir.toAbsolutePath();
        while (probe != null && !Files.exists(probe))
        {
            probe = probe.getParent();
        }
        if (probe == null)
        {
            throw new IOException("no existing directory above " + dataDir);
        }
        return Files.getFileStore(probe).getUsableSpace();
    }
}
