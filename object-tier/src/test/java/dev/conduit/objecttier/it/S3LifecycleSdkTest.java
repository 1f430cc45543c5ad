package dev.conduit.objecttier.it;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.objecttier.bucket.LifecycleSweeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lifecycle of noncurrent versions through the AWS SDK v2: the configuration is set, read back and
 * deleted over HTTP, and a {@link LifecycleSweeper} on the server's buckets with a manual clock
 * expires exactly the versions the rules say (NoncurrentDays counted from when a version became
 * noncurrent, NewerNoncurrentVersions kept whatever their age).
 */
@Timeout(120)
final class S3LifecycleSdkTest
{
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);

    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture();

    @Test
    void shouldExpireNoncurrentVersionsByAgeAndKeepTheNewestN()
    {
        final String bucket = S3.newBucket();
        S3.client().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        S3.client().putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(
            LifecycleRule.builder().id("ckpt").filter(f -> f.prefix("ckpt/")).status(ExpirationStatus.ENABLED)
                .noncurrentVersionExpiration(e -> e.noncurrentDays(30).newerNoncurrentVersions(2)).build(),
            LifecycleRule.builder().id("logs").filter(f -> f.prefix("logs/")).status(ExpirationStatus.ENABLED)
                .noncurrentVersionExpiration(e -> e.noncurrentDays(1)).build())));
        final GetBucketLifecycleConfigurationResponse stored = S3.client().getBucketLifecycleConfiguration(b -> b.bucket(bucket));
        assertEquals(List.of("ckpt", "logs"), stored.rules().stream().map(LifecycleRule::id).toList());
        assertEquals(2, stored.rules().getFirst().noncurrentVersionExpiration().newerNoncurrentVersions());
        assertEquals("ckpt/", stored.rules().getFirst().filter().prefix());

        for (int i = 0; i < 5; i++)
        {
            final String body = "step " + i;
            S3.client().putObject(b -> b.bucket(bucket).key("ckpt/model"), RequestBody.fromString(body));
            S3.client().putObject(b -> b.bucket(bucket).key("logs/run"), RequestBody.fromString(body));
        }
        S3.client().putObject(b -> b.bucket(bucket).key("other"), RequestBody.fromString("a"));
        S3.client().putObject(b -> b.bucket(bucket).key("other"), RequestBody.fromString("b"));
        final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        final LifecycleSweeper sweeper = new LifecycleSweeper(S3.buckets(), clock::get);

        assertEquals(0, sweeper.sweepOnce(), "nothing has been noncurrent for a day yet");
        clock.addAndGet(2 * DAY_MS);
        assertEquals(4, sweeper.sweepOnce(), "every noncurrent logs/ version is a day old");
        assertEquals(1, versions(bucket, "logs/").size());
        assertEquals(5, versions(bucket, "ckpt/").size());
        clock.addAndGet(30 * DAY_MS);
        assertEquals(2, sweeper.sweepOnce(), "ckpt/ keeps its current and two newest noncurrent versions");
        assertEquals(List.of(true, false, false), versions(bucket, "ckpt/").stream().map(ObjectVersion::isLatest).toList());
        assertEquals("step 4", S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("ckpt/model")).asUtf8String());
        assertEquals(2, versions(bucket, "other").size(), "no rule covers other");
        assertEquals(0, sweeper.sweepOnce());

        S3.client().deleteBucketLifecycle(b -> b.bucket(bucket));
        final S3Exception gone = assertThrows(S3Exception.class, () -> S3.client().getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
        assertEquals("NoSuchLifecycleConfiguration", gone.awsErrorDetails().errorCode());
    }

    @Test
    void shouldRefuseLifecycleActionsItDoesNotApply()
    {
        final String bucket = S3.newBucket();
        final S3Exception refused = assertThrows(S3Exception.class, () -> S3.client().putBucketLifecycleConfiguration(b -> b.bucket(bucket)
            .lifecycleConfiguration(c -> c.rules(LifecycleRule.builder().id("x").filter(f -> f.prefix("")).status(ExpirationStatus.ENABLED)
                .expiration(e -> e.days(3)).build()))));
        assertEquals(501, refused.statusCode());
    }

    private static List<ObjectVersion> versions(final String bucket, final String prefix)
    {
        return S3.client().listObjectVersions(b -> b.bucket(bucket).prefix(prefix)).versions();
    }
}
