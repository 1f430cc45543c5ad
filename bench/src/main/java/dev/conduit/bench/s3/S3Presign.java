package dev.conduit.bench.s3;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Prints one presigned GET URL per object of a set, one a line, so HTTP tools without SigV4 (wrk)
 * can load an S3 server with the same objects the generator uses. Credentials come from the AWS
 * environment variables, as for the generator.
 *
 * <p>Usage: {@code S3Presign --target s3://BUCKET/PREFIX --endpoint http://HOST:PORT --objects N
 * [--expiry-s SECONDS]}.
 */
public final class S3Presign
{
    private S3Presign()
    {
    }

    /**
     * @param target    the set's bucket, prefix and endpoint.
     * @param creds     the signing credentials.
     * @param objects   how many objects.
     * @param expiry    how long the URLs stay valid.
     * @param out       where the URLs go.
     */
    static void print(final S3Target target, final S3Credentials creds, final int objects, final Duration expiry,
        final PrintStream out)
    {
        final S3Signer signer = new S3Signer(target, creds, 1);
        for (int i = 0; i < objects; i++)
        {
            out.println(signer.presignedGet(i, expiry));
        }
        out.flush();
    }

    /**
     * @param args {@code --target s3://BUCKET/PREFIX --endpoint URL --objects N [--expiry-s SECONDS]}.
     */
    public static void main(final String[] args)
    {
        String target = null;
        String endpoint = null;
        int objects = 1;
        long expiryS = 3600;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--target" -> target = args[i + 1];
                case "--endpoint" -> endpoint = args[i + 1];
                case "--objects" -> objects = Integer.parseInt(args[i + 1]);
                case "--expiry-s" -> expiryS = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (target == null)
        {
            throw new IllegalArgumentException("usage: S3Presign --target s3://BUCKET/PREFIX --endpoint URL --objects N");
        }
        print(S3Target.parse(target, endpoint), S3Credentials.fromEnvironment(System.getenv()), objects,
            Duration.ofSeconds(expiryS), System.out);
    }
}
