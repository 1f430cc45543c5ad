package dev.conduit.objecttier.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.DeleteResult;
import dev.conduit.objecttier.bucket.MetadataDirective;
import dev.conduit.objecttier.bucket.ObjectUpload;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.payload.ChecksumAlgorithm;
import dev.conduit.objecttier.payload.PayloadChecks;
import dev.conduit.objecttier.tier.TierWrite;
import dev.conduit.objecttier.xml.DeleteOutcome;
import dev.conduit.objecttier.xml.DeleteRequest;
import dev.conduit.objecttier.xml.S3Xml;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The operations that change objects: PutObject (streamed into the store), CopyObject,
 * DeleteObject, DeleteObjects and the object tagging trio.
 */
final class ObjectWrites
{
    private static final byte[] EMPTY = new byte[0];

    private final ServerContext server;

    ObjectWrites(final ServerContext server)
    {
        this.server = server;
    }

    /**
     * PutObject: the body streams into the store as it arrives and becomes visible at commit.
     *
     * @param exchange the request.
     */
    void put(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final HttpHeaders headers = request.headers();
        final String ifNoneMatch = headers.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null && !"*".equals(ifNoneMatch.trim()))
        {
            throw new S3Exception(S3Error.NotImplemented, "If-None-Match on PUT supports only *", request.resource());
        }
        final PayloadChecks checks = PayloadChecks.fromHeaders(headers, exchange.auth());
        final BodyReader body = new BodyReader(exchange, exchange.auth());
        final S3Metadata metadata = ObjectHeaders.metadataFrom(headers, true).withChecksums(headerChecksums(headers));
        final S3Object stored;
        final Map<String, String> verified;
        try (TierWrite tier = server.beginTierWrite(request.bucket(), request.key());
            ObjectUpload upload = server.buckets().beginPut(request.bucket(), request.key(), metadata,
            body.declaredLength(),
            ifNoneMatch != null))
        {
            verified = body.readInto(upload, checks);
            // The audit entry, and a write-back bucket's upload record, ride in the object's own commit.
            final Object note = tier.withUploadRecord(server.audit().notePut(exchange, server.buckets().versioning(request.bucket())));
            // A trailer checksum is known only now: it is stored by this same commit, never by a second write.
            stored = upload.commit(body.declaredLength(), checks.contentMd5(), verified, note);
            tier.committed(stored); // write-back: journaled before the acknowledgement
        }
        final HttpHeaders out = exchange.newHeaders();
        out.set(HttpHeaderNames.ETAG, ObjectHeaders.quote(stored.etag()));
        ObjectHeaders.checksums(out, verified);
        ObjectHeaders.versionId(out, stored, server.buckets().versioning(request.bucket()));
        exchange.respond(HttpResponseStatus.OK, out, EMPTY);
    }

    /**
     * @param headers request headers.
     * @return the checksums sent as headers (trailer checksums are added at commit).
     */
    static Map<String, String> headerChecksums(final HttpHeaders headers)
    {
        Map<String, String> checksums = Map.of();
        for (final ChecksumAlgorithm algorithm : ChecksumAlgorithm.values())
        {
            final String value = headers.get(algorithm.headerName());
            if (value != null)
            {
                checksums = Map.of(algorithm.name(), value);
            }
        }
        return checksums;
    }

    /**
     * CopyObject.
     *
     * @param exchange the request.
     */
    void copy(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final HttpHeaders headers = request.headers();
        final CopySource source = CopySource.parse(headers.get("x-amz-copy-source"));
        final MetadataDirective directive = directive(headers.get("x-amz-metadata-directive"));
        final boolean replaceTags = "REPLACE".equalsIgnoreCase(headers.get("x-amz-tagging-directive"));
        if (directive == MetadataDirective.COPY && !replaceTags && source.bucket().equals(request.bucket())
            && source.key().equals(request.key()) && source.versionId().isEmpty())
        {
            throw new S3Exception(S3Error.InvalidRequest,
                "This copy request is illegal because it is trying to copy an object to itself "
                + "without changing the object's metadata, storage class, website redirect location or encryption "
                + "attributes.",
                request.resource());
        }
        S3Metadata replacement = S3Metadata.EMPTY;
        MetadataDirective effective = directive;
        if (directive == MetadataDirective.REPLACE || replaceTags)
        {
            final S3Object current = server.buckets().head(source.bucket(), source.key())
                .orElseThrow(() -> S3Exception.of(S3Error.NoSuchKey, source.key()));
            final S3Metadata base = directive == MetadataDirective.REPLACE ? ObjectHeaders.metadataFrom(headers, false)
                : current.metadata();
            final Map<String, String> tags = replaceTags ? ObjectHeaders.tagsFrom(headers.get("x-amz-tagging"))
                : current.metadata().tags();
            replacement = base.withTags(tags).withChecksums(current.metadata().checksums());
            effective = MetadataDirective.REPLACE;
        }
        final String ifMatch = headers.get("x-amz-copy-source-if-match");
        checkCopySourceDates(headers, source, ifMatch != null);
        final S3Object copied;
        try (TierWrite tier = server.beginTierWrite(request.bucket(), request.key()))
        {
            copied = server.buckets().copy(source.bucket(), source.key(), source.versionId(), request.bucket(),
                request.key(), effective, replacement, ifMatch == null ? "" : unquote(ifMatch));
            tier.committed(copied); // write-back: queued like a PUT, before the acknowledgement
        }
        final HttpHeaders out = exchange.newHeaders();
        if (!source.versionId().isEmpty())
        {
            out.set("x-amz-copy-source-version-id", source.versionId());
        }
        ObjectHeaders.versionId(out, copied, server.buckets().versioning(request.bucket()));
        out.set(HttpHeaderNames.CONTENT_TYPE, S3Xml.CONTENT_TYPE);
        exchange.respond(HttpResponseStatus.OK, out, S3Xml.copyObjectResult(copied));
    }

    /**
     * The copy-source conditions other than If-Match (which the store checks atomically with the
     * copy), with the precedence of GET: If-None-Match decides alone when present, and
     * If-Unmodified-Since is ignored when If-Match is present. Any failure is 412.
     */
    private void checkCopySourceDates(final HttpHeaders headers, final CopySource source, final boolean hasIfMatch)
    {
        final String ifNoneMatch = headers.get("x-amz-copy-source-if-none-match");
        final Instant ifModifiedSince = HttpDates.parse(headers.get("x-amz-copy-source-if-modified-since"));
        final Instant ifUnmodifiedSince = hasIfMatch ? null
            : HttpDates.parse(headers.get("x-amz-copy-source-if-unmodified-since"));
        if (ifNoneMatch == null && ifModifiedSince == null && ifUnmodifiedSince == null)
        {
            return;
        }
        final S3Object current = server.buckets().head(source.bucket(), source.key())
            .orElseThrow(() -> S3Exception.of(S3Error.NoSuchKey, source.key()));
        final long modifiedSeconds = current.lastModified().getEpochSecond();
        final boolean failed = ifNoneMatch != null
            ? Preconditions.matches(ifNoneMatch, current.etag())
            : ifModifiedSince != null && modifiedSeconds <= ifModifiedSince.getEpochSecond();
        if (failed || (ifUnmodifiedSince != null && modifiedSeconds > ifUnmodifiedSince.getEpochSecond()))
        {
            throw S3Exception.of(S3Error.PreconditionFailed, source.key());
        }
    }

    private static MetadataDirective directive(final String value)
    {
        if (value == null || "COPY".equalsIgnoreCase(value))
        {
            return MetadataDirective.COPY;
        }
        if ("REPLACE".equalsIgnoreCase(value))
        {
            return MetadataDirective.REPLACE;
        }
        throw new S3Exception(S3Error.InvalidArgument, "Unknown metadata directive.", value);
    }

    static String unquote(final String etag)
    {
        final String trimmed = etag.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"") ? trimmed.substring(1,
            trimmed.length() - 1) : trimmed;
    }

    /**
     * DeleteObject: 204 whether or not the key existed; with versioning, the delete marker written
     * or the version removed in {@code x-amz-version-id} and {@code x-amz-delete-marker}.
     *
     * @param exchange the request.
     */
    void delete(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final DeleteResult deleted = deleteObject(request.bucket(), request.key(), request.param("versionId"));
        final HttpHeaders out = exchange.newHeaders();
        if (deleted.versionId() != null)
        {
            out.set(BucketStore.VERSION_ID_HEADER, deleted.versionId());
        }
        if (deleted.deleteMarker())
        {
            out.set(BucketStore.DELETE_MARKER_HEADER, "true");
        }
        exchange.respond(HttpResponseStatus.NO_CONTENT, out, EMPTY);
    }

    /**
     * Deletes locally and, for the current object of a write-back bucket (no version id), journals
     * the cold tier's delete before the caller acknowledges it.
     */
    private DeleteResult deleteObject(final String bucket, final String key, final String versionId)
    {
        if (versionId != null)
        {
            return server.buckets().deleteObject(bucket, key, versionId);
        }
        try (TierWrite tier = server.beginTierDelete(bucket, key))
        {
            final DeleteResult deleted = server.buckets().deleteObject(bucket, key, null);
            tier.deleted();
            return deleted;
        }
    }

    /**
     * DeleteObjects: one outcome per key, in the request's order.
     *
     * @param exchange the request.
     */
    void deleteMany(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final HttpHeaders headers = request.headers();
        if (!headers.contains(HttpHeaderNames.CONTENT_MD5) && headerChecksums(headers).isEmpty()
            && !headers.contains(PayloadChecks.TRAILER)
            && !headers.contains(PayloadChecks.SDK_CHECKSUM_ALGORITHM))
        {
            throw new S3Exception(S3Error.InvalidRequest, "Missing required header for this request: Content-MD5",
                request.resource());
        }
        final DeleteRequest delete = S3Xml.parseDelete(XmlBodies.read(exchange));
        final List<DeleteOutcome> outcomes = new ArrayList<>(delete.objects().size());
        for (final DeleteRequest.ObjectToDelete target : delete.objects())
        {
            try
            {
                ObjectKeys.validate(target.key());
                final DeleteResult deleted = deleteObject(request.bucket(), target.key(), target.versionId());
                outcomes.add(deleted.deleteMarker()
                    ? DeleteOutcome.deletedMarker(target.key(), target.versionId(), deleted.versionId())
                    : DeleteOutcome.deleted(target.key(), target.versionId()));
            }
            catch (final S3Exception e)
            {
                outcomes.add(DeleteOutcome.failed(target.key(), target.versionId(), e.error(), e.getMessage()));
            }
        }
        final HttpHeaders out = exchange.newHeaders();
        out.set(HttpHeaderNames.CONTENT_TYPE, S3Xml.CONTENT_TYPE);
        exchange.respond(HttpResponseStatus.OK, out, S3Xml.deleteResult(outcomes, delete.quiet()));
    }

    /**
     * GetObjectTagging.
     *
     * @param exchange the request.
     */
    void getTagging(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final S3Object object = server.buckets().head(request.bucket(), request.key())
            .orElseThrow(() -> S3Exception.of(S3Error.NoSuchKey, request.resource()));
        final HttpHeaders out = exchange.newHeaders();
        out.set(HttpHeaderNames.CONTENT_TYPE, S3Xml.CONTENT_TYPE);
        exchange.respond(HttpResponseStatus.OK, out, S3Xml.tagging(object.metadata().tags()));
    }

    /**
     * PutObjectTagging.
     *
     * @param exchange the request.
     */
    void putTagging(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        final Map<String, String> tags = S3Xml.parseTagging(XmlBodies.read(exchange));
        server.buckets().putTagging(request.bucket(), request.key(), new HashMap<>(tags));
        exchange.respond(HttpResponseStatus.OK, exchange.newHeaders(), EMPTY);
    }

    /**
     * DeleteObjectTagging.
     *
     * @param exchange the request.
     */
    void deleteTagging(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        server.buckets().putTagging(request.bucket(), request.key(), Map.of());
        exchange.respond(HttpResponseStatus.NO_CONTENT, exchange.newHeaders(), EMPTY);
    }
}
