package dev.conduit.cli.serve;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * AWS SDK v2 clients for a {@code conduit serve} process, configured from its banner only: what a
 * user would paste. Checksums stay at the SDK's defaults (CRC32 on every PUT).
 */
final class S3Clients
{
    private S3Clients()
    {
    }

    /**
     * @param banner the server's banner.
     * @return a path-style client with the SDK's default retries.
     */
    static S3Client of(final ServeProcess.Banner banner)
    {
        return builder(banner).build();
    }

    /**
     * @param banner the server's banner.
     * @return a client that never retries, so a request cut by a killed server fails at once
     *         instead of backing off against a dead port.
     */
    static S3Client withoutRetries(final ServeProcess.Banner banner)
    {
        return builder(banner).overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    private static S3ClientBuilder builder(final ServeProcess.Banner banner)
    {
        return S3Client.builder()
            .endpointOverride(banner.endpoint())
            .region(Region.of(banner.region()))
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(banner.accessKeyId(), banner.secretKey())))
            .httpClientBuilder(ApacheHttpClient.builder());
    }
}
