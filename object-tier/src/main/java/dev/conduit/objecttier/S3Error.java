package dev.conduit.objecttier;

/**
 * The S3 error codes Conduit returns, each with its HTTP status and the message S3 uses. The name
 * of the constant is the {@code <Code>} of the XML error document, exactly as AWS spells it.
 */
public enum S3Error
{
    // 400
    /** Malformed request that fits no finer code. */
    InvalidArgument(400, "Invalid Argument"),
    /** Bad request line, header or parameter. */
    InvalidRequest(400, "Invalid Request"),
    /** The bucket name breaks the naming rules. */
    InvalidBucketName(400, "The specified bucket is not valid."),
    /** The key is longer than 1024 bytes. */
    KeyTooLongError(400, "Your key is too long"),
    /** The body is not the XML the operation expects. */
    MalformedXML(400, "The XML you provided was not well-formed or did not validate against our published schema."),
    /** Content-MD5 or a checksum header is not valid base64 of the right length. */
    InvalidDigest(400, "The Content-MD5 or checksum value that you specified is not valid."),
    /** The body does not match Content-MD5 or an x-amz-checksum-* value. */
    BadDigest(400, "The Content-MD5 or checksum value that you specified did not match what the server received."),
    /** The body is longer than the declared length, or larger than allowed. */
    EntityTooLarge(400, "Your proposed upload exceeds the maximum allowed object size."),
    /** A multipart part other than the last is smaller than the minimum part size. */
    EntityTooSmall(400, "Your proposed upload is smaller than the minimum allowed object size."),
    /** The body ended before Content-Length or the decoded length was reached. */
    IncompleteBody(400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
    /** A part named in CompleteMultipartUpload is missing or its ETag differs. */
    InvalidPart(400, "One or more of the specified parts could not be found."),
    /** The parts of CompleteMultipartUpload are not in ascending order. */
    InvalidPartOrder(400, "The list of parts was not in ascending order."),
    /** User metadata exceeds 2 KiB, or all metadata together exceeds what the store keeps. */
    MetadataTooLarge(400, "Your metadata headers exceed the maximum allowed metadata size."),
    /** The tag set breaks S3's tagging rules. */
    InvalidTag(400, "The tag provided was not a valid tag."),
    /** The aws-chunked body or its chunk framing is malformed. */
    InvalidChunkSizeError(400, "Only the last chunk is allowed to have a size less than 8192 bytes"),
    /** x-amz-content-sha256 is absent or not a known value. */
    InvalidContentSha256(400, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-* or a hex SHA-256."),
    /** The x-amz-content-sha256 value does not match the body. */
    XAmzContentSHA256Mismatch(400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
    /** The Authorization header or presigned query is malformed. */
    AuthorizationHeaderMalformed(400, "The authorization header is malformed."),
    /** A presigned URL's query parameters are malformed. */
    AuthorizationQueryParametersError(400, "Error parsing the X-Amz-Credential parameter."),
    /** The request has no Content-Length where one is needed. */
    MissingContentLength(411, "You must provide the Content-Length HTTP header."),
    /** Request headers are too large. */
    RequestHeaderSectionTooLarge(400, "Your request header section exceeds the maximum allowed size."),
    /** The copy source header is malformed. */
    InvalidCopySource(400, "The copy source is not valid."),
    /** The request's body is needed but missing. */
    MissingRequestBodyError(400, "Request Body is empty"),
    /** A client went idle for too long mid-request. */
    RequestTimeout(400, "Your socket connection to the server was not read from or written to within the timeout period."),
    /** The presigned request's expiry is out of range. */
    ExpiredToken(400, "The provided token has expired."),

    // 403
    /** Authentication or authorization failed. */
    AccessDenied(403, "Access Denied"),
    /** The access key is unknown. */
    InvalidAccessKeyId(403, "The AWS Access Key Id you provided does not exist in our records."),
    /** The signature does not match the request. */
    SignatureDoesNotMatch(403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
    /** The request's date is outside the allowed skew. */
    RequestTimeTooSkewed(403, "The difference between the request time and the current time is too large."),

    // 404
    /** No such bucket. */
    NoSuchBucket(404, "The specified bucket does not exist"),
    /** No such key. */
    NoSuchKey(404, "The specified key does not exist."),
    /** No such multipart upload. */
    NoSuchUpload(404, "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed."),
    /** No tag set / configuration of the kind asked for. */
    NoSuchTagSet(404, "The TagSet does not exist"),
    /** The version id names no version of the key. */
    NoSuchVersion(404, "The specified version does not exist."),
    /** The bucket has no lifecycle configuration. */
    NoSuchLifecycleConfiguration(404, "The lifecycle configuration does not exist."),
    /** A versioning configuration S3 does not accept. */
    IllegalVersioningConfigurationException(400, "The versioning configuration specified in the request is invalid."),

    // 405, 409, 411, 412, 416, 501, 503
    /** The method is not allowed on this resource. */
    MethodNotAllowed(405, "The specified method is not allowed against this resource."),
    /** The bucket exists and is ours. */
    BucketAlreadyOwnedByYou(409, "Your previous request to create the named bucket succeeded and you already own it."),
    /** The bucket still holds objects or uploads. */
    BucketNotEmpty(409, "The bucket you tried to delete is not empty"),
    /** Two conditional writes raced. */
    ConditionalRequestConflict(409, "A conflicting conditional operation is currently in progress against this resource."),
    /** A precondition header did not hold. */
    PreconditionFailed(412, "At least one of the pre-conditions you specified did not hold"),
    /** The Range cannot be satisfied. */
    InvalidRange(416, "The requested range is not satisfiable"),
    /** A feature S3 has and Conduit does not. */
    NotImplemented(501, "A header you provided implies functionality that is not implemented"),
    /** Out of space or shutting down; retry later. */
    ServiceUnavailable(503, "Please reduce your request rate."),
    /** Reduce the request rate. */
    SlowDown(503, "Please reduce your request rate."),
    /** Anything else. */
    InternalError(500, "We encountered an internal error. Please try again.");

    private final int httpStatus;
    private final String message;

    S3Error(final int httpStatus, final String message)
    {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    /** @return the HTTP status this error is sent with. */
    public int httpStatus()
    {
        return httpStatus;
    }

    /** @return S3's default message for the error. */
    public String defaultMessage()
    {
        return message;
    }
}
