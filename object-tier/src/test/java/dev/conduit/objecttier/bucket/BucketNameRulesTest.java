package dev.conduit.objecttier.bucket;

import dev.conduit.objecttier.S3Error;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.conduit.objecttier.bucket.TestBuckets.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NameRules}: S3's bucket naming rules and Conduit's key rules, each rule on both sides of its edge. */
class BucketNameRulesTest
{
    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-bucket", "my.bucket.v2", "0-9", "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz", "xn-a", "s3alias-b", "a-s3aliasx", "1.2.3", "1234.1.1.1", "1.2.3.4.5", "1.2.3.a"})
    void shouldAcceptBucketNamesWithinTheRules(final String name)
    {
        assertDoesNotThrow(() -> NameRules.checkBucket(name));
        assertTrue(NameRules.isValidBucket(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ab", "toolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolong1", "My-bucket", "my_bucket", "-abc", "abc-",
        ".abc", "abc.", "a..b", "192.168.1.1", "xn--abc", "sthree-abc", "amzn-s3-demo-x", "abc-s3alias", "abc--ol-s3",
        "abc.mrap", "abc--x-s3", "abc--table-s3", "a/b", "", "ab c", "1.2.3.4", "999.0.12.1"})
    void shouldRefuseBucketNamesThatBreakARule(final String name)
    {
        assertS3Error(S3Error.InvalidBucketName, () -> NameRules.checkBucket(name));
        assertFalse(NameRules.isValidBucket(name));
    }

    @Test
    void shouldAcceptKeysUpTo1024Utf8BytesCountingMultiByteCharacters()
    {
        // 341 three-byte characters and one byte: 1024 bytes, far fewer than 1024 chars.
        assertDoesNotThrow(() -> NameRules.checkKey("€".repeat(341) + "a"));
        assertS3Error(S3Error.KeyTooLongError, () -> NameRules.checkKey("€".repeat(341) + "ab"));
        assertDoesNotThrow(() -> NameRules.checkKey("k".repeat(1024)));
        assertS3Error(S3Error.KeyTooLongError, () -> NameRules.checkKey("k".repeat(1025)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "..a", "a..", "a/.../b", "./a", "a/./b", "a/b/", "a//b", "😀/é", "dir/file.txt"})
    void shouldAcceptKeysWithDotsThatAreNotAParentSegment(final String key)
    {
        assertDoesNotThrow(() -> NameRules.checkKey(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../a", "a/..", "a/../b", "a/b/../../c", "/a", "/", "a\0b", "\0"})
    void shouldRefuseParentSegmentsLeadingSlashAndNul(final String key)
    {
        assertS3Error(S3Error.InvalidArgument, () -> NameRules.checkKey(key));
    }

    @Test
    void shouldRefuseEmptyKeysAndUnpairedSurrogates()
    {
        assertS3Error(S3Error.InvalidArgument, () -> NameRules.checkKey(""));
        assertS3Error(S3Error.InvalidArgument, () -> NameRules.checkKey("a\uD800b"));
        assertS3Error(S3Error.InvalidArgument, () -> NameRules.checkKey("a\uD800"));
        assertS3Error(S3Error.InvalidArgument, () -> NameRules.checkKey("\uDC00a"));
        assertS3Error(S3Error.InvalidArgument, () -> NameRules.checkKey("\uDC00\uD800"));
    }
}
