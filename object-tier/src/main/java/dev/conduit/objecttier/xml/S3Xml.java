package dev.conduit.objecttier.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketInfo;
import dev.conduit.objecttier.bucket.CompletedPart;
import dev.conduit.objecttier.bucket.LifecycleRule;
import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.MultipartUpload;
import dev.conduit.objecttier.bucket.PartInfo;
import dev.conduit.objecttier.bucket.PartListing;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.bucket.S3Version;
import dev.conduit.objecttier.bucket.UploadListing;
import dev.conduit.objecttier.bucket.VersionListResult;

/**
 * Every XML document the S3 endpoint writes or reads, as AWS S3 spells it: UTF-8, S3's namespace
 * on the root (except {@code Error}), ISO-8601 UTC timestamps with milliseconds, ETags in escaped
 * quotes, {@code STANDARD} storage class. Writers return the finished document; the HTTP layer
 * wraps it ({@code Unpooled.wrappedBuffer}) and sets {@code Content-Type: application/xml}.
 *
 * <pre>{@code
 * final byte[] body = S3Xml.listObjectsV2(new ListParams(bucket, prefix, delimiter, maxKeys, urlEncoding),
 *     startAfter, token, nextToken, buckets.list(bucket, query), fetchOwner ? owner : null);
 * final List<CompletedPart> parts = S3Xml.parseCompleteMultipartUpload(requestBody);   // MalformedXML if not
 * }</pre>
 *
 * <p>Readers accept bodies up to {@link #MAX_XML_BODY_BYTES}; DTDs and entities are refused (no
 * XXE), and anything that is not the expected document is an {@link S3Exception} with
 * {@link S3Error#MalformedXML} (or the finer code the operation has, such as {@code InvalidTag}).
 *
 * <p>Threading: stateless; any thread.
 */
public final class S3Xml
{
    /** Largest request body the readers accept; the HTTP layer refuses a larger body before reading it. */
    public static final int MAX_XML_BODY_BYTES = SafeXmlReader.MAX_BODY_BYTES;
    /** Most keys one DeleteObjects request may name. */
    public static final int MAX_DELETE_KEYS = DeleteXml.MAX_KEYS;
    /** The version id S3 reports for objects of an unversioned bucket, which is every Conduit object. */
    public static final String NULL_VERSION_ID = ListingXml.NULL_VERSION_ID;
    /** The Content-Type of every document written here. */
    public static final String CONTENT_TYPE = "application/xml";

    private S3Xml()
    {
    }

    // ---- buckets

    /**
     * @param buckets the buckets, in the order to list them.
     * @param owner   their owner.
     * @return ListAllMyBucketsResult.
     */
    public static byte[] listAllMyBuckets(final List<BucketInfo> buckets, final Owner owner)
    {
        return BucketXml.listAllMyBuckets(buckets, owner);
    }

    /**
     * @param region the bucket's region; {@code us-east-1} is written as an empty constraint, as S3 does.
     * @return LocationConstraint.
     */
    public static byte[] locationConstraint(final String region)
    {
        return BucketXml.locationConstraint(region);
    }

    /**
     * @param owner      the bucket or object owner, granted FULL_CONTROL.
     * @param publicRead whether AllUsers are granted READ as well.
     * @return AccessControlPolicy.
     */
    public static byte[] accessControlPolicy(final Owner owner, final boolean publicRead)
    {
        return BucketXml.accessControlPolicy(owner, publicRead);
    }

    // ---- listings

    /**
     * ListObjects (v1). Every entry carries its owner, as v1 always does.
     *
     * @param params echoed request parameters.
     * @param marker the marker asked for ("" = none).
     * @param result the page.
     * @param owner  the objects' owner.
     * @return ListBucketResult.
     */
    public static byte[] listObjectsV1(
        final ListParams params,
        final String marker,
        final ListResult result,
        final Owner owner)
    {
        return ListingXml.listObjectsV1(params, marker, result, owner);
    }

    /**
     * ListObjectsV2.
     *
     * @param params                echoed request parameters.
     * @param startAfter            the start-after asked for ("" = none).
     * @param continuationToken     the continuation-token asked for ("" = none).
     * @param nextContinuationToken the token for the next page; written only when the page is truncated.
     * @param result                the page.
     * @param fetchOwner            the owner when fetch-owner=true was asked, else {@code null}.
     * @return ListBucketResult.
     */
    public static byte[] listObjectsV2(
        final ListParams params,
        final String startAfter,
        final String continuationToken,
        final String nextContinuationToken,
        final ListResult result,
        final Owner fetchOwner)
    {
        return ListingXml.listObjectsV2(params, startAfter, continuationToken, nextContinuationToken, result,
            fetchOwner);
    }

