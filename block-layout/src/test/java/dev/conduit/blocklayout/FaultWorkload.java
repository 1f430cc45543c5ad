package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fixed, seeded sequence of puts, replaces, deletes, checkpoints and gets over a few keys. */
final class FaultWorkload
{
    /** Codes an injected device fault may surface as. */
    static final Set<ErrorCode> FAULT_CODES = Set.of(ErrorCode.IO_ERROR, ErrorCode.STORE_FAILED);

    private static final int[] SIZES = {0, 100, 5000, 70_000, 1_200_000};

    /** One operation: a put when {@code state} is not absent, a delete otherwise, plus a read-back. */
    record Op(String key, AllowedStates.State state)
    {
        /** An explicit checkpoint (installs a new superblock generation). */
        static final Op CHECKPOINT = new Op("", null);
    }

    private FaultWorkload()
    {
    }

    static List<Op> ops(final long seed, final int count)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final String key = "k" + random.nextInt(4);
            final AllowedStates.State state = random.nextInt(5) == 0
                ? AllowedStates.ABSENT
                : new AllowedStates.State(seed * 1000 + i, SIZES[random.nextInt(SIZES.length)]);
            ops.add(new Op(key, state));
        }
        return ops;
    }

    /**
     * A longer mix for power-loss sweeps: mostly small puts over 40 keys (so most are replaces,
     * each with new metadata), a fifth deletes, an explicit checkpoint every 50 operations, and an
     * occasional multi-chunk object.
     *
     * @param seed  content and choice seed.
     * @param count operations.
     * @return the operations.
     */
    static List<Op> longOps(final long seed, final int count)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            if (i % 50 == 49)
            {
                ops.add(Op.CHECKPOINT);
                continue;
            }
            final String key = (i % 3 == 0 ? "d/" : "") + "k" + random.nextInt(40);
            final int dice = random.nextInt(100);
            final int size = dice < 2 ? 150_000 + random.nextInt(200_000) : dice < 10 ? 0 : random.nextInt(9000);
            ops.add(new Op(key, dice >= 80 ? AllowedStates.ABSENT : new AllowedStates.State(seed * 100_000 + i, size)));
        }
        return ops;
    }

    /**
     * Performs one operation; returns when the store acknowledged it.
     *
     * @param store the store.
     * @param op    a put, a delete or {@link Op#CHECKPOINT}.
     */
    static void apply(final ObjectStore store, final Op op)
    {
        if (op == Op.CHECKPOINT)
        {
            store.checkpoint();
        }
        else if (op.state() == AllowedStates.ABSENT)
        {
            store.delete(op.key());
        }
        else
        {
            store.put(op.key(), op.state().bytes(), op.state().metadata());
        }
    }

    /**
     * Runs {@code ops}; acknowledged ones narrow the model, failed ones widen it.
     *
     * @return how many operations failed.
     */
    static int run(final ObjectStore store, final List<Op> ops, final AllowedStates model)
    {
        int failures = 0;
        for (final Op op : ops)
        {
            try
            {
                apply(store, op);
                if (op != Op.CHECKPOINT)
                {
                    model.acked(op.key(), op.state());
                }
                if (op.state() != null && op.state() != AllowedStates.ABSENT)
                {
                    assertTrue(java.util.Arrays.equals(op.state().bytes(), store.getBytes(op.key())), "read back " + op);
                }
            }
            catch (final ConduitException e)
            {
                assertTrue(FAULT_CODES.contains(e.code()), "unexpected failure " + e.code() + ": " + e.getMessage());
                if (op != Op.CHECKPOINT)
                {
                    model.uncertain(op.key(), op.state());
                }
                failures++;
            }
        }
        return failures;
    }
}
