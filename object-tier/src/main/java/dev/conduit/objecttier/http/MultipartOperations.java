package dev.conduit.objecttier.http;

import java.util.Map;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.MultipartUpload;
import dev.conduit.objecttier.bucket.ObjectUpload;
import dev.conduit.objecttier.bucket.PartInfo;
import dev.conduit.objecttier.bucket.PartListing;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.payload.PayloadChecks;
import dev.conduit.objecttier.tier.TierWrite;
import dev.conduit.objecttier.xml.S3Xml;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Multipart uploads: create, upload a part (streamed like PutObject) or copy one, complete,
 * abort, list parts.
 */
final class MultipartOperations
{
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_PART_NUMBER = 10_000;

    private final ServerContext server;

    MultipartOperations(final ServerContext server)
    {
        this.server = server;
    }

    void create(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final MultipartUpload upload = server.buckets().createUpload(request.bucket(), request.key(),
            ObjectHeaders.metadataFrom(request.headers(), true));
        BucketOperations.xml(exchange, S3Xml.initiateMultipartUploadResult(upload));
    }

    void uploadPart(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final int partNumber = QueryParams.intParam(request, "partNumber", 0, 1, Integer.MAX_VALUE);
        checkPartNumber(partNumber);
        final PayloadChecks checks = PayloadChecks.fromHeaders(request.headers(), exchange.auth());
        final BodyReader body = new BodyReader(exchange, exchange.auth());
        final S3Object part;
        final Map<String, String> verified;
        try (ObjectUpload upload = server.buckets().beginPart(request.bucket(), request.key(),
            request.param("uploadId"), partNumber,
            body.declaredLength()))
        {
            verified = body.readInto(upload, checks);
            part = upload.commit(body.declaredLength(), checks.contentMd5());
        }
        final HttpHeaders out = exchange.newHeaders();
        out.set(HttpHeaderNames.ETAG, ObjectHeaders.quote(part.etag()));
        ObjectHeaders.checksums(out, verified);
        exchange.respond(HttpResponseStatus.OK, out, EMPTY);
    }

    void copyPart(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final int partNumber = QueryParams.intParam(request, "partNumber", 0, 1, Integer.MAX_VALUE);
        checkPartNumber(partNumber);
        final CopySource source = CopySource.parse(request.headers().get("x-amz-copy-source"));
        long offset = 0;
        long length = -1;
        final String range = request.headers().get("x-amz-copy-source-range");
        if (range != null)
        {
            final long[] bounds = copyRange(range);
            offset = bounds[0];
            length = bounds[1] - bounds[0] + 1;
        }
        final PartInfo part = server.buckets().copyPart(request.bucket(), request.key(), request.param("uploadId"),
            partNumber,
            source.bucket(), source.key(), offset, length);
        BucketOperations.xml(exchange, S3Xml.copyPartResult(part));
    }

    /** @return first and last byte of {@code bytes=first-last}. */
    private static long[] copyRange(final String header)
    {
        final String value = header.trim();
        final int dash = value.indexOf('-');
        if (!value.startsWith("bytes=") || dash < 0)
        {
            throw invalidRange(header);
        }
        try
        {
            final long first = Long.parseLong(value.substring("bytes=".length(), dash));
            final long last = Long.parseLong(value.substring(dash + 1));
            if (first < 0 || last < first)
            {
                throw invalidRange(header);
            }
            return new long[] {first, last};
        }
        catch (final NumberFormatException e)
        {
            throw invalidRange(header);
        }
    }

    private static S3Exception invalidRange(final String header)
    {
        return new S3Exception(S3Error.InvalidArgument,
            "The x-amz-copy-source-range value must be of the form bytes=first-last "
            + "where first and last are the zero-based offsets of the first and last bytes to copy", header);
    }

    void complete(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final byte[] body = XmlBodies.read(exchange);
        if (body.length == 0)
        {
            throw new S3Exception(S3Error.MalformedXML, S3Error.MalformedXML.defaultMessage(), request.resource());
        }
        final S3Object object;
        try (TierWrite tier = server.beginTierWrite(request.bucket(), request.key()))
        {
            object = server.buckets().completeUpload(request.bucket(), request.key(), request.param("uploadId"),
                S3Xml.parseCompleteMultipartUpload(body));
            tier.committed(object); // write-back: queued like a PUT, before the acknowledgement
        }
        final String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        final String location = "http://" + host + "/" + request.bucket() + "/" + PercentCodec.encode(request.key(),
            true);
        final HttpHeaders out = exchange.newHeaders();
        out.set(HttpHeaderNames.CONTENT_TYPE, S3Xml.CONTENT_TYPE);
        ObjectHeaders.versionId(out, object, server.buckets().versioning(request.bucket()));
        exchange.respond(HttpResponseStatus.OK, out, S3Xml.completeMultipartUploadResult(location, object));
    }

    void abort(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        server.buckets().abortUpload(request.bucket(), request.key(), request.param("uploadId"));
        exchange.respond(HttpResponseStatus.NO_CONTENT, exchange.newHeaders(), EMPTY);
    }

    void listParts(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final int marker = QueryParams.intParam(request, "part-number-marker", 0, 0, MAX_PART_NUMBER);
        final int maxParts = QueryParams.intParam(request, "max-parts", 1000, 1, 1000);
        final PartListing listing = server.buckets().listParts(request.bucket(), request.key(),
            request.param("uploadId"), marker, maxParts);
        BucketOperations.xml(exchange, S3Xml.listParts(listing, marker, maxParts, Owners.CONDUIT));
    }

    private static void checkPartNumber(final int partNumber)
    {
        if (partNumber > MAX_PART_NUMBER)
        {
            throw new S3Exception(S3Error.InvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive", "partNumber");
        }
    }
}