    /**
     * ListObjectVersions: one version per key, id {@value #NULL_VERSION_ID}, latest.
     *
     * @param params          echoed request parameters.
     * @param keyMarker       the key-marker asked for ("" = none).
     * @param versionIdMarker the version-id-marker asked for ("" = none).
     * @param result          the page.
     * @param owner           the objects' owner.
     * @return ListVersionsResult.
     */
    public static byte[] listObjectVersions(
        final ListParams params,
        final String keyMarker,
        final String versionIdMarker,
        final ListResult result,
        final Owner owner)
    {
        final List<S3Version> versions = new ArrayList<>(result.objects().size());
        for (final S3Object object : result.objects())
        {
            versions.add(new S3Version(object, true));
        }
        return ListingXml.listObjectVersions(params, keyMarker, versionIdMarker, new VersionListResult(versions, result.commonPrefixes(),
            result.truncated(), result.nextStartAfter(), result.truncated() ? NULL_VERSION_ID : ""), owner);
    }

    /**
     * ListObjectVersions: {@code Version} and {@code DeleteMarker} entries in listing order.
     *
     * @param params          echoed request parameters.
     * @param keyMarker       the key-marker asked for ("" = none).
     * @param versionIdMarker the version-id-marker asked for ("" = none).
     * @param result          the page.
     * @param owner           the objects' owner.
     * @return ListVersionsResult.
     */
    public static byte[] listObjectVersions(
        final ListParams params,
        final String keyMarker,
        final String versionIdMarker,
        final VersionListResult result,
        final Owner owner)
    {
        return ListingXml.listObjectVersions(params, keyMarker, versionIdMarker, result, owner);
    }

    /**
     * @param rules a bucket's lifecycle rules.
     * @return LifecycleConfiguration.
     */
    public static byte[] lifecycleConfiguration(final List<LifecycleRule> rules)
    {
        return LifecycleXml.write(rules);
    }

    /**
     * @param body a PutBucketLifecycleConfiguration body.
     * @return its rules.
     * @throws S3Exception MalformedXML, NotImplemented (an action or filter Conduit does not apply).
     */
    public static List<LifecycleRule> parseLifecycleConfiguration(final byte[] body)
    {
        return LifecycleXml.parse(body);
    }

    /**
     * GetBucketVersioning.
     *
     * @param versioning the bucket's state; OFF (never configured) gives an empty configuration.
     * @return VersioningConfiguration.
     */
    public static byte[] versioningConfiguration(final VersioningMode versioning)
    {
        return BucketXml.versioningConfiguration(versioning);
    }

    /**
     * @param body a PutBucketVersioning body.
     * @return ENABLED or SUSPENDED.
     * @throws S3Exception MalformedXML, IllegalVersioningConfigurationException.
     */
    public static VersioningMode parseVersioningConfiguration(final byte[] body)
    {
        return BucketXml.parseVersioningConfiguration(body);
    }

    // ---- objects

    /**
     * @param object the copy.
     * @return CopyObjectResult.
     */
    public static byte[] copyObjectResult(final S3Object object)
    {
        return CopyXml.copyObject(object);
    }

    /**
     * @param tags the object's tags.
     * @return Tagging, tags sorted by key.
     */
    public static byte[] tagging(final Map<String, String> tags)
    {
        return TaggingXml.write(tags);
    }

    /**
     * @param outcomes one per key asked for, in the request's order.
     * @param quiet    whether successful deletions are left out.
     * @return DeleteResult.
     */
    public static byte[] deleteResult(final List<DeleteOutcome> outcomes, final boolean quiet)
    {
        return DeleteXml.write(outcomes, quiet);
    }

    // ---- multipart

    /**
     * @param upload the new upload.
     * @return InitiateMultipartUploadResult.
     */
    public static byte[] initiateMultipartUploadResult(final MultipartUpload upload)
    {
        return MultipartXml.initiate(upload);
    }

