package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Reads both superblock copies of a namespace and picks the newest valid one; writes a generation
 * to its copy (A for even, B for odd) and flushes.
 */
final class SuperblockIo
{
    /**
     * Both copies of one namespace, decoded.
     *
     * @param chosen        the valid copy with the highest generation.
     * @param problems      one line per copy that did not decode (for fsck); empty when both are fine.
     * @param tornCopyOffset offset of a copy that failed its checksum (what an install cut short by
     *                       a power failure leaves), or -1.
     */
    record Read(Superblock chosen, List<String> problems, long tornCopyOffset)
    {
    }

    private SuperblockIo()
    {
    }

    /**
     * @param ns the namespace.
     * @return the chosen superblock and any damage found.
     * @throws ConduitException {@code BAD_FORMAT}, {@code UNSUPPORTED_VERSION} or {@code CORRUPT}
     *                          when neither copy is usable (the most specific of the two).
     */
    static Read read(final Namespace ns)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment both = arena.allocate(2L * SuperblockDescriptor.LENGTH, Bytes.BLOCK);
            ns.readFully(both, 0);
            Superblock best = null;
            ConduitException worst = null;
            final List<String> problems = new ArrayList<>();
            long tornCopyOffset = -1;
            for (int copy = 0; copy < 2; copy++)
            {
                final String where = ns.id() + " superblock " + (copy == 0 ? "A" : "B");
                try
                {
                    final Superblock sb = SuperblockDescriptor.decode(both.asSlice((long)copy * SuperblockDescriptor.LENGTH), where);
                    if (best == null || sb.generation() > best.generation())
                    {
                        best = sb;
                    }
                }
                catch (final ConduitException e)
                {
                    problems.add(e.getMessage());
                    worst = moreSpecific(worst, e);
                    tornCopyOffset = e.code() == ErrorCode.CORRUPT ? (long)copy * SuperblockDescriptor.LENGTH : tornCopyOffset;
                }
            }
            if (best == null)
            {
                throw worst;
            }
            return new Read(best, problems, tornCopyOffset);
        }
    }

    /**
     * Writes {@code sb} to the copy its generation selects and flushes.
     *
     * @param ns the namespace.
     * @param sb the superblock.
     */
    static void write(final Namespace ns, final Superblock sb)
    {
        writeCopy(ns, sb, SuperblockDescriptor.copyOffset(sb.generation()));
        ns.flush();
    }

    /**
     * Redoes an install that a power failure cut short: writes {@code chosen}'s checkpoint with the
     * next generation that belongs in the torn copy, so the valid copy is never written and both
     * copies are valid again.
     *
     * @param ns             the namespace.
     * @param chosen         the valid superblock open chose.
     * @param tornCopyOffset the torn copy ({@link Read#tornCopyOffset()}).
     * @return the superblock written.
     */
    static Superblock rewriteTornCopy(final Namespace ns, final Superblock chosen, final long tornCopyOffset)
    {
        Superblock next = chosen.withCheckpoint(chosen.checkpoint());
        if (SuperblockDescriptor.copyOffset(next.generation()) != tornCopyOffset)
        {
            next = next.withCheckpoint(chosen.checkpoint());
        }
        write(ns, next);
        return next;
    }

    /**
     * Writes {@code sb} to both copies (format, fsck repair) and flushes.
     *
     * @param ns the namespace.
     * @param sb the superblock.
     */
    static void writeBoth(final Namespace ns, final Superblock sb)
    {
        writeCopy(ns, sb, SuperblockDescriptor.COPY_A_OFFSET);
        writeCopy(ns, sb, SuperblockDescriptor.COPY_B_OFFSET);
        ns.flush();
    }

    private static void writeCopy(final Namespace ns, final Superblock sb, final long offset)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment block = arena.allocate(SuperblockDescriptor.LENGTH, Bytes.BLOCK);
            SuperblockDescriptor.encode(sb, block);
            ns.write(block, offset);
        }
    }

    private static ConduitException moreSpecific(final ConduitException current, final ConduitException next)
    {
        if (current == null || current.code() == ErrorCode.BAD_FORMAT)
        {
            return next;
        }
        return current;
    }
}
