package dev.conduit.bench.s3;

import software.amazon.awssdk.http.SdkHttpMethod;

/** The requests the generator sends. */
enum S3Op
{
    /** GET of one object. */
    GET(SdkHttpMethod.GET),
    /** PUT of one object. */
    PUT(SdkHttpMethod.PUT),
    /** DELETE of one object (cleanup). */
    DELETE(SdkHttpMethod.DELETE),
    /** PUT of the bucket (setup; "already exists" is fine). */
    CREATE_BUCKET(SdkHttpMethod.PUT);

    private static final S3Op[] VALUES = values();

    private final SdkHttpMethod method;

    S3Op(final SdkHttpMethod method)
    {
        this.method = method;
    }

    SdkHttpMethod method()
    {
        return method;
    }

    static S3Op of(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
