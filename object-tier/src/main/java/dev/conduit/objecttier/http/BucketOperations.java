package dev.conduit.objecttier.http;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketInfo;
import dev.conduit.objecttier.xml.S3Xml;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Service- and bucket-level operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
 * GetBucketLocation, the minimal ACLs (private or public-read; public-read is what lets
 * anonymous clients GET and HEAD the bucket's objects), Get/PutBucketVersioning and the bucket
 * lifecycle configuration (noncurrent version expiration, applied by the lifecycle sweeper).
 */
final class BucketOperations
{
    private static final byte[] EMPTY = new byte[0];
    private static final String CANNED_ACL = "x-amz-acl";

    private final ServerContext server;
    private final String region;

    BucketOperations(final ServerContext server, final String region)
    {
        this.server = server;
        this.region = region;
    }

    void listBuckets(final Exchange exchange)
    {
        xml(exchange, S3Xml.listAllMyBuckets(server.buckets().listBuckets(), Owners.CONDUIT));
    }

    void create(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final String constraint = S3Xml.parseCreateBucketConfiguration(XmlBodies.read(exchange));
        if (!constraint.isEmpty() && !constraint.equals(region))
        {
            throw new S3Exception(S3Error.InvalidArgument,
                "The specified location-constraint is not valid for this endpoint: " + region,
                request.resource());
        }
        final Boolean publicRead = cannedAcl(request.headers());
        server.buckets().createBucket(request.bucket());
        if (publicRead != null && publicRead)
        {
            server.buckets().setPublicRead(request.bucket(), true);
        }
        final HttpHeaders out = exchange.newHeaders();
        out.set(HttpHeaderNames.LOCATION, "/" + request.bucket());
        exchange.respond(HttpResponseStatus.OK, out, EMPTY);
    }

    void head(final Exchange exchange)
    {
        server.buckets().requireBucket(exchange.request().bucket());
        final HttpHeaders out = exchange.newHeaders();
        out.set("x-amz-bucket-region", region);
        exchange.respond(HttpResponseStatus.OK, out, EMPTY);
    }

    void delete(final Exchange exchange)
    {
        server.buckets().deleteBucket(exchange.request().bucket());
        exchange.respond(HttpResponseStatus.NO_CONTENT, exchange.newHeaders(), EMPTY);
    }

    void location(final Exchange exchange)
    {
        server.buckets().requireBucket(exchange.request().bucket());
        xml(exchange, S3Xml.locationConstraint(region));
    }

    void getAcl(final Exchange exchange)
    {
        final BucketInfo bucket = server.buckets().requireBucket(exchange.request().bucket());
        xml(exchange, S3Xml.accessControlPolicy(Owners.CONDUIT, bucket.publicRead()));
    }

    void putAcl(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        server.buckets().requireBucket(request.bucket());
        Boolean publicRead = cannedAcl(request.headers());
        final byte[] body = XmlBodies.read(exchange);
        if (publicRead == null)
        {
            if (body.length == 0)
            {
                throw new S3Exception(S3Error.MissingRequestBodyError,
                    "PutBucketAcl needs an x-amz-acl header or a body", request.resource());
            }
            publicRead = S3Xml.parseAccessControlPolicy(body);
        }
        server.buckets().setPublicRead(request.bucket(), publicRead);
        exchange.respond(HttpResponseStatus.OK, exchange.newHeaders(), EMPTY);
    }

    void getVersioning(final Exchange exchange)
    {
        final BucketInfo bucket = server.buckets().requireBucket(exchange.request().bucket());
        xml(exchange, S3Xml.versioningConfiguration(bucket.versioning()));
    }

    void putVersioning(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        server.buckets().requireBucket(request.bucket());
        server.buckets().setVersioning(request.bucket(), S3Xml.parseVersioningConfiguration(XmlBodies.read(exchange)));
        exchange.respond(HttpResponseStatus.OK, exchange.newHeaders(), EMPTY);
    }

    void getLifecycle(final Exchange exchange)
    {
        final String bucket = exchange.request().bucket();
        xml(exchange, S3Xml.lifecycleConfiguration(server.buckets().lifecycle(bucket)
            .orElseThrow(() -> S3Exception.of(S3Error.NoSuchLifecycleConfiguration, bucket))));
    }

    void putLifecycle(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        server.buckets().requireBucket(request.bucket());
        server.buckets().putLifecycle(request.bucket(), S3Xml.parseLifecycleConfiguration(XmlBodies.read(exchange)));
        exchange.respond(HttpResponseStatus.OK, exchange.newHeaders(), EMPTY);
    }

    void deleteLifecycle(final Exchange exchange)
    {
        server.buckets().deleteLifecycle(exchange.request().bucket());
        exchange.respond(HttpResponseStatus.NO_CONTENT, exchange.newHeaders(), EMPTY);
    }

    /**
     * @param headers request headers.
     * @return whether x-amz-acl asks for public-read (true) or private (false); null when absent.
     */
    private static Boolean cannedAcl(final HttpHeaders headers)
    {
        final String acl = headers.get(CANNED_ACL);
        if (acl == null)
        {
            return null;
        }
        return switch (acl.trim())
        {
            case "private" -> Boolean.FALSE;
            case "public-read" -> Boolean.TRUE;
            default -> throw new S3Exception(S3Error.NotImplemented,
                "Only the private and public-read canned ACLs are supported", acl);
        };
    }

    static void xml(final Exchange exchange, final byte[] body)
    {
        final HttpHeaders out = exchange.newHeaders();
        out.set(HttpHeaderNames.CONTENT_TYPE, S3Xml.CONTENT_TYPE);
        exchange.respond(HttpResponseStatus.OK, out, body);
    }
}
