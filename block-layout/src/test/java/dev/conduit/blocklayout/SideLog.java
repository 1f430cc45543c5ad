package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the side log a {@link CrashWorkload} child wrote, incrementally, and feeds the model:
 * {@code B id key seed size} followed by {@code A id} is acknowledged; a {@code B} without its
 * {@code A} was in flight when the child died. A torn last line is dropped and cut off, so the next
 * child appends after the last complete line.
 */
final class SideLog
{
    private final Path path;
    private long consumed;

    SideLog(final Path path)
    {
        this.path = path;
    }

    /**
     * @param model receives acknowledged and in-flight operations.
     * @return operations acknowledged since the last call.
     * @throws IOException when the log cannot be read or truncated.
     */
    long apply(final AllowedStates model) throws IOException
    {
        if (!Files.exists(path))
        {
            return 0;
        }
        final byte[] all = Files.readAllBytes(path);
        final int end = lastNewline(all) + 1;
        final String text = new String(all, (int)consumed, end - (int)consumed, StandardCharsets.US_ASCII);
        String[] pending = null;
        long acked = 0;
        for (final String line : text.split("\n"))
        {
            final String[] f = line.split(" ");
            if (f[0].equals("B"))
            {
                pending = f;
            }
            else if (f[0].equals("A") && pending != null && pending[1].equals(f[1]))
            {
                model.acked(pending[2], state(pending));
                pending = null;
                acked++;
            }
        }
        if (pending != null)
        {
            model.uncertain(pending[2], state(pending));
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.setLength(end);
        }
        consumed = end;
        return acked;
    }

    private static AllowedStates.State state(final String[] begin)
    {
        final int size = Integer.parseInt(begin[4]);
        return size < 0 ? AllowedStates.ABSENT : new AllowedStates.State(Long.parseLong(begin[3]), size);
    }

    private static int lastNewline(final byte[] b)
    {
        for (int i = b.length - 1; i >= 0; i--)
        {
            if (b[i] == '\n')
            {
                return i;
            }
        }
        return -1;
    }
}
