package dev.conduit.objecttier.http;

import java.util.List;

import dev.conduit.objecttier.S3Exception;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Routing: path and virtual-host style, key decoding, sub-resources to operations. */
class HttpRouterTest
{
    private final Router router = new Router(List.of("localhost", "s3.example.com"));

    private S3Request route(final HttpMethod method, final String uri, final String host, final String... headers)
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        request.headers().set("Host", host);
        for (int i = 0; i < headers.length; i += 2)
        {
            request.headers().set(headers[i], headers[i + 1]);
        }
        return router.route(request);
    }

    private S3Request route(final Router.Memo memo, final String uri, final String host)
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set("Host", host);
        return router.route(request, memo);
    }

    @Test
    void shouldReuseTheConnectionsLastRoutedPathOnlyForTheSamePathAndHost()
    {
        final Router.Memo memo = new Router.Memo();
        final S3Request first = route(memo, "/bkt/dir/a%20b", "127.0.0.1");
        final S3Request again = route(memo, "/bkt/dir/a%20b?x-id=GetObject", "127.0.0.1");
        assertSame(first.bucket(), again.bucket());
        assertSame(first.key(), again.key());
        assertEquals("dir/a b", again.key());
        assertEquals("GetObject", again.param("x-id"));
        // A longer or different path, or another host naming a bucket, is routed afresh.
        assertEquals("dir/a bc", route(memo, "/bkt/dir/a%20bc", "127.0.0.1").key());
        assertEquals("dir/a b", route(memo, "/bkt/dir/a%20b", "127.0.0.1").key());
        final S3Request virtualHost = route(memo, "/bkt/dir/a%20b", "media.s3.example.com");
        assertEquals("media", virtualHost.bucket());
        assertEquals("bkt/dir/a b", virtualHost.key());
        final S3Request otherHost = route(memo, "/bkt/dir/a%20b", "other.s3.example.com");
        assertEquals("other", otherHost.bucket());
        assertEquals(Operation.Metrics, route(memo, "/_conduit/metrics", "127.0.0.1").operation());
        assertEquals("bkt", route(memo, "/bkt/dir/a%20b", "127.0.0.1").bucket());
    }

    @Test
    void shouldSplitPathStyleRequestsAndDecodeKeysKeepingPlus()
    {
        final S3Request request = route(HttpMethod.GET, "/bkt/dir/a%20b+c%2Fd?x-id=GetObject", "127.0.0.1:9400");
        assertEquals("bkt", request.bucket());
        assertEquals("dir/a b+c/d", request.key());
        assertEquals(Operation.GetObject, request.operation());
        assertEquals("/bkt/dir/a b+c/d", request.resource());
    }

    @Test
    void shouldDecodeEscapesAndRawCharactersAsUtf8()
    {
        // Raw non-ASCII characters (BMP and beyond it) next to escapes of their UTF-8 bytes.
        final S3Request request = route(HttpMethod.GET, "/bkt/\u00e9%C3%A9\uD83D\uDE00%F0%9F%98%80~%7e?prefix=a+b%2Bc%E2%82%AC",
            "127.0.0.1");
        assertEquals("\u00e9\u00e9\uD83D\uDE00\uD83D\uDE00~~", request.key());
        assertEquals("a b+c\u20ac", request.param("prefix"));
        assertThrows(S3Exception.class, () -> route(HttpMethod.GET, "/bkt/a%4", "127.0.0.1"));
        assertThrows(S3Exception.class, () -> route(HttpMethod.GET, "/bkt/a%zz", "127.0.0.1"));
    }

    @Test
    void shouldTakeTheBucketFromAVirtualHost()
    {
        final S3Request request = route(HttpMethod.PUT, "/k%C3%A9y", "media.s3.example.com:9400");
        assertEquals("media", request.bucket());
        assertEquals("kéy", request.key());
        assertEquals(Operation.PutObject, request.operation());
        assertEquals("", route(HttpMethod.GET, "/", "127.0.0.1").bucket());
        assertEquals("media", route(HttpMethod.GET, "/k", "Media.S3.Example.COM").bucket(), "host names are case-insensitive");
        assertEquals("b", route(HttpMethod.GET, "/b/k", "s3.example.com:9400").bucket(), "the bare domain is path style");
        assertEquals("b", route(HttpMethod.GET, "/b/k", "xs3.example.com").bucket(), "only a whole label names a bucket");
        assertEquals("b", route(HttpMethod.GET, "/b/k", "[::1]:9400").bucket());
        assertEquals("k", route(HttpMethod.GET, "/b/k", "[::1]").key());
    }

    @Test
    void shouldMapSubResourcesToOperations()
    {
        assertEquals(Operation.ListBuckets, route(HttpMethod.GET, "/", "h").operation());
        assertEquals(Operation.ListObjectsV2, route(HttpMethod.GET, "/b?list-type=2&prefix=a", "h").operation());
        assertEquals(Operation.ListObjects, route(HttpMethod.GET, "/b/", "h").operation());
        assertEquals(Operation.ListObjectVersions, route(HttpMethod.GET, "/b?versions", "h").operation());
        assertEquals(Operation.ListMultipartUploads, route(HttpMethod.GET, "/b?uploads", "h").operation());
        assertEquals(Operation.GetBucketLocation, route(HttpMethod.GET, "/b?location", "h").operation());
        assertEquals(Operation.PutBucketAcl, route(HttpMethod.PUT, "/b?acl", "h").operation());
        assertEquals(Operation.DeleteObjects, route(HttpMethod.POST, "/b?delete", "h").operation());
        assertEquals(Operation.CreateMultipartUpload, route(HttpMethod.POST, "/b/k?uploads", "h").operation());
        assertEquals(Operation.UploadPart, route(HttpMethod.PUT, "/b/k?partNumber=2&uploadId=u", "h").operation());
        assertEquals(Operation.UploadPartCopy, route(HttpMethod.PUT, "/b/k?partNumber=2&uploadId=u", "h",
            "x-amz-copy-source", "/s/k").operation());
        assertEquals(Operation.CopyObject, route(HttpMethod.PUT, "/b/k", "h", "x-amz-copy-source", "/s/k").operation());
        assertEquals(Operation.CompleteMultipartUpload, route(HttpMethod.POST, "/b/k?uploadId=u", "h").operation());
        assertEquals(Operation.AbortMultipartUpload, route(HttpMethod.DELETE, "/b/k?uploadId=u", "h").operation());
        assertEquals(Operation.ListParts, route(HttpMethod.GET, "/b/k?uploadId=u", "h").operation());
        assertEquals(Operation.GetObjectTagging, route(HttpMethod.GET, "/b/k?tagging", "h").operation());
        assertEquals(Operation.PutObjectTagging, route(HttpMethod.PUT, "/b/k?tagging", "h").operation());
        assertEquals(Operation.DeleteObjectTagging, route(HttpMethod.DELETE, "/b/k?tagging", "h").operation());
        assertEquals(Operation.Unsupported, route(HttpMethod.GET, "/b?policy", "h").operation());
        assertEquals(Operation.Unsupported, route(HttpMethod.GET, "/b/k?torrent", "h").operation());
        assertEquals(Operation.Unsupported, route(HttpMethod.PATCH, "/b/k", "h").operation());
    }

    @Test
    void shouldServeAdminEndpointsOnlyUnderTheirPrefix()
    {
        assertEquals(Operation.Metrics, route(HttpMethod.GET, "/_conduit/metrics", "h").operation());
        assertEquals(Operation.Health, route(HttpMethod.GET, "/_conduit/health", "h").operation());
        final S3Request bucketNamedMetrics = route(HttpMethod.GET, "/metrics", "h");
        assertEquals(Operation.ListObjects, bucketNamedMetrics.operation());
        assertEquals("metrics", bucketNamedMetrics.bucket());
    }

    @Test
    void shouldRouteTierAdministrationWithItsOperationAsTheKey()
    {
        final S3Request list = route(HttpMethod.GET, "/_conduit/tier", "h");
        assertEquals(Operation.TierAdmin, list.operation());
        assertEquals("", list.key());
        final S3Request prefetch = route(HttpMethod.POST, "/_conduit/tier/prefetch?bucket=b&prefix=a%20b", "h");
        assertEquals(Operation.TierAdmin, prefetch.operation());
        assertEquals("prefetch", prefetch.key());
        assertEquals("a b", prefetch.param("prefix"));
        assertEquals(Operation.Unsupported, route(HttpMethod.GET, "/_conduit/tiers", "h").operation());
    }

    @Test
    void shouldRejectMalformedEscapes()
    {
        assertThrows(S3Exception.class, () -> route(HttpMethod.GET, "/b/%zz", "h"));
        assertThrows(S3Exception.class, () -> route(HttpMethod.GET, "/b/k%2", "h"));
    }
}
