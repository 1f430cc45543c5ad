package dev.conduit.cli.serve;

import java.nio.file.Path;

import dev.conduit.objecttier.auth.Credentials;

/**
 * What {@code conduit serve} prints once it is listening: one {@code name: value} line per fact
 * (scripts and tests read {@code endpoint:}, {@code access key:} and {@code secret key:}), then an
 * AWS CLI example that pastes as is. Printed only after the endpoint is bound, so reading the
 * {@code endpoint:} line means the server accepts requests.
 *
 * @param endpoint    the URL clients use.
 * @param region      the region they sign for.
 * @param credentials the key they sign with.
 * @param keySource   where the key comes from, in words.
 * @param dataDir     the data directory.
 */
record ServeBanner(String endpoint, String region, Credentials credentials, String keySource, Path dataDir)
{
    /** The bucket name the example creates. */
    static final String EXAMPLE_BUCKET = "my-bucket";

    /**
     * @param file the generated key's file.
     * @param generated whether this start generated it.
     * @return the key source in words.
     */
    static String keptIn(final Path file, final boolean generated)
    {
        return (generated ? "generated now, kept in " : "kept in ") + file;
    }

    /** @return the text, ending with a newline. */
    String render()
    {
        final String url = "--endpoint-url " + endpoint;
        return "endpoint:   " + endpoint + "\n"
            + "region:     " + region + "\n"
            + "access key: " + credentials.accessKeyId() + "\n"
            + "secret key: " + credentials.secretKey() + "\n"
            + "keys:       " + keySource + "\n"
            + "data:       " + dataDir + "\n"
            + "\n"
            + "Try it with the AWS CLI:\n"
            + "  export AWS_ACCESS_KEY_ID=" + credentials.accessKeyId() + "\n"
            + "  export AWS_SECRET_ACCESS_KEY=" + credentials.secretKey() + "\n"
            + "  export AWS_DEFAULT_REGION=" + region + "\n"
            + "  aws " + url + " s3 mb s3://" + EXAMPLE_BUCKET + "\n"
            + "  aws " + url + " s3 cp ./file s3://" + EXAMPLE_BUCKET + "/\n"
            + "  aws " + url + " s3 ls s3://" + EXAMPLE_BUCKET + "/\n"
            + "\n"
            + "Serving until Ctrl-C or SIGTERM (requests in flight finish first). More: docs/S3.md\n";
    }
}