    /**
     * @param location the object's URL ({@code http://host/bucket/key}).
     * @param object   the completed object.
     * @return CompleteMultipartUploadResult.
     */
    public static byte[] completeMultipartUploadResult(final String location, final S3Object object)
    {
        return MultipartXml.complete(location, object);
    }

    /**
     * @param part the copied part.
     * @return CopyPartResult.
     */
    public static byte[] copyPartResult(final PartInfo part)
    {
        return CopyXml.copyPart(part);
    }

    /**
     * @param listing          the page.
     * @param partNumberMarker the part-number-marker asked for.
     * @param maxParts         the max-parts in force.
     * @param owner            initiator and owner.
     * @return ListPartsResult.
     */
    public static byte[] listParts(
        final PartListing listing,
        final int partNumberMarker,
        final int maxParts,
        final Owner owner)
    {
        return MultipartXml.listParts(listing, partNumberMarker, maxParts, owner);
    }

    /**
     * @param params         echoed parameters ({@code maxKeys} is max-uploads).
     * @param keyMarker      the key-marker asked for.
     * @param uploadIdMarker the upload-id-marker asked for.
     * @param listing        the page.
     * @param owner          initiator and owner.
     * @return ListMultipartUploadsResult.
     */
    public static byte[] listMultipartUploads(
        final ListParams params,
        final String keyMarker,
        final String uploadIdMarker,
        final UploadListing listing,
        final Owner owner)
    {
        return MultipartXml.listUploads(params, keyMarker, uploadIdMarker, listing, owner);
    }

    // ---- errors

    /**
     * @param error     the S3 error.
     * @param message   the message ("" = the error's default).
     * @param resource  the bucket, key or upload concerned ("" = leave out).
     * @param requestId the request's id.
     * @param hostId    the host id.
     * @return Error.
     */
    public static byte[] error(
        final S3Error error,
        final String message,
        final String resource,
        final String requestId,
        final String hostId)
    {
        return ErrorXml.write(error, message, resource, requestId, hostId);
    }

    /**
     * @param failure   the failure.
     * @param requestId the request's id.
     * @param hostId    the host id.
     * @return Error.
     */
    public static byte[] error(final S3Exception failure, final String requestId, final String hostId)
    {
        return ErrorXml.write(failure.error(), failure.getMessage(), failure.resource(), requestId, hostId);
    }

    // ---- request bodies

    /**
     * @param body a CompleteMultipartUpload body.
     * @return the parts in the client's order.
     * @throws S3Exception {@code MalformedXML}; {@code InvalidArgument} for a part number outside 1..10000.
     */
    public static List<CompletedPart> parseCompleteMultipartUpload(final byte[] body)
    {
        return MultipartXml.parseComplete(body);
    }

    /**
     * @param body a Delete body.
     * @return the keys (1..{@value #MAX_DELETE_KEYS}) and the quiet flag.
     * @throws S3Exception {@code MalformedXML}.
     */
    public static DeleteRequest parseDelete(final byte[] body)
    {
        return DeleteXml.parse(body);
    }

    /**
     * @param body a Tagging body.
     * @return the tags, in document order.
     * @throws S3Exception {@code MalformedXML}; {@code InvalidTag} when the set breaks S3's rules.
     */
    public static Map<String, String> parseTagging(final byte[] body)
    {
        return TaggingXml.parse(body);
    }

    /**
     * Checks a tag set against S3's rules (also for the {@code x-amz-tagging} header of PutObject).
     *
     * @param tags the tags.
     * @throws S3Exception {@code InvalidTag}.
     */
    public static void validateTags(final Map<String, String> tags)
    {
        TaggingXml.validate(tags);
    }

    /**
     * @param body a CreateBucketConfiguration body, or an empty one.
     * @return the LocationConstraint ("" when none).
     * @throws S3Exception {@code MalformedXML}.
     */
    public static String parseCreateBucketConfiguration(final byte[] body)
    {
        return BucketXml.parseCreateBucketConfiguration(body);
    }

    /**
     * @param body an AccessControlPolicy body.
     * @return whether it grants AllUsers READ.
     * @throws S3Exception {@code MalformedXML}; {@code NotImplemented} for grants beyond owner
     *         FULL_CONTROL and AllUsers READ.
     */
    public static boolean parseAccessControlPolicy(final byte[] body)
    {
        return BucketXml.parseAccessControlPolicy(body);
    }
}
