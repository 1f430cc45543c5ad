package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import dev.conduit.nativebindings.ConduitException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fixed, seeded sequence of puts, replaces, deletes and gets over a few keys. */
final class FaultWorkload
{
    /** Codes an injected device fault may surface as. */
    static final Set<String> FAULT_CODES = Set.of("EIO", LayoutErrors.STORE_FAILED);

    private static final int[] SIZES = {0, 100, 5000, 70_000, 1_200_000};

    /** One operation: a put when {@code state} is not absent, a delete otherwise, plus a read-back. */
    record Op(String key, AllowedStates.State state)
    {
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
                if (op.state() == AllowedStates.ABSENT)
                {
                    store.delete(op.key());
                }
                else
                {
                    store.put(op.key(), op.state().bytes(), op.state().metadata());
                    assertTrue(java.util.Arrays.equals(op.state().bytes(), store.getBytes(op.key())), "read back " + op);
                }
                model.acked(op.key(), op.state());
            }
            catch (final ConduitException e)
            {
                assertTrue(FAULT_CODES.contains(e.code()), "unexpected failure " + e.code() + ": " + e.getMessage());
                model.uncertain(op.key(), op.state());
                failures++;
            }
        }
        return failures;
    }
}
