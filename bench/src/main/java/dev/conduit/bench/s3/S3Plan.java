package dev.conduit.bench.s3;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which request a connection sends next, encoded without allocating: {@code op << 32 | object}, or
 * {@link #DONE} when the plan has nothing more (timed plans never run out: their phase stops them).
 */
abstract class S3Plan
{
    /** No request left. */
    static final long DONE = -1;

    /**
     * @param rng the calling connection's own random numbers.
     * @return the encoded request, or {@link #DONE}.
     */
    abstract long next(SplittableRandom rng);

    static S3Op op(final long encoded)
    {
        return S3Op.of((int)(encoded >>> 32));
    }

    static int index(final long encoded)
    {
        return (int)encoded;
    }

    private static long encode(final S3Op op, final int index)
    {
        return (long)op.ordinal() << 32 | index;
    }

    /**
     * @param getRatio share of GETs (1: all GETs, 0: all PUTs).
     * @param objects  the set's size; each request picks one uniformly.
     * @return a timed plan of random GETs and PUTs.
     */
    static S3Plan mix(final double getRatio, final int objects)
    {
        return new S3Plan()
        {
            @Override
            long next(final SplittableRandom rng)
            {
                final S3Op op = getRatio >= 1 || (getRatio > 0 && rng.nextDouble() < getRatio) ? S3Op.GET : S3Op.PUT;
                return encode(op, rng.nextInt(objects));
            }
        };
    }

    /**
     * @param op    the request.
     * @param count objects {@code 0 .. count-1}, each once, shared out between the connections.
     * @return a plan that runs out after {@code count} requests.
     */
    static S3Plan each(final S3Op op, final int count)
    {
        final AtomicInteger nextIndex = new AtomicInteger();
        return new S3Plan()
        {
            @Override
            long next(final SplittableRandom rng)
            {
                final int index = nextIndex.getAndIncrement();
                return index < count ? encode(op, index) : DONE;
            }
        };
    }
}
