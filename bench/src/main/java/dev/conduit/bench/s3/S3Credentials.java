package dev.conduit.bench.s3;

import java.util.Map;
import java.util.Objects;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The key pair and region requests are signed with, from the usual AWS environment variables.
 *
 * @param accessKeyId     {@code AWS_ACCESS_KEY_ID}.
 * @param secretAccessKey {@code AWS_SECRET_ACCESS_KEY}.
 * @param region          {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else {@link #REGION_DEFAULT}.
 */
public record S3Credentials(String accessKeyId, String secretAccessKey, String region)
{
    /** The region signed for when the environment names none. */
    public static final String REGION_DEFAULT = "us-east-1";

    /** Validates. */
    public S3Credentials
    {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(region, "region");
    }

    /**
     * @param env the environment (the caller's copy: the CLI passes its own, tests a map).
     * @return the credentials.
     * @throws ConduitException {@link ErrorCode#INVALID_ARGUMENT} naming the missing variable.
     */
    public static S3Credentials fromEnvironment(final Map<String, String> env)
    {
        final String id = env.get("AWS_ACCESS_KEY_ID");
        final String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank() || secret == null || secret.isBlank())
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT,
                "an s3:// target needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION, " +
                "default " + REGION_DEFAULT + ")");
        }
        String region = env.get("AWS_REGION");
        if (region == null || region.isBlank())
        {
            region = env.getOrDefault("AWS_DEFAULT_REGION", REGION_DEFAULT);
        }
        return new S3Credentials(id, secret, region.isBlank() ? REGION_DEFAULT : region);
    }

    /** @return the key id and region; never the secret, so a config can be printed. */
    @Override
    public String toString()
    {
        return "S3Credentials[accessKeyId=" + accessKeyId + ", region=" + region + "]";
    }
}
