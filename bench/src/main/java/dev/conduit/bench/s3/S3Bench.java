package dev.conduit.bench.s3;

import java.util.ArrayList;
import java.util.List;

import dev.conduit.bench.Progress;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * {@code conduit bench --target s3://BUCKET/PREFIX}: setup (create the bucket, PUT the objects),
 * {@code --rounds} timed rounds each after its own ramp, then optionally cleanup (DELETE the objects).
 * A failed setup or cleanup request stops the run with its status codes; failed measured requests are
 * counted by status and reported, never thrown.
 */
public final class S3Bench
{
    private S3Bench()
    {
    }

    /**
     * Runs the benchmark.
     *
     * @param config   what to run.
     * @param progress live progress.
     * @return every round's result.
     * @throws ConduitException {@link ErrorCode#IO_ERROR} when a setup or cleanup request fails.
     */
    public static S3Report run(final S3BenchConfig config, final Progress progress)
    {
        try (S3Load load = new S3Load(config))
        {
            if (config.setup())
            {
                progress.note("setup: creating " + config.target() + " if needed and putting " + config.objects() +
                    " objects");
                check("create bucket", S3Phase.untimed(load, S3Plan.each(S3Op.CREATE_BUCKET, 1), 1, Progress.silent()), 1);
                check("setup PUT", S3Phase.untimed(load, S3Plan.each(S3Op.PUT, config.objects()),
                    Math.min(config.concurrency(), config.objects()), progress), config.objects());
            }
            final S3Plan plan = S3Plan.mix(config.effectiveGetRatio(), config.objects());
            final List<S3Result> rounds = new ArrayList<>(config.rounds());
            for (int i = 1; i <= config.rounds(); i++)
            {
                if (config.rounds() > 1)
                {
                    progress.note("round " + i + " of " + config.rounds());
                }
                rounds.add(S3Phase.timed(load, plan, config.rampNs(), config.timeNs(), progress, 0x5EED_0000L * i));
            }
            if (config.cleanup())
            {
                progress.note("cleanup: deleting " + config.objects() + " objects");
                check("cleanup DELETE", S3Phase.untimed(load, S3Plan.each(S3Op.DELETE, config.objects()),
                    Math.min(config.concurrency(), config.objects()), progress), config.objects());
            }
            return new S3Report(config, rounds);
        }
    }

    private static void check(final String what, final S3Result result, final long expected)
    {
        if (result.errorCount() > 0 || result.result().ios() != expected)
        {
            throw new ConduitException(ErrorCode.IO_ERROR, what + ": " + result.result().ios() + " of " + expected +
                " succeeded; failures: " + result.errorsText() +
                (result.firstFailure() == null ? "" : " (" + result.firstFailure() + ")") +
                (result.errors().containsKey("403") ? "; check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" : ""));
        }
    }
}
